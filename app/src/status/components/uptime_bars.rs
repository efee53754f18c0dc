//! The 90-day uptime bar of a system: one element per KST day coloured by its
//! worst status (30 days on a phone), keyboard-navigable with a roving
//! tabindex, with a live detail line and a table alternative; and the key to
//! its colours and its rule, shown once above the systems ([`UptimeKey`]).

use kairr_shared::api::DailyUptime;
use kairr_shared::status::Status;
use leptos::ev::KeyboardEvent;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::common::components::kst_time::KstDate;
use crate::common::format::percent;
use crate::common::i18n::{tr, trf};
use crate::common::live::History;
use crate::status::labels;

/// The bar, its overall uptime figure, the detail region and the table.
#[component]
pub fn UptimeBars(
    /// The system id (for element ids).
    system_id: String,
    /// The system's history (only `uptime_days`/`uptime_fraction` are used).
    history: History,
) -> impl IntoView {
    let days = Memo::new(move |_| history.data.with(|h| h.as_ref().map(|h| h.uptime_days.clone()).unwrap_or_default()));
    let fraction = Memo::new(move |_| history.data.with(|h| h.as_ref().and_then(|h| h.uptime_fraction)));
    let focused = RwSignal::new(usize::MAX);
    let hovered = RwSignal::new(None::<usize>);
    let has_focus = RwSignal::new(false);
    let group = NodeRef::<Div>::new();
    let detail_id = format!("uptime-{system_id}-detail");
    let tab_stop = move || days.with(|d| focused.get().min(d.len().saturating_sub(1)));
    let active = move || hovered.get().or_else(|| has_focus.get().then(tab_stop));
    let on_key = move |ev: KeyboardEvent| {
        let n = days.with_untracked(Vec::len);
        let Some(next) = next_index(&ev.key(), focused.get_untracked().min(n.saturating_sub(1)), n) else {
            return;
        };
        ev.prevent_default();
        // Days a phone does not show are skipped: Home goes to the first shown.
        let next = (next..n).find(|i| day_shown(group, *i)).unwrap_or(next);
        focused.set(next);
        focus_day(group, next);
    };
    view! {
        <div class="uptime">
            <div class="uptime-head">
                <h4>{move || tr("uptime.title")}</h4>
                <p class="uptime-percent" data-testid="uptime-percent">
                    {move || match fraction.get() {
                        Some(f) => trf("uptime.overall", &[("pct", percent(f, 2))]),
                        None => tr("uptime.overall_none"),
                    }}
                </p>
            </div>
            <div
                class="uptime-bars"
                data-testid="uptime-bars"
                role="group"
                aria-label=move || tr("uptime.group_label")
                aria-describedby=detail_id.clone()
                node_ref=group
                on:keydown=on_key
                on:mouseleave=move |_| hovered.set(None)
                on:focusout=move |_| has_focus.set(false)
            >
                <For each=move || 0..days.with(Vec::len) key=|i| *i let:i>
                    <span
                        class=move || format!("uptime-day {}", days.with(|d| d.get(i).map_or("nodata", day_class)))
                        data-testid="uptime-day"
                        data-index=i
                        data-date=move || days.with(|d| d.get(i).map(|d| d.date.to_string()))
                        data-status=move || days.with(|d| d.get(i).map(|d| d.worst.map_or("none", |s| s.as_str())))
                        role="img"
                        tabindex=move || if tab_stop() == i { "0" } else { "-1" }
                        aria-label=move || days.with(|d| d.get(i).map(day_text))
                        on:focus=move |_| {
                            focused.set(i);
                            has_focus.set(true);
                        }
                        on:mouseenter=move |_| hovered.set(Some(i))
                    ></span>
                </For>
            </div>
            // Phones show the last 30 days (style/main.css), and say so.
            <div class="uptime-axis" aria-hidden="true">
                <span class="axis-90">{move || tr("uptime.axis_past")}</span>
                <span class="axis-30">{move || tr("uptime.axis_past_30")}</span>
                <span>{move || tr("uptime.axis_today")}</span>
            </div>
            <p id=detail_id class="uptime-detail" data-testid="uptime-detail" aria-live="polite">
                {move || match active().and_then(|i| days.with(|d| d.get(i).cloned())) {
                    Some(d) => view! { <KstDate date=d.date/>" · "{day_facts(&d)} }.into_any(),
                    None => tr("uptime.hint").into_any(),
                }}
            </p>
            <details class="alt-table">
                <summary>{move || tr("uptime.table_summary")}</summary>
                <UptimeTable days=days/>
            </details>
        </div>
    }
}

/// What the bars' colours mean and how uptime is counted.
#[component]
pub fn UptimeKey(
    /// The partial-outage weight the summary states (no rule without it).
    #[prop(into)]
    partial_outage_weight: Signal<Option<f64>>,
) -> impl IntoView {
    view! {
        <div class="uptime-key" data-testid="uptime-key">
            <ul class="uptime-legend" aria-label=move || tr("uptime.legend_label")>
                {Status::ALL.into_iter().map(|s| view! {
                    <li><span class=format!("uptime-swatch {}", s.as_str()) aria-hidden="true"></span>{move || labels::status(s)}</li>
                }).collect_view()}
                <li><span class="uptime-swatch nodata" aria-hidden="true"></span>{move || tr("uptime.no_data")}</li>
            </ul>
            {move || partial_outage_weight.get().map(|w| view! {
                <p class="uptime-rule" data-testid="uptime-rule">{trf("uptime.rule", &[("w", w.to_string())])}</p>
            })}
        </div>
    }
}

/// Where a key press moves the roving focus among `n` days, `None` for other keys.
fn next_index(key: &str, current: usize, n: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    match key {
        "ArrowLeft" => Some(current.saturating_sub(1)),
        "ArrowRight" => Some((current + 1).min(n - 1)),
        "Home" => Some(0),
        "End" => Some(n - 1),
        _ => None,
    }
}

/// Whether the day `index` is laid out (phones show only the last 30).
fn day_shown(group: NodeRef<Div>, index: usize) -> bool {
    let Some(group) = group.get_untracked() else { return true };
    match group.query_selector(&format!("[data-index=\"{index}\"]")) {
        Ok(Some(day)) => day.client_width() > 0,
        _ => true,
    }
}

fn focus_day(group: NodeRef<Div>, index: usize) {
    let Some(group) = group.get_untracked() else {
        return;
    };
    let Ok(Some(day)) = group.query_selector(&format!("[data-index=\"{index}\"]")) else {
        return;
    };
    if let Ok(day) = day.dyn_into::<web_sys::HtmlElement>() {
        if let Err(e) = day.focus() {
            leptos::logging::warn!("cannot focus uptime day: {e:?}");
        }
    }
}

/// CSS class of a day: its worst status, or `nodata`.
fn day_class(d: &DailyUptime) -> &'static str {
    match (d.uptime, d.worst) {
        (Some(_), Some(s)) => s.as_str(),
        _ => "nodata",
    }
}

/// "가동률 99.80% · 장애 12분 · 점검 30분", or "데이터 없음".
fn day_facts(d: &DailyUptime) -> String {
    let Some(u) = d.uptime else {
        return tr("uptime.no_data");
    };
    let mut parts = vec![trf("uptime.day_uptime", &[("pct", percent(u, 2))])];
    let outage = d.minutes_major_outage + d.minutes_partial_outage;
    if outage > 0 {
        parts.push(trf("uptime.day_outage", &[("min", outage.to_string())]));
    }
    if d.minutes_degraded > 0 {
        let args = [("min", d.minutes_degraded.to_string())];
        parts.push(trf("uptime.day_degraded", &args));
    }
    if d.minutes_maintenance > 0 {
        let args = [("min", d.minutes_maintenance.to_string())];
        parts.push(trf("uptime.day_maintenance", &args));
    }
    if let Some(s) = d.worst {
        parts.push(labels::status(s));
    }
    parts.join(" · ")
}

/// The accessible name of a day element: its date and facts.
fn day_text(d: &DailyUptime) -> String {
    format!("{}: {}", crate::common::format::date(d.date), day_facts(d))
}

/// The same 90 days as a table, newest first.
#[component]
fn UptimeTable(
    /// The days, oldest first.
    #[prop(into)]
    days: Signal<Vec<DailyUptime>>,
) -> impl IntoView {
    view! {
        <table class="data-table" data-testid="uptime-table">
            <thead>
                <tr>
                    <th scope="col">{move || tr("uptime.col_date")}</th>
                    <th scope="col">{move || tr("uptime.col_status")}</th>
                    <th scope="col">{move || tr("uptime.col_uptime")}</th>
                    <th scope="col">{move || tr("uptime.col_outage")}</th>
                    <th scope="col">{move || tr("uptime.col_maintenance")}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    days.get()
                        .into_iter()
                        .rev()
                        .map(|d| {
                            view! {
                                <tr>
                                    <th scope="row"><KstDate date=d.date/></th>
                                    <td>{d.worst.map_or_else(|| tr("uptime.no_data"), labels::status)}</td>
                                    <td>{d.uptime.map_or_else(|| "—".to_owned(), |u| percent(u, 2))}</td>
                                    <td>{(d.minutes_major_outage + d.minutes_partial_outage + d.minutes_degraded).to_string()}</td>
                                    <td>{d.minutes_maintenance.to_string()}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::next_index;

    #[test]
    fn arrow_keys_move_within_the_bar_and_stop_at_the_ends() {
        let cases = [
            ("ArrowLeft", 5, Some(4)),
            ("ArrowLeft", 0, Some(0)),
            ("ArrowRight", 5, Some(6)),
            ("ArrowRight", 89, Some(89)),
            ("Home", 42, Some(0)),
            ("End", 3, Some(89)),
            ("Enter", 3, None),
        ];
        for (key, current, expected) in cases {
            assert_eq!(next_index(key, current, 90), expected, "{key} from {current}");
        }
        assert_eq!(next_index("End", 0, 0), None);
    }
}
