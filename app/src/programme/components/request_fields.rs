//! The request form's fields (title to period, and co-investigators), shared
//! by the new-request page and the change form on a request's own page.
//! Field errors from the server are shown at their field.

use kairr_shared::advisor::field_error::{FieldErrorCode, FieldErrors};
use kairr_shared::advisor::{Region, Sector};
use kairr_shared::allocation::{PoolCapacity, RequestInput};
use leptos::prelude::*;

use crate::common::api::FetchError;
use crate::common::i18n::{tr, tr_or, trf};
use crate::programme::labels;

/// The server's message about `field` in `error`, in the page's language.
pub fn field_message(error: RwSignal<Option<FetchError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.with(|e| crate::programme::form_errors::field_message(e.as_ref(), field))
}

/// The element a refusal of `field` points to: its control (the form's
/// own problems and the server's name fields by their API names).
pub fn input_id(field: &str) -> String {
    match field {
        "period_start" => "req-start".to_owned(),
        "period_end" => "req-end".to_owned(),
        other => format!("req-{other}"),
    }
}

/// `field` as the form labels it.
pub fn field_label(field: &str) -> String {
    let key = match field {
        "round" => "programme.request.round_field".to_owned(),
        "advisor_draft" => "programme.request.draft_field".to_owned(),
        other => format!("programme.request.{other}"),
    };
    tr_or(&key, field)
}

/// `aria-invalid` of a control, "true" while its field is refused (`err`).
fn invalid(err: impl Fn() -> Option<String> + Copy + 'static) -> impl Fn() -> &'static str + Copy + 'static {
    move || if err().is_some() { "true" } else { "false" }
}

/// Co-investigators as typed: usernames separated by commas, spaces or lines.
fn team_of(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n', ';']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The fields of `form`; `pools` are the round's, `in_directory` whether the
/// account's organisation is a directory entry (its sector and region apply);
/// `typed_amount` the amount input's text (see [`check_typed_amount`]).
#[component]
pub fn RequestFields(
    form: RwSignal<RequestInput>,
    typed_amount: RwSignal<String>,
    error: RwSignal<Option<FetchError>>,
    #[prop(into)] pools: Signal<Vec<PoolCapacity>>,
    #[prop(into)] in_directory: Signal<bool>,
) -> impl IntoView {
    let field_error = move |field: &'static str| field_message(error, field);
    // The amount input is not written on every keystroke: a number input
    // holding "1." or "-" reads as empty, and writing that back would wipe
    // what is being typed. It is set only when the form's amount changes
    // from elsewhere (a draft, a saved request).
    let amount_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let amount = form.with(|f| f.amount);
        if let Some(input) = amount_input.get() {
            if input.value().trim().parse::<u64>().ok() != amount {
                let text = amount.map(|a| a.to_string()).unwrap_or_default();
                input.set_value(&text);
                typed_amount.set(text);
            }
        }
    });
    let text = move |id: &'static str,
                     key: &'static str,
                     get: fn(&RequestInput) -> String,
                     set: fn(&mut RequestInput, String)| {
        let err = field_error(id);
        view! {
            <div class="field">
                <label for=format!("req-{id}")>{move || tr(key)}</label>
                <input id=format!("req-{id}") type="text" prop:value=move || form.with(get)
                    aria-invalid=move || if err().is_some() { "true" } else { "false" }
                    aria-describedby=format!("req-{id}-error")
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
                <p id=format!("req-{id}-error") class="field-error">{err}</p>
            </div>
        }
    };
    let pools = move || pools.get();
    let in_directory = move || in_directory.get();
    let abstract_err = field_error("abstract");
    let sector_err = field_error("sector");
    let region_err = field_error("region");
    let pool_err = field_error("pool");
    let amount_err = field_error("amount");
    let start_err = field_error("period_start");
    let end_err = field_error("period_end");
    let team_err = field_error("co_investigators");
    // Typed text is kept as typed; the list is what is sent.
    let team_text = RwSignal::new(form.with_untracked(|f| f.co_investigators.join(", ")));
    view! {
            {text("title_ko", "programme.request.title_ko", |f| f.title_ko.clone(), |f, v| f.title_ko = v)}
            {text("title_en", "programme.request.title_en", |f| f.title_en.clone(), |f, v| f.title_en = v)}
            <div class="field">
                <label for="req-abstract">{move || tr("programme.request.abstract")}</label>
                <textarea id="req-abstract" rows="5" prop:value=move || form.with(|f| f.abstract_text.clone())
                    aria-invalid=invalid(abstract_err) aria-describedby="req-abstract-error"
                    on:input=move |ev| form.update(|f| f.abstract_text = event_target_value(&ev))></textarea>
                <p id="req-abstract-error" class="field-error">{abstract_err}</p>
            </div>
            {text("pi", "programme.request.pi", |f| f.pi.clone(), |f, v| f.pi = v)}
            <div class="field">
                <label for="req-organisation">{move || tr("programme.request.organisation")}</label>
                <input id="req-organisation" type="text" readonly=true aria-describedby="req-organisation-hint"
                    prop:value=move || form.with(|f| f.organisation.clone())/>
                <p id="req-organisation-hint" class="muted">{move || tr("programme.request.organisation_hint")}</p>
            </div>
            // An account of the directory: the entry's sector and region apply (the server sets them).
            {move || if in_directory() {
                view! { <p class="muted" data-testid="req-sector-from-directory">{move || tr("programme.request.sector_from_directory")}</p> }.into_any()
            } else {
                view! {
                <div class="field">
                    <label for="req-sector">{move || tr("programme.request.sector")}</label>
                    <select id="req-sector" aria-invalid=invalid(sector_err) aria-describedby="req-sector-error" data-testid="req-sector"
                        on:change=move |ev| form.update(|f| f.sector = event_target_value(&ev))>
                        <option value="">{move || tr("programme.request.choose")}</option>
                        {move || Sector::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=move || form.with(|f| f.sector == s.as_str())>{labels::sector(*s)}</option>
                        }).collect_view()}
                    </select>
                    <p id="req-sector-error" class="field-error">{sector_err}</p>
                </div>
                <div class="field">
                    <label for="req-region">{move || tr("programme.request.region")}</label>
                    <select id="req-region" aria-invalid=invalid(region_err) aria-describedby="req-region-error"
                        on:change=move |ev| form.update(|f| f.region = event_target_value(&ev))>
                        <option value="">{move || tr("programme.request.choose")}</option>
                        {move || Region::ALL.iter().map(|r| view! {
                            <option value=r.as_str() selected=move || form.with(|f| f.region == r.as_str())>{labels::region(*r)}</option>
                        }).collect_view()}
                    </select>
                    <p id="req-region-error" class="field-error">{region_err}</p>
                </div>
                }.into_any()
            }}
            <div class="field">
                <label for="req-pool">{move || tr("programme.request.pool")}</label>
                <select id="req-pool" aria-invalid=invalid(pool_err) aria-describedby="req-pool-error" data-testid="req-pool"
                    on:change=move |ev| form.update(|f| f.pool = event_target_value(&ev))>
                    <option value="">{move || tr("programme.request.choose")}</option>
                    {move || pools().into_iter().map(|p| {
                        let name = p.pool.clone();
                        let text = trf("programme.request.pool_option", &[
                            ("pool", labels::pool(&p.pool)),
                            ("capacity", labels::amount(p.capacity, p.unit)),
                        ]);
                        view! { <option value=name.clone() selected=move || form.with(|f| f.pool == name)>{text}</option> }
                    }).collect_view()}
                    // The wizard's pick stays selectable even when the newest published round does not list it.
                    {move || {
                        let chosen = form.with(|f| f.pool.clone());
                        let offered = chosen.is_empty() || pools().iter().any(|p| p.pool == chosen);
                        (!offered).then(|| {
                            let text = trf("programme.request.pool_from_draft", &[("pool", labels::pool(&chosen))]);
                            view! { <option value=chosen selected=true>{text}</option> }
                        })
                    }}
                </select>
                <p id="req-pool-error" class="field-error">{pool_err}</p>
            </div>
            <div class="field">
                <label for="req-amount">{move || tr("programme.request.amount")}</label>
                <div class="input-row">
                    <input id="req-amount" type="number" min="1" inputmode="numeric" data-testid="req-amount"
                        aria-invalid=invalid(amount_err) aria-describedby="req-amount-unit req-amount-error"
                        node_ref=amount_input
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            form.update(|f| f.amount = text.trim().parse().ok());
                            typed_amount.set(text);
                        }/>
                    // The chosen pool's unit, next to the figure it counts.
                    <span id="req-amount-unit" class="unit" data-testid="req-amount-unit">{move || {
                        let chosen = form.with(|f| f.pool.clone());
                        pools().into_iter().find(|p| p.pool == chosen).map(|p| labels::unit(p.unit)).unwrap_or_default()
                    }}</span>
                </div>
                <p id="req-amount-error" class="field-error">{amount_err}</p>
            </div>
            <div class="field-pair">
                <div class="field">
                    <label for="req-start">{move || tr("programme.request.period_start")}</label>
                    <input id="req-start" type="date" aria-invalid=invalid(start_err) aria-describedby="req-start-error" prop:value=move || form.with(|f| f.period_start.clone())
                        on:input=move |ev| form.update(|f| f.period_start = event_target_value(&ev))/>
                    <p id="req-start-error" class="field-error">{start_err}</p>
                </div>
                <div class="field">
                    <label for="req-end">{move || tr("programme.request.period_end")}</label>
                    <input id="req-end" type="date" aria-invalid=invalid(end_err) aria-describedby="req-end-error" prop:value=move || form.with(|f| f.period_end.clone())
                        on:input=move |ev| form.update(|f| f.period_end = event_target_value(&ev))/>
                    <p id="req-end-error" class="field-error">{end_err}</p>
                </div>
            </div>
            <div class="field">
                <label for="req-co_investigators">{move || tr("programme.request.co_investigators")}</label>
                <input id="req-co_investigators" type="text" autocomplete="off" data-testid="req-co-investigators"
                    aria-invalid=move || if team_err().is_some() { "true" } else { "false" }
                    aria-describedby="req-co_investigators-hint req-co_investigators-error"
                    prop:value=move || team_text.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        form.update(|f| f.co_investigators = team_of(&text));
                        team_text.set(text);
                    }/>
                <p id="req-co_investigators-hint" class="muted">{move || tr("programme.request.co_investigators_hint")}</p>
                <p id="req-co_investigators-error" class="field-error">{team_err}</p>
            </div>
    }
}

/// The amount as typed, checked: a number input holds `-3` or `1.5` as
/// text while the form's `amount` (a whole number) stays empty, which the
/// form's own check would call missing. Such text is refused as what it is.
pub fn check_typed_amount(mut problems: FieldErrors, typed: &str) -> FieldErrors {
    let typed = typed.trim();
    if !typed.is_empty() && typed.parse::<u64>().is_err() {
        problems.0.retain(|e| e.field != "amount");
        problems.push(
            "amount",
            FieldErrorCode::NotAWholeNumber,
            "1 이상의 정수를 입력하세요.".into(),
            "Enter a whole number, 1 or more.".into(),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use kairr_shared::advisor::{FieldErrorCode, FieldErrors};

    #[test]
    fn an_amount_typed_as_a_fraction_or_a_negative_is_refused_as_not_whole_in_place_of_missing() {
        let mut missing = FieldErrors::default();
        missing.push("amount", FieldErrorCode::Required, "필수".into(), "required".into());
        for typed in ["1.5", "-3", "1e3", " 2.0 "] {
            let problems = super::check_typed_amount(missing.clone(), typed);
            assert_eq!(problems.0.len(), 1, "{typed}");
            assert_eq!(
                (problems.0[0].field.as_str(), problems.0[0].code),
                ("amount", FieldErrorCode::NotAWholeNumber),
                "{typed}"
            );
        }
        for typed in ["", "  ", "40", " 7 "] {
            assert_eq!(
                super::check_typed_amount(missing.clone(), typed),
                missing,
                "{typed:?} is left to the form's own check"
            );
        }
    }

    #[test]
    fn a_refused_field_leads_to_its_control() {
        assert_eq!(super::input_id("period_start"), "req-start");
        assert_eq!(super::input_id("period_end"), "req-end");
        assert_eq!(super::input_id("abstract"), "req-abstract");
        assert_eq!(super::input_id("co_investigators"), "req-co_investigators");
    }

    #[test]
    fn co_investigators_are_split_on_commas_spaces_and_lines() {
        assert_eq!(super::team_of(" kim, lee\npark;; "), vec!["kim", "lee", "park"]);
        assert!(super::team_of(" , ").is_empty());
    }
}
