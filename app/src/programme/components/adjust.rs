//! Adjusting the proposal: the editor of one line's amount (change, drop to
//! zero, or add up to the amount asked) and the table of how each change
//! moved the fairness figures (Jain, Gini, dominant shares: before → after,
//! with the direction of the move).

use kairr_shared::allocation::{Adjustment, Direction, FairnessChange, FairnessMetric, MovedFigure, ProposalLine};
use leptos::prelude::*;

use crate::common::format::{fixed, thousands};
use crate::common::i18n::{current_locale, tr, trf};
use crate::programme::labels;

/// One change the committee made: the request, its amount before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct MadeChange {
    pub request: u64,
    pub from: u64,
    pub to: u64,
}

fn figure(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| fixed(v, 3))
}

fn arrow(d: Direction) -> String {
    match d {
        Direction::Up => tr("programme.adjust.up"),
        Direction::Down => tr("programme.adjust.down"),
        Direction::Unchanged => tr("programme.adjust.same"),
    }
}

/// The direction with the signed change, e.g. "▼ down (−0.00031)" (no number when either side is undefined).
fn moved(f: &kairr_shared::allocation::FigureMove) -> String {
    match (f.before, f.after) {
        (Some(b), Some(a)) if f.direction != Direction::Unchanged => {
            let d = a - b;
            let sign = if d < 0.0 { "−" } else { "+" };
            format!("{} ({sign}{})", arrow(f.direction), fixed(d.abs(), 5))
        }
        _ => arrow(f.direction),
    }
}

fn figure_name(f: MovedFigure) -> String {
    match f {
        MovedFigure::Jain => labels::metric(FairnessMetric::JainSectors),
        MovedFigure::Gini => labels::metric(FairnessMetric::GiniOrganisations),
        MovedFigure::DominantShare(s) => trf("programme.adjust.dominant_of", &[("sector", labels::sector(s))]),
    }
}

/// The editor of one proposal line; `on_apply` gets the new amount.
#[component]
pub fn LineEditor(
    /// The line being changed.
    line: ProposalLine,
    /// Applies a new amount.
    on_apply: Callback<u64>,
    /// Closes the editor.
    on_close: Callback<()>,
) -> impl IntoView {
    let amount = RwSignal::new(Some(line.proposed));
    let asked = line.requested;
    // An amount the adjustment would refuse (none, or more than asked) is named here, before asking.
    let problem = RwSignal::new(None::<String>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = amount.get_untracked();
        let problems = Adjustment::amount_problems(value, asked);
        problem.set(problems.0.first().map(|e| current_locale().pick(&e.message_ko, &e.message_en).to_owned()));
        if let (Some(a), true) = (value, problems.is_empty()) {
            on_apply.run(a);
        }
    };
    let (request, organisation, proposed) = (line.request.0, line.organisation.clone(), line.proposed);
    let title = move || {
        trf(
            "programme.adjust.editing",
            &[
                ("request", request.to_string()),
                ("organisation", organisation.clone()),
                ("asked", thousands(asked)),
                ("proposed", thousands(proposed)),
            ],
        )
    };
    view! {
        <form class="line-editor notice" on:submit=apply novalidate=true data-testid="line-editor">
            <p>{title}</p>
            <div class="field">
                <label for="adjust-amount">{move || tr("programme.adjust.new_amount")}</label>
                <input id="adjust-amount" type="number" min="0" max=asked inputmode="numeric" data-testid="adjust-amount"
                    aria-invalid=move || if problem.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby="adjust-amount-error"
                    prop:value=move || amount.get().map(|a| a.to_string()).unwrap_or_default()
                    on:input=move |ev| amount.set(event_target_value(&ev).trim().parse().ok())/>
                <p id="adjust-amount-error" class="field-error" data-testid="adjust-amount-error">{move || problem.get()}</p>
            </div>
            <div class="button-row">
                <button type="submit" class="button" data-testid="adjust-apply">{move || tr("programme.adjust.apply")}</button>
                <button type="button" class="button secondary" data-testid="adjust-drop" on:click=move |_| on_apply.run(0)>
                    {move || tr("programme.adjust.drop")}
                </button>
                <button type="button" class="button secondary" on:click=move |_| on_apply.run(asked)>
                    {move || tr("programme.adjust.full")}
                </button>
                <button type="button" class="link-button" on:click=move |_| on_close.run(())>{move || tr("programme.adjust.close")}</button>
            </div>
        </form>
    }
}

/// How each change moved the figures, newest last; every figure of the newest change in full.
#[component]
pub fn ChangesTable(
    /// The changes made, in order.
    made: Vec<MadeChange>,
    /// The server's before/after per change, same order.
    changes: Vec<FairnessChange>,
) -> impl IntoView {
    let last = changes.last().map(FairnessChange::moves).unwrap_or_default();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="changes-title">
            <table class="data-table" data-testid="adjust-changes">
                <caption id="changes-title">{move || tr("programme.adjust.changes")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || tr("programme.proposal.col_request")}</th>
                        <th scope="col" class="num">{move || tr("programme.adjust.col_amount")}</th>
                        <th scope="col">{move || labels::metric(FairnessMetric::JainSectors)}</th>
                        <th scope="col">{move || labels::metric(FairnessMetric::GiniOrganisations)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || made.iter().zip(changes.iter()).map(|(m, c)| {
                        let moves = c.moves();
                        let cell = |i: usize| moves.get(i).map(|f| format!("{} → {} {}", figure(f.before), figure(f.after), moved(f))).unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{format!("#{}", m.request)}</th>
                                <td class="num">{format!("{} → {}", thousands(m.from), thousands(m.to))}</td>
                                <td data-testid="change-jain">{cell(0)}</td>
                                <td data-testid="change-gini">{cell(1)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="last-change-title">
            <table class="data-table" data-testid="adjust-last-change">
                <caption id="last-change-title">{move || tr("programme.adjust.last_change")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || tr("programme.adjust.col_figure")}</th>
                        <th scope="col" class="num">{move || tr("programme.adjust.col_before")}</th>
                        <th scope="col" class="num">{move || tr("programme.adjust.col_after")}</th>
                        <th scope="col">{move || tr("programme.adjust.col_direction")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || last.iter().map(|f| view! {
                        <tr>
                            <th scope="row">{figure_name(f.figure)}</th>
                            <td class="num">{figure(f.before)}</td>
                            <td class="num">{figure(f.after)}</td>
                            <td>{moved(f)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
