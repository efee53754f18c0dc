//! Putting a freshly fetched status page in place of the one shown: its
//! header, main and footer are made what the new ones are by
//! `common::morph`, which changes only what differs, so nothing that stays
//! the same leaves the document: a click pressed during a refresh lands, a
//! text selection holds, a screen reader keeps its place. What the reader
//! is busy with survives too: the GPU input being typed in (and its error,
//! not announced again) and, when the page is the live part without
//! histories, each system's uptime bars and chart stay as they are; the
//! focus stays (or goes to its counterpart when its element went), and the
//! `<details>` the reader opened stay open.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, FocusOptions, HtmlElement, HtmlInputElement};

use crate::common::dom::{document, warn};
use crate::common::morph::morph_into;

/// The parts of the page the server renders and a refresh renews.
const REGIONS: [&str; 3] = ["header.site-header", "main", "footer.site-footer"];
/// What a refresh keeps as the page has it: the GPU input (what is being
/// typed, its caret) and its error (the reader's, not the server's), and
/// each system's history (where the new page marks its place `data-kept`).
const KEPT: &str = "#gpu-input, #gpu-input-error, .system-history";

/// The page in `html`, parsed (not attached to the document).
pub fn parse(html: &str) -> Option<Document> {
    let parser = web_sys::DomParser::new().ok()?;
    parser.parse_from_string(html, web_sys::SupportedType::TextHtml).ok()
}

/// Makes the page's regions what `fresh`'s are, keeping [`KEPT`] nodes
/// where the new page has their place (a copy of each stands in its place
/// in `fresh`, so the morph finds them equal and leaves them alone), the
/// open `<details>` (the morph leaves `open` as the reader set it) and the
/// focus; the page takes `fresh`'s language and title, so words and `lang`
/// agree. False when `fresh` keeps a place the page had nothing for (a
/// system the page did not show yet): then the whole page is due.
pub fn swap(fresh: &Document) -> bool {
    let Some(doc) = document() else { return true };
    let focus = Focus::take(&doc);
    for selector in REGIONS {
        let (Ok(Some(old)), Ok(Some(new))) = (doc.query_selector(selector), fresh.query_selector(selector)) else {
            continue;
        };
        stand_in_kept(&old, &new);
        morph_into(&doc, &old, &new);
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

/// Puts a copy of each kept node of `old` in its place in `new`.
fn stand_in_kept(old: &Element, new: &Element) {
    let Ok(kept) = old.query_selector_all(KEPT) else { return };
    for k in (0..kept.length()).filter_map(|i| kept.item(i).and_then(|n| n.dyn_into::<Element>().ok())) {
        let Some(place) = place_of(&k).and_then(|s| new.query_selector(&s).ok().flatten()) else { continue };
        let copy = k.clone_node_with_deep(true);
        if let Err(e) = copy.and_then(|c| place.replace_with_with_node_1(&c)) {
            warn(&format!("cannot keep a part of the page: {e:?}"));
        }
    }
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

/// Where the focus was before a swap: the element (which stays when it is
/// kept), the selection of an input, and how to find its counterpart when
/// it is not (its id, or its `data-testid` or tag and rank).
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
        // Its id; else its `data-testid`, else its tag (a `<summary>`, a
        // link), and its rank among the page's elements that share it.
        let find = if !active.id().is_empty() {
            Some((format!("#{}", active.id()), 0))
        } else {
            let selector = match active.get_attribute("data-testid") {
                Some(testid) => format!("[data-testid=\"{testid}\"]"),
                None => active.local_name(),
            };
            let rank = doc.query_selector_all(&selector).ok().and_then(|all| {
                (0..all.length()).find(|i| all.item(*i).is_some_and(|n| n.is_same_node(Some(active.as_ref()))))
            });
            rank.map(|rank| (selector, rank))
        };
        Focus { element: active.dyn_into::<HtmlElement>().ok(), selection, find }
    }

    fn restore(self, doc: &Document) {
        if let Some(el) = self.element.filter(|e| e.is_connected()) {
            if !doc.active_element().is_some_and(|a| a.is_same_node(Some(el.as_ref()))) {
                focus_quietly(&el);
                if let (Some((start, end)), Some(input)) = (self.selection, el.dyn_ref::<HtmlInputElement>()) {
                    input.set_selection_range(start, end).ok();
                }
            }
            return;
        }
        let Some((selector, rank)) = self.find else { return };
        let found = doc.query_selector_all(&selector).ok().and_then(|all| all.item(rank));
        if let Some(el) = found.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            focus_quietly(&el);
        }
    }
}

/// Focuses `el` without scrolling the page to it.
fn focus_quietly(el: &HtmlElement) {
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    el.focus_with_options(&options).ok();
}
