//! The uptime bars the server draws (one `.uptime-day` per KST day, each
//! named by its date and facts) made explorable: the arrow keys, Home and
//! End move a roving focus between the days a screen shows (a phone shows
//! 30), and the day pointed at or focused is shown in the bar's detail line
//! (for the eyes: a screen reader hears the focused day's own name, and the
//! bar's hint once, its `aria-describedby`); leaving the bar brings the hint
//! back.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, KeyboardEvent, MouseEvent};

use crate::common::dom::{document, on, target_within};

const DAY: &str = ".uptime-day";
const BAR: &str = ".uptime-bars";

/// Listens for the bars' keys, pointer and focus (all bars, now and after refreshes).
pub fn follow() {
    on("keydown", |e| {
        let (Some(day), Some(key)) = (target_within(e, DAY), e.dyn_ref::<KeyboardEvent>()) else { return };
        let Some(bar) = day.closest(BAR).ok().flatten() else { return };
        let days = shown_days(&bar);
        let Some(current) = days.iter().position(|d| d.is_same_node(Some(day.as_ref()))) else { return };
        if let Some(next) = next_index(&key.key(), current, days.len()) {
            e.prevent_default();
            days[next].focus().ok();
        }
    });
    on("focusin", |e| {
        if let Some(day) = target_within(e, DAY) {
            rove_to(&day);
            say(&day);
        }
    });
    on("focusout", |e| leave(e, related(e)));
    on("mouseover", |e| {
        if let Some(day) = target_within(e, DAY) {
            say(&day);
        }
    });
    on("mouseout", |e| leave(e, related(e)));
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

/// The days of `bar` that are laid out (a phone hides all but the last 30).
fn shown_days(bar: &Element) -> Vec<HtmlElement> {
    let Ok(all) = bar.query_selector_all(DAY) else { return Vec::new() };
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()))
        .filter(|d| d.client_width() > 0)
        .collect()
}

/// The element the pointer or focus went to (`relatedTarget`).
fn related(e: &Event) -> Option<Element> {
    let target = match (e.dyn_ref::<MouseEvent>(), e.dyn_ref::<web_sys::FocusEvent>()) {
        (Some(m), _) => m.related_target(),
        (_, Some(f)) => f.related_target(),
        _ => None,
    };
    target?.dyn_into::<Element>().ok()
}

/// `day` becomes its bar's one tab stop.
fn rove_to(day: &Element) {
    let Some(bar) = day.closest(BAR).ok().flatten() else { return };
    let Ok(all) = bar.query_selector_all(DAY) else { return };
    for i in 0..all.length() {
        if let Some(d) = all.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            let stop = d.is_same_node(Some(day.as_ref()));
            d.set_attribute("tabindex", if stop { "0" } else { "-1" }).ok();
        }
    }
}

/// The detail line of `bar` (beside it in its `.uptime` block).
fn detail_of(bar: &Element) -> Option<Element> {
    bar.closest(".uptime").ok().flatten()?.query_selector(".uptime-detail").ok().flatten()
}

/// Shows `day`'s date and facts (its accessible name) in its bar's detail line.
fn say(day: &Element) {
    let (Some(bar), Some(facts)) = (day.closest(BAR).ok().flatten(), day.get_attribute("aria-label")) else { return };
    if let Some(detail) = detail_of(&bar) {
        if detail.text_content().as_deref() != Some(facts.as_str()) {
            detail.set_text_content(Some(&facts));
        }
    }
}

/// Pointer or focus left a day for `to`: within the same bar nothing
/// changes; else the bar shows its focused day, or its hint.
fn leave(e: &Event, to: Option<Element>) {
    let Some(bar) = target_within(e, BAR) else { return };
    if to.is_some_and(|t| bar.contains(Some(t.as_ref()))) {
        return;
    }
    let focused = document()
        .and_then(|d| d.active_element())
        .filter(|a| bar.contains(Some(a.as_ref())) && e.type_() != "focusout");
    match focused {
        Some(day) => say(&day),
        None => {
            if let Some(detail) = detail_of(&bar) {
                detail.set_text_content(detail.get_attribute("data-hint").as_deref());
            }
        }
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
