//! The proposed allocation of the round: per pool capacity, asked and
//! proposed; the proposal's fairness figures; and per request the proposed
//! amount against the amount asked (paged, filterable). A committee member
//! changes a line (or drops or adds a request) and sees how each change moved
//! the fairness figures; "decide" opens the request's page with the
//! proposed amount.

use kairr_shared::allocation::usecase::{AdoptInput, Adopted};
use kairr_shared::allocation::{Adjustment, Exclusion, Proposal, ProposalLine, RequestId};
use kairr_shared::display::labels::api_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::programme::api::{self as programme_api, AdjustBody, Adjusted};
use crate::programme::components::adjust::{ChangesTable, LineEditor, MadeChange};
use crate::programme::session::use_session;

use crate::common::format::{fixed, thousands};
use crate::common::i18n::{current_locale, tr, trf};
use crate::programme::components::fairness::FairnessPanel;
use crate::programme::components::pager::Pager;
use crate::programme::labels;
use crate::programme::paging::{matches, page_count, page_range, PER_PAGE};

fn exclusion(e: Option<Exclusion>) -> String {
    match e {
        None => String::new(),
        Some(Exclusion::NotReviewed) => tr("programme.proposal.not_reviewed"),
        Some(Exclusion::BelowMinimumScore) => tr("programme.proposal.below_minimum"),
        Some(Exclusion::UnknownPool) => tr("programme.proposal.unknown_pool"),
    }
}

/// What the filter searches in a line: its organisation and its pool (id and name).
fn line_matches(f: &str, l: &ProposalLine) -> bool {
    matches(f, &[&l.organisation, &l.pool, &labels::pool(&l.pool)])
}

/// The proposal block.
#[component]
pub fn ProposalView(
    /// The proposal (`None` while loading).
    #[prop(into)]
    proposal: Signal<Option<Proposal>>,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(1usize);
    let adj = Adjusting::new(proposal);
    let proposal = adj.current;
    let shown = Memo::new(move |_| {
        let f = filter.get();
        proposal.with(|p| {
            p.as_ref()
                .map(|p| p.lines.iter().filter(|l| line_matches(&f, l)).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let pages = Signal::derive(move || page_count(shown.with(Vec::len), PER_PAGE));
    let rows = move || shown.with(|s| s[page_range(s.len(), page.get(), PER_PAGE)].to_vec());
    let figures = Signal::derive(move || proposal.with(|p| p.as_ref().map(|p| p.fairness.clone())));
    let pools = move || proposal.with(|p| p.as_ref().map(|p| p.pools.clone()).unwrap_or_default());
    view! {
        <section class="panel" aria-labelledby="proposal-title" data-testid="proposal">
            <h3 id="proposal-title">{move || tr("programme.proposal.title")}</h3>
            <p>{move || tr("programme.proposal.intro")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="proposal-title">
                <table class="data-table" data-testid="proposal-pools">
                    <caption class="sr-only">{move || tr("programme.proposal.pools_caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.pools.col_pool")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_capacity")}</th>
                            <th scope="col" class="num">{move || tr("programme.pools.col_requested")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_proposed")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || pools().into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{labels::pool(&p.pool)}<br/><span class="muted">{labels::unit(p.unit)}</span></th>
                                <td class="num">{thousands(p.capacity)}</td>
                                <td class="num">{thousands(p.requested)}</td>
                                <td class="num">{thousands(p.proposed)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <h4>{move || tr("programme.proposal.fairness")}</h4>
            <FairnessPanel figures=figures prefix="proposal"/>
            <AdjustPanel adj=adj/>
            <h4 id="proposal-lines-title">{move || tr("programme.proposal.lines")}</h4>
            <div class="filter-row">
                <label for="proposal-filter">{move || tr("programme.proposal.filter")}</label>
                <input id="proposal-filter" type="search" prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(1); }/>
            </div>
            <p role="status">{move || trf("programme.proposal.count", &[("n", thousands(shown.with(Vec::len) as u64))])}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="proposal-lines-title">
                <table class="data-table" data-testid="proposal-lines" aria-labelledby="proposal-lines-title">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr("programme.proposal.col_request")}</th>
                            <th scope="col">{move || tr("programme.projects.col_organisation")}</th>
                            <th scope="col">{move || tr("programme.projects.col_pool")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_score")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_asked")}</th>
                            <th scope="col" class="num">{move || tr("programme.proposal.col_proposed")}</th>
                            <th scope="col">{move || tr("programme.proposal.col_note")}</th>
                            <th scope="col">{move || tr("programme.adjust.col_actions")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows().into_iter().map(|l| {
                            let decide = format!("/committee/requests/{}?amount={}", l.request.0, l.proposed);
                            let line = l.clone();
                            let excluded = l.excluded.is_some() || l.decided;
                            let decided = l.decided;
                            view! {
                            <tr>
                                <th scope="row">{format!("#{}", l.request.0)}</th>
                                <td>{l.organisation.clone()}<br/><span class="muted">{labels::sector(l.sector)}</span></td>
                                <td>{labels::pool_with_unit(&l.pool, pools().iter().find(|p| p.pool == l.pool).map(|p| p.unit))}</td>
                                <td class="num">{l.score.map_or_else(|| "—".to_owned(), |s| fixed(s, 2))}</td>
                                <td class="num">{thousands(l.requested)}</td>
                                <td class="num">{thousands(l.proposed)}</td>
                                <td data-testid="proposal-note">{if decided { tr("programme.proposal.decided") } else { exclusion(l.excluded) }}</td>
                                <td class="actions">
                                    {(!decided).then(|| view! { <a href=decide data-testid="proposal-decide">{move || tr("programme.adjust.decide")}</a> })}
                                    {(!excluded).then(|| view! {
                                        " "
                                        <button type="button" class="link-button" data-testid="proposal-change"
                                            on:click=move |_| adj.editing.set(Some(line.clone()))>
                                            {move || tr("programme.adjust.change")}
                                        </button>
                                    })}
                                </td>
                            </tr>
                        }}).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pager page=page pages=pages name="proposal"/>
        </section>
    }
}

/// The adjustment state of the proposal view.
#[derive(Debug, Clone, Copy)]
struct Adjusting {
    /// The proposal as computed by the server.
    base: Signal<Option<Proposal>>,
    /// The proposal after the committee's changes (the base when there are none).
    current: Signal<Option<Proposal>>,
    made: RwSignal<Vec<MadeChange>>,
    adjusted: RwSignal<Option<Adjusted>>,
    editing: RwSignal<Option<ProposalLine>>,
    error: RwSignal<Option<FetchError>>,
}

impl Adjusting {
    fn new(base: Signal<Option<Proposal>>) -> Adjusting {
        let adjusted = RwSignal::new(None::<Adjusted>);
        let current =
            Signal::derive(move || adjusted.with(|a| a.as_ref().map(|a| a.proposal.clone())).or_else(|| base.get()));
        let adj = Adjusting {
            base,
            current,
            made: RwSignal::new(Vec::new()),
            adjusted,
            editing: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        // The committee's saved draft: applied once the proposal is known (it survives a reload).
        let session = use_session();
        Effect::new(move |loaded: Option<bool>| {
            if loaded == Some(true) {
                return true;
            }
            let Some(p) = base.get() else { return false };
            let round = p.round.0.clone();
            spawn_local(async move {
                let Ok(draft) = programme_api::fetch_draft(&round).await else { return };
                if draft.adjustments.is_empty() {
                    return;
                }
                let made: Vec<MadeChange> = draft
                    .adjustments
                    .iter()
                    .map(|a| MadeChange {
                        request: a.request.0,
                        from: p.line(a.request).map_or(0, |l| l.proposed),
                        to: a.amount,
                    })
                    .collect();
                let body = AdjustBody { round: Some(round), adjustments: draft.adjustments };
                match programme_api::adjust(&session.csrf(), &body).await {
                    Ok(a) => {
                        adj.adjusted.set(Some(a));
                        adj.made.set(made);
                    }
                    Err(e) => adj.error.set(Some(e)),
                }
            });
            true
        });
        adj
    }

    fn round(self) -> Option<String> {
        self.base.with_untracked(|p| p.as_ref().map(|p| p.round.0.clone()))
    }

    fn adjustments(made: &[MadeChange]) -> Vec<Adjustment> {
        made.iter().map(|m| Adjustment { request: RequestId(m.request), amount: m.to }).collect()
    }

    /// Keeps `made` as the round's draft on the server.
    fn save(self, csrf: String, made: &[MadeChange]) {
        let (Some(round), adjustments) = (self.round(), Adjusting::adjustments(made)) else { return };
        spawn_local(async move {
            if let Err(e) = programme_api::save_draft(&csrf, &round, adjustments).await {
                self.error.set(Some(e));
            }
        });
    }

    /// Sets the edited line to `amount` and asks the server for the adjusted proposal.
    fn apply(self, csrf: String, amount: u64) {
        let Some(line) = self.editing.get_untracked() else { return };
        let mut made = self.made.get_untracked();
        match made.iter_mut().find(|m| m.request == line.request.0) {
            Some(m) => m.to = amount,
            None => made.push(MadeChange { request: line.request.0, from: line.proposed, to: amount }),
        }
        let body = AdjustBody { round: self.round(), adjustments: Adjusting::adjustments(&made) };
        spawn_local(async move {
            match programme_api::adjust(&csrf, &body).await {
                Ok(a) => {
                    self.adjusted.set(Some(a));
                    self.save(csrf, &made);
                    self.made.set(made);
                    self.editing.set(None);
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    fn reset(self, csrf: String) {
        self.save(csrf, &[]);
        self.made.set(Vec::new());
        self.adjusted.set(None);
        self.editing.set(None);
        self.error.set(None);
    }
}

/// The line editor, the server's refusals and the changes so far.
#[component]
fn AdjustPanel(adj: Adjusting) -> impl IntoView {
    let session = use_session();
    let on_apply = Callback::new(move |amount: u64| adj.apply(session.csrf(), amount));
    let on_close = Callback::new(move |()| adj.editing.set(None));
    let refused = move || {
        adj.error.with(|e| match e {
            Some(FetchError::Http { api: Some(a), .. }) => Some(api_error(current_locale(), a)),
            _ => None,
        })
    };
    let other = Signal::derive(move || adj.error.with(|e| e.clone().filter(|_| refused().is_none())));
    view! {
        <section class="adjust" aria-labelledby="adjust-title" data-testid="adjust">
            <h4 id="adjust-title">{move || tr("programme.adjust.title")}</h4>
            <p class="muted">{move || tr("programme.adjust.intro")}</p>
            {move || adj.editing.get().map(|line| view! { <LineEditor line=line on_apply=on_apply on_close=on_close/> })}
            {move || refused().map(|m| view! {
                <p class="notice notice-warning" role="alert" data-testid="adjust-refused">{trf("programme.adjust.refused", &[("reason", m)])}</p>
            })}
            <FetchErrorView error=other message=Signal::derive(|| tr("programme.adjust.failed"))/>
            <AdoptPanel adj=adj/>
            {move || adj.adjusted.get().map(|a| view! {
                <ChangesTable made=adj.made.get() changes=a.changes/>
                <button type="button" class="button secondary" data-testid="adjust-reset" on:click=move |_| adj.reset(session.csrf())>
                    {move || tr("programme.adjust.reset")}
                </button>
            })}
        </section>
    }
}

/// Adopting the proposal (with the changes above) as one decision per
/// undecided request: a rationale, an admin's reason before the review
/// window closes, a confirmation, then what was decided and skipped.
#[component]
fn AdoptPanel(adj: Adjusting) -> impl IntoView {
    let session = use_session();
    let rationale = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Adopted>);
    let error = RwSignal::new(None::<FetchError>);
    let undecided =
        move || adj.current.with(|p| p.as_ref().map_or(0, |p| p.lines.iter().filter(|l| !l.decided).count()));
    let is_admin = move || session.user().is_some_and(|u| u.role == kairr_shared::auth::Role::Admin);
    let adopt = move |_| {
        let Some(round) = adj.round() else { return };
        let input = AdoptInput {
            adjustments: Adjusting::adjustments(&adj.made.get_untracked()),
            rationale: rationale.get_untracked(),
            override_reason: reason.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            match programme_api::adopt(&session.csrf(), &round, &input).await {
                Ok(done) => {
                    error.set(None);
                    confirming.set(false);
                    result.set(Some(done));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let msg = move |field: &'static str| {
        move || error.with(|e| crate::programme::form_errors::field_message(e.as_ref(), field))
    };
    let other = Signal::derive(move || {
        error.with(|e| crate::programme::form_errors::general_error(e.as_ref(), &["rationale", "override_reason"]))
    });
    view! {
        <section class="adopt" aria-labelledby="adopt-title" data-testid="adopt">
            <h4 id="adopt-title">{move || tr("programme.adopt.title")}</h4>
            <p class="muted">{move || trf("programme.adopt.intro", &[("n", undecided().to_string())])}</p>
            {move || result.get().map(|r| view! {
                <div class="notice" role="status" data-testid="adopt-result">
                    <p>{trf("programme.adopt.done", &[("awarded", r.awarded.len().to_string()), ("rejected", r.rejected.len().to_string()), ("skipped", r.skipped.len().to_string())])}</p>
                    {(!r.skipped.is_empty()).then(|| view! {
                        <p class="muted">{r.skipped.iter().map(|s| format!("#{} ({})", s.request.0, tr(&format!("error.code.{}", s.code)))).collect::<Vec<_>>().join(", ")}</p>
                    })}
                    <button type="button" class="button secondary" on:click=move |_| { let _ = window().location().reload(); }>
                        {move || tr("programme.adopt.reload")}
                    </button>
                </div>
            })}
            <FetchErrorView error=other message=Signal::derive(|| tr("programme.adopt.failed"))/>
            <div class="field">
                <label for="adopt-rationale">{move || tr("programme.adopt.rationale")}</label>
                <textarea id="adopt-rationale" rows="2" data-testid="adopt-rationale" aria-describedby="adopt-rationale-error"
                    prop:value=move || rationale.get() on:input=move |ev| rationale.set(event_target_value(&ev))></textarea>
                <p id="adopt-rationale-error" class="field-error">{msg("rationale")}</p>
            </div>
            <Show when=is_admin>
                <div class="field">
                    <label for="adopt-override">{move || tr("programme.adopt.override")}</label>
                    <input id="adopt-override" type="text" data-testid="adopt-override" aria-describedby="adopt-override-error"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <p id="adopt-override-error" class="field-error">{msg("override_reason")}</p>
                </div>
            </Show>
            <Show when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button" data-testid="adopt-start" disabled=move || { undecided() == 0 }
                        on:click=move |_| confirming.set(true)>
                        {move || tr("programme.adopt.start")}
                    </button>
                }>
                <div class="confirm" role="group" aria-labelledby="adopt-confirm-text">
                    <p id="adopt-confirm-text">{move || trf("programme.adopt.confirm", &[("n", undecided().to_string())])}</p>
                    <button type="button" class="button" data-testid="adopt-confirm" disabled=move || busy.get() on:click=adopt>
                        {move || tr("programme.adopt.yes")}
                    </button>
                    " "
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                        {move || tr("programme.adopt.no")}
                    </button>
                </div>
            </Show>
        </section>
    }
}
