//! Putting a freshly fetched status page in place of the one shown: its
//! header, main and footer replace the old ones, while what the reader is
//! busy with survives: the GPU input being typed in and, when the page is
//! the live part without histories, each system's uptime bars and chart
//! (moved into the new page), the focus (the same element, or its
//! counterpart), and the `<details>` they opened.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::dom::{document, warn};

/// The parts of the page the server renders and a refresh replaces.
const REGIONS: [&str; 3] = ["header.site-header", "main", "footer.site-footer"];
/// What a refresh can keep: the GPU input (what is being typed, its caret)
/// and each system's history (where the new page marks its place `data-kept`).
const KEPT: &str = "#gpu-input, .system-history";

/// The page in `html`, parsed (not attached to the document).
pub fn parse(html: &str) -> Option<Document> {
    let parser = web_sys::DomParser::new().ok()?;
    parser.parse_from_string(html, web_sys::SupportedType::TextHtml).ok()
}

/// Puts `fresh`'s regions in place of the page's, keeping [`KEPT`] nodes
/// (moved into the new regions), the open `<details>` and the focus; the
/// page takes `fresh`'s language and title, so words and `lang` agree.
/// False when `fresh` keeps a place the page had nothing for (a system
/// the page did not show yet): then the whole page is due.
pub fn swap(fresh: &Document) -> bool {
    let Some(doc) = document() else { return true };
    let focus = Focus::take(&doc);
    for selector in REGIONS {
        let (Ok(Some(old)), Ok(Some(new))) = (doc.query_selector(selector), fresh.query_selector(selector)) else {
            continue;
        };
        let moved = keep(&old, &new);
        keep_open(&old, &new, &moved);
        if let Err(e) = old.replace_with_with_node_1(&new) {
            warn(&format!("cannot replace {selector}: {e:?}"));
        }
    }
    if let (Some(root), Some(lang)) =
        (doc.document_element(), fresh.document_element().and_then(|e| e.get_attribute("lang")))
    {
        root.set_attribute("lang", &lang).ok();
    }
    doc.set_title(&fresh.title());
    focus.restore(&doc);
    !matches!(doc.query_selector(".system-history[data-kept]"), Ok(Some(_)))
}

/// The `<details>` of a region outside the `moved` nodes, in document order.
fn own_details(region: &Element, moved: &[Element]) -> Vec<Element> {
    let Ok(all) = region.query_selector_all("details") else { return Vec::new() };
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .filter(|d| !moved.iter().any(|m| m.contains(Some(d.as_ref()))))
        .collect()
}

/// What the reader opened (past incidents, a chart's table…) stays open:
/// each `<details>` of `new` takes the state of the one at its place in
/// `old` (when the region has as many as before); those in the `moved`
/// nodes (now in `new`) keep their own.
fn keep_open(old: &Element, new: &Element, moved: &[Element]) {
    let (before, after) = (own_details(old, moved), own_details(new, moved));
    if before.len() != after.len() {
        return;
    }
    for (was, now) in before.iter().zip(&after) {
        now.toggle_attribute_with_force("open", was.has_attribute("open")).ok();
    }
}

/// Moves each kept node of `old` into `new` in place of its counterpart;
/// the nodes moved.
fn keep(old: &Element, new: &Element) -> Vec<Element> {
    let Ok(kept) = old.query_selector_all(KEPT) else { return Vec::new() };
    let mut moved = Vec::new();
    for i in 0..kept.length() {
        let Some(node) = kept.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let Some(place) = place_of(&node).and_then(|s| new.query_selector(&s).ok().flatten()) else { continue };
        if place.replace_with_with_node_1(&node).is_ok() {
            moved.push(node);
        }
    }
    moved
}

/// Where `node` goes in another rendering: the element with its id, or
/// for a system's history the place the new page kept for it.
fn place_of(node: &Element) -> Option<String> {
    if node.class_list().contains("system-history") {
        let system = node.get_attribute("data-system-id")?;
        return Some(format!(".system-history[data-system-id=\"{system}\"][data-kept]"));
    }
    let id = node.id();
    (!id.is_empty()).then(|| format!("#{id}"))
}

/// Where the focus was before a swap: the element (which stays when it
/// is moved into the new page), the selection of an input, and how to find
/// its counterpart when it is not (its id, or its `data-testid` and rank).
struct Focus {
    element: Option<HtmlElement>,
    selection: Option<(u32, u32)>,
    find: Option<(String, u32)>,
}

impl Focus {
    fn take(doc: &Document) -> Focus {
        let Some(active) = doc.active_element() else { return Focus { element: None, selection: None, find: None } };
        let selection = active
            .dyn_ref::<HtmlInputElement>()
            .and_then(|i| Some((i.selection_start().ok().flatten()?, i.selection_end().ok().flatten()?)));
        let find = if !active.id().is_empty() {
            Some((format!("#{}", active.id()), 0))
        } else {
            active.get_attribute("data-testid").map(|testid| {
                let selector = format!("[data-testid=\"{testid}\"]");
                let rank = doc.query_selector_all(&selector).ok().and_then(|all| {
                    (0..all.length()).find(|i| all.item(*i).is_some_and(|n| n.is_same_node(Some(active.as_ref()))))
                });
                (selector, rank.unwrap_or(0))
            })
        };
        Focus { element: active.dyn_into::<HtmlElement>().ok(), selection, find }
    }

    fn restore(self, doc: &Document) {
        if let Some(el) = self.element.filter(|e| e.is_connected()) {
            if !doc.active_element().is_some_and(|a| a.is_same_node(Some(el.as_ref()))) {
                el.focus().ok();
                if let (Some((start, end)), Some(input)) = (self.selection, el.dyn_ref::<HtmlInputElement>()) {
                    input.set_selection_range(start, end).ok();
                }
            }
            return;
        }
        let Some((selector, rank)) = self.find else { return };
        let found = doc.query_selector_all(&selector).ok().and_then(|all| all.item(rank));
        if let Some(el) = found.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            el.focus().ok();
        }
    }
}
