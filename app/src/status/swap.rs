//! Putting a freshly fetched status page in place of the one shown: its
//! header, main and footer replace the old ones, while what the reader is
//! busy with survives: the GPU input being typed in (moved into the new
//! page), the focus (the same element, or its counterpart), and the
//! `<details>` they opened.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::dom::{document, warn};

/// The parts of the page the server renders and a refresh replaces.
const REGIONS: [&str; 3] = ["header.site-header", "main", "footer.site-footer"];
/// What a refresh keeps: the GPU input (what is being typed, its caret).
pub const KEPT: &str = "#gpu-input";

/// The page in `html`, parsed (not attached to the document).
pub fn parse(html: &str) -> Option<Document> {
    let parser = web_sys::DomParser::new().ok()?;
    parser.parse_from_string(html, web_sys::SupportedType::TextHtml).ok()
}

/// Puts `fresh`'s regions in place of the page's, keeping [`KEPT`] nodes
/// (moved into the new regions), the open `<details>` and the focus; the
/// page takes `fresh`'s language and title, so words and `lang` agree.
pub fn swap(fresh: &Document) {
    let Some(doc) = document() else { return };
    let focus = Focus::take(&doc);
    for selector in REGIONS {
        let (Ok(Some(old)), Ok(Some(new))) = (doc.query_selector(selector), fresh.query_selector(selector)) else {
            continue;
        };
        keep_open(&old, &new);
        keep(&old, &new);
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
}

/// The `<details>` of a region outside the kept nodes, in document order.
fn own_details(region: &Element) -> Vec<Element> {
    let Ok(all) = region.query_selector_all("details") else { return Vec::new() };
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .filter(|d| d.closest(KEPT).ok().flatten().is_none())
        .collect()
}

/// What the reader opened (past incidents, a chart's table…) stays open:
/// each `<details>` of `new` takes the state of the one at its place in
/// `old` (when the region has as many as before).
fn keep_open(old: &Element, new: &Element) {
    let (before, after) = (own_details(old), own_details(new));
    if before.len() != after.len() {
        return;
    }
    for (was, now) in before.iter().zip(&after) {
        now.toggle_attribute_with_force("open", was.has_attribute("open")).ok();
    }
}

/// Moves each kept node of `old` into `new` in place of its counterpart (same id).
fn keep(old: &Element, new: &Element) {
    let Ok(kept) = old.query_selector_all(KEPT) else { return };
    for i in 0..kept.length() {
        let Some(node) = kept.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        if node.id().is_empty() {
            continue;
        }
        if let Ok(Some(place)) = new.query_selector(&format!("#{}", node.id())) {
            place.replace_with_with_node_1(&node).ok();
        }
    }
}

/// Where the focus was before a swap: the element itself when it is kept,
/// else how to find its counterpart (its id, or its `data-testid` and rank).
enum Focus {
    None,
    Kept(HtmlElement, Option<(u32, u32)>),
    Find(String, u32),
}

impl Focus {
    fn take(doc: &Document) -> Focus {
        let Some(active) = doc.active_element() else { return Focus::None };
        let Ok(kept) = active.closest(KEPT) else { return Focus::None };
        if kept.is_some() {
            let selection = active
                .dyn_ref::<HtmlInputElement>()
                .and_then(|i| Some((i.selection_start().ok().flatten()?, i.selection_end().ok().flatten()?)));
            return active.dyn_into::<HtmlElement>().map_or(Focus::None, |e| Focus::Kept(e, selection));
        }
        if !active.id().is_empty() {
            return Focus::Find(format!("#{}", active.id()), 0);
        }
        let Some(testid) = active.get_attribute("data-testid") else { return Focus::None };
        let selector = format!("[data-testid=\"{testid}\"]");
        let rank = doc.query_selector_all(&selector).ok().and_then(|all| {
            (0..all.length()).find(|i| all.item(*i).is_some_and(|n| n.is_same_node(Some(active.as_ref()))))
        });
        Focus::Find(selector, rank.unwrap_or(0))
    }

    fn restore(self, doc: &Document) {
        let element = match self {
            Focus::None => return,
            Focus::Kept(el, selection) => {
                if doc.active_element().is_some_and(|a| a.is_same_node(Some(el.as_ref()))) {
                    return;
                }
                el.focus().ok();
                if let (Some((start, end)), Some(input)) = (selection, el.dyn_ref::<HtmlInputElement>()) {
                    input.set_selection_range(start, end).ok();
                }
                return;
            }
            Focus::Find(selector, rank) => doc.query_selector_all(&selector).ok().and_then(|all| all.item(rank)),
        };
        if let Some(el) = element.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            el.focus().ok();
        }
    }
}
