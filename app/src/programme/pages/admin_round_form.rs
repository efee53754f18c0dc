//! The round form of `/admin` (`admin.rs` lists the rounds): a new round as
//! a draft, or a copy of one; its own checks before sending, and every field
//! the server refuses named by its label next to its control.

use kairr_shared::advisor::Sector;
use kairr_shared::allocation::round::PoolCapacityInput;
use kairr_shared::allocation::{OrgCap, RoundInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::common::api::FetchError;
use crate::common::components::fetch_error::FetchErrorView;
use crate::common::i18n::{tr, tr_or, trf};
use crate::programme::api;
use crate::programme::components::error_summary::FormErrorSummary;
use crate::programme::form_errors::field_message;
use crate::programme::labels;
use crate::programme::session::use_session;

/// The page.
/// Every field of the form the server may name, so the others go to the general message.
fn is_form_field(f: &str) -> bool {
    const FIELDS: [&str; 14] = [
        "id",
        "title_ko",
        "title_en",
        "opens",
        "closes",
        "review_closes",
        "period_start",
        "period_end",
        "pools",
        "min_score",
        "min_reviews",
        "reviewers_per_request",
        "org_cap",
        "non_capital_preference",
    ];
    FIELDS.contains(&f) || f.starts_with("pools[") || f.starts_with("sector_targets")
}

/// The pool row and field a round form field names (`pools[1].capacity`).
fn pool_field(field: &str) -> Option<(usize, &str)> {
    let (i, name) = field.strip_prefix("pools[")?.split_once("].")?;
    Some((i.parse().ok()?, name))
}

/// A round form field as the form labels it.
fn round_field_label(field: &str) -> String {
    if let Some((i, name)) = pool_field(field) {
        let label = match name {
            "pool" => tr("admin.pool"),
            "unit" => tr("admin.unit"),
            "capacity" => tr("admin.capacity"),
            other => other.to_owned(),
        };
        return trf("admin.pool_field", &[("n", (i + 1).to_string()), ("field", label)]);
    }
    if let Some(s) = field.strip_prefix("sector_targets.").and_then(Sector::parse) {
        return format!("{} · {} (%)", tr("admin.field.sector_targets"), labels::sector(s));
    }
    tr_or(&format!("admin.field.{field}"), field)
}

/// The control a round form field's refusal leads to.
fn round_field_id(field: &str) -> String {
    if let Some((i, name)) = pool_field(field) {
        return format!("round-{}-{i}", if name == "pool" || name == "unit" { name } else { "capacity" });
    }
    match field.strip_prefix("sector_targets") {
        Some(rest) => {
            let sector = rest.strip_prefix('.').and_then(Sector::parse).unwrap_or(Sector::ALL[0]);
            format!("round-target-{}", sector.as_str())
        }
        None if field == "pools" => "round-add-pool".to_owned(),
        None => format!("round-{field}"),
    }
}

#[component]
pub(super) fn RoundForm(
    form: RwSignal<RoundInput>,
    editing: RwSignal<Option<String>>,
    on_created: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    // The round just saved, and whether it was a change (else a new one).
    let created = RwSignal::new(None::<(String, bool)>);
    let msg = move |field: String| move || error.with(|e| field_message(e.as_ref(), &field));
    let other = Signal::derive(move || {
        error.with(|e| match e {
            Some(FetchError::Http { api: Some(a), .. })
                if a.fields.iter().all(|f| is_form_field(&f.field)) && !a.fields.is_empty() =>
            {
                None
            }
            other => other.clone(),
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = form.get_untracked();
        let changing = editing.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = match &changing {
                Some(id) => api::update_round(&session.csrf(), id, &input).await,
                None => api::create_round(&session.csrf(), &input).await,
            };
            match result {
                Ok(round) => {
                    error.set(None);
                    created.set(Some((round.id.0, changing.is_some())));
                    form.set(RoundInput::default());
                    editing.set(None);
                    on_created.try_run(());
                }
                Err(e) => {
                    created.set(None);
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    let text = move |field: &'static str,
                     kind: &'static str,
                     get: fn(&RoundInput) -> &String,
                     set: fn(&mut RoundInput, String)| {
        let input_id = format!("round-{field}");
        let error_id = format!("round-{field}-error");
        let described = error_id.clone();
        let label = format!("admin.field.{field}");
        let invalid = move || if msg(field.to_owned())().is_some() { "true" } else { "false" };
        view! {
            <div class="field">
                <label for=input_id.clone()>{move || tr(&label)}</label>
                <input id=input_id type=kind data-testid=format!("round-{field}") aria-invalid=invalid aria-describedby=described
                    readonly=move || field == "id" && editing.get().is_some()
                    prop:value=move || form.with(|f| get(f).clone())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=error_id class="field-error">{msg(field.to_owned())}</p>
            </div>
        }
    };
    let number = move |field: &'static str,
                       step: &'static str,
                       get: fn(&RoundInput) -> Option<f64>,
                       set: fn(&mut RoundInput, Option<f64>)| {
        let input_id = format!("round-{field}");
        let error_id = format!("round-{field}-error");
        let described = error_id.clone();
        let label = format!("admin.field.{field}");
        view! {
            <div class="field">
                <label for=input_id.clone()>{move || tr(&label)}</label>
                <input id=input_id type="number" step=step inputmode="decimal" data-testid=format!("round-{field}") aria-describedby=described
                    prop:value=move || form.with(|f| get(f).map(|v| v.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev).trim().parse().ok()))/>
                <p id=error_id class="field-error">{msg(field.to_owned())}</p>
            </div>
        }
    };
    let pools = move || form.with(|f| f.pools.len());
    view! {
        <form class="panel round-form" on:submit=submit novalidate=true data-testid="round-form" aria-labelledby="round-form-title">
            <h3 id="round-form-title">{move || match editing.get() {
                Some(id) => trf("admin.edit_round", &[("id", id)]),
                None => tr("admin.new_round"),
            }}</h3>
            <p class="muted">{move || tr("admin.new_round_hint")}</p>
            <FetchErrorView error=other message=Signal::derive(|| tr("admin.create_failed"))/>
            <FormErrorSummary error label=round_field_label id=round_field_id/>
            {move || created.get().map(|(id, changed)| view! {
                <p class="notice" role="status" data-testid="round-created">{trf(if changed { "admin.changed" } else { "admin.created" }, &[("id", id)])}</p>
            })}
            {text("id", "text", |f| &f.id, |f, v| f.id = v)}
            {text("title_ko", "text", |f| &f.title_ko, |f, v| f.title_ko = v)}
            {text("title_en", "text", |f| &f.title_en, |f, v| f.title_en = v)}
            <div class="field-pair">
                {text("opens", "date", |f| &f.opens, |f, v| f.opens = v)}
                {text("closes", "date", |f| &f.closes, |f, v| f.closes = v)}
            </div>
            {text("review_closes", "date", |f| &f.review_closes, |f, v| f.review_closes = v)}
            <div class="field-pair">
                {text("period_start", "date", |f| &f.period_start, |f, v| f.period_start = v)}
                {text("period_end", "date", |f| &f.period_end, |f, v| f.period_end = v)}
            </div>
            <fieldset class="field" data-testid="round-pools">
                <legend>{move || tr("admin.field.pools")}</legend>
                <p class="field-error">{msg("pools".to_owned())}</p>
                {move || (0..pools()).map(|i| view! { <PoolRow form=form index=i error=error/> }).collect_view()}
                <button type="button" class="link-button" id="round-add-pool" data-testid="round-add-pool"
                    on:click=move |_| form.update(|f| f.pools.push(PoolCapacityInput { unit: "servers".into(), ..Default::default() }))>
                    {move || tr("admin.add_pool")}
                </button>
            </fieldset>
            <fieldset class="field">
                <legend>{move || tr("admin.field.sector_targets")}</legend>
                <div class="target-grid">
                {Sector::ALL.iter().copied().map(|s| {
                    let field = format!("sector_targets.{}", s.as_str());
                    let input_id = format!("round-target-{}", s.as_str());
                    view! {
                        <div class="field">
                            <label for=input_id.clone()>{move || labels::sector(s)}" (%)"</label>
                            <input id=input_id type="number" min="0" max="100" step="1" inputmode="numeric"
                                data-testid=format!("round-target-{}", s.as_str())
                                prop:value=move || form.with(|f| f.sector_targets.get(s.as_str()).map(|v| format!("{}", (v * 100.0).round())).unwrap_or_default())
                                on:input=move |ev| form.update(|f| match event_target_value(&ev).trim().parse::<f64>() {
                                    Ok(v) => { f.sector_targets.insert(s.as_str().to_owned(), v / 100.0); }
                                    Err(_) => { f.sector_targets.remove(s.as_str()); }
                                })/>
                            <p class="field-error">{msg(field)}</p>
                        </div>
                    }
                }).collect_view()}
                </div>
            </fieldset>
            <div class="field-pair">
                {number("min_score", "0.1", |f| f.min_score, |f, v| f.min_score = v)}
                {number("min_reviews", "1", |f| f.min_reviews.map(f64::from), |f, v| f.min_reviews = v.map(|v| v as u32))}
            </div>
            <div class="field-pair">
                {number("reviewers_per_request", "1", |f| f.reviewers_per_request.map(f64::from), |f, v| f.reviewers_per_request = v.map(|v| v as u32))}
                {number("org_cap", "1", |f| match f.org_cap { Some(OrgCap::Servers(n)) => Some(n as f64), _ => None },
                    |f, v| f.org_cap = v.map(|v| OrgCap::Servers(v as u64)))}
            </div>
            <div class="button-row">
                <button type="submit" class="button" data-testid="round-submit" disabled=move || busy.get()>
                    {move || if editing.get().is_some() { tr("admin.save") } else { tr("admin.create") }}
                </button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="link-button" data-testid="round-edit-cancel"
                        on:click=move |_| { editing.set(None); form.set(RoundInput::default()); error.set(None); }>
                        {move || tr("admin.confirm_no")}
                    </button>
                </Show>
            </div>
        </form>
    }
}

#[component]
fn PoolRow(form: RwSignal<RoundInput>, index: usize, error: RwSignal<Option<FetchError>>) -> impl IntoView {
    let field = |name: &str| format!("pools[{index}].{name}");
    let msg = move |f: String| move || error.with(|e| field_message(e.as_ref(), &f));
    let (pool_id, unit_id, cap_id) =
        (format!("round-pool-{index}"), format!("round-unit-{index}"), format!("round-capacity-{index}"));
    let get =
        move |f: fn(&PoolCapacityInput) -> String| move || form.with(|r| r.pools.get(index).map(f).unwrap_or_default());
    view! {
        <div class="pool-row" data-testid=format!("round-pool-row-{index}")>
            <div class="field">
                <label for=pool_id.clone()>{move || tr("admin.pool")}</label>
                <input id=pool_id type="text" data-testid=format!("round-pool-{index}") prop:value=get(|p| p.pool.clone())
                    on:input=move |ev| form.update(|r| if let Some(p) = r.pools.get_mut(index) { p.pool = event_target_value(&ev) })/>
                <p class="field-error">{msg(field("pool"))}</p>
            </div>
            <div class="field">
                <label for=unit_id.clone()>{move || tr("admin.unit")}</label>
                <select id=unit_id data-testid=format!("round-unit-{index}") prop:value=get(|p| p.unit.clone())
                    on:change=move |ev| form.update(|r| if let Some(p) = r.pools.get_mut(index) { p.unit = event_target_value(&ev) })>
                    {kairr_shared::allocation::PoolUnit::ALL.iter().map(|u| view! {
                        <option value=u.as_str()>{let u = *u; move || labels::unit(u)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error">{msg(field("unit"))}</p>
            </div>
            <div class="field">
                <label for=cap_id.clone()>{move || tr("admin.capacity")}</label>
                <input id=cap_id type="number" min="1" inputmode="numeric" data-testid=format!("round-capacity-{index}")
                    prop:value=get(|p| p.capacity.map(|c| c.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|r| if let Some(p) = r.pools.get_mut(index) { p.capacity = event_target_value(&ev).trim().parse().ok() })/>
                <p class="field-error">{msg(field("capacity"))}</p>
            </div>
            <button type="button" class="link-button" on:click=move |_| form.update(|r| { if index < r.pools.len() { r.pools.remove(index); } })>
                {move || tr("admin.remove_pool")}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_round_field_leads_to_its_control() {
        assert_eq!(pool_field("pools[2].capacity"), Some((2, "capacity")));
        assert_eq!(pool_field("pools"), None);
        assert_eq!(round_field_id("pools[1].pool"), "round-pool-1");
        assert_eq!(round_field_id("pools[0].unit"), "round-unit-0");
        assert_eq!(round_field_id("pools[3].capacity"), "round-capacity-3");
        assert_eq!(round_field_id("pools"), "round-add-pool");
        assert_eq!(round_field_id("sector_targets.startup"), "round-target-startup");
        assert_eq!(round_field_id("sector_targets"), format!("round-target-{}", Sector::ALL[0].as_str()));
        assert_eq!(round_field_id("min_score"), "round-min_score");
    }
}
