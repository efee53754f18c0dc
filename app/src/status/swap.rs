//! Putting a freshly fetched status page in place of the one shown: its
//! header, main and footer replace the old ones, while what the reader is
//! busy with survives: the GPU input being typed in and, when the page is
//! the live part without histories, each system's uptime bars and chart
//! (moved into the new page), the focus (the same element, or its
//! counterpart), and the `<details>` they opened.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element, FocusOptions, HtmlElement, HtmlInputElement, Node, NodeList};

use crate::common::dom::{document, warn};

/// The parts of the page the server renders and a refresh replaces.
const REGIONS: [&str; 3] = ["header.site-header", "main", "footer.site-footer"];
/// What a refresh can keep: the GPU input (what is being typed, its caret)
/// and its error (not announced again), and each system's history (where
/// the new page marks its place `data-kept`).
const KEPT: &str = "#gpu-input, #gpu-input-error, .system-history";

/// The page in `html`, parsed (not attached to the document).
pub fn parse(html: &str) -> Option<Document> {
    let parser = web_sys::DomParser::new().ok()?;
    parser.parse_from_string(html, web_sys::SupportedType::TextHtml).ok()
}

/// Puts `fresh`'s regions in place of the page's, keeping [`KEPT`] nodes
/// where the new page has their place, the open `<details>` and the focus;
/// the page takes `fresh`'s language and title, so words and `lang` agree.
/// A region holding kept nodes is merged ([`merge`]) rather than replaced,
/// so they never leave the document: the input being typed in keeps its
/// focus (a phone keeps its keyboard) and nothing scrolls. False when
/// `fresh` keeps a place the page had nothing for (a system the page did
/// not show yet): then the whole page is due.
pub fn swap(fresh: &Document) -> bool {
    let Some(doc) = document() else { return true };
    let focus = Focus::take(&doc);
    for selector in REGIONS {
        let (Ok(Some(old)), Ok(Some(new))) = (doc.query_selector(selector), fresh.query_selector(selector)) else {
            continue;
        };
        let pairs = kept_pairs(&old, &new);
        let kept: Vec<Element> = pairs.iter().map(|(k, _)| k.clone()).collect();
        keep_open(&old, &new, &kept);
        let done = if pairs.is_empty() { old.replace_with_with_node_1(&new) } else { merge(&old, &new, &pairs) };
        if let Err(e) = done {
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

/// Each kept node of `old` with its place in `new`.
fn kept_pairs(old: &Element, new: &Element) -> Vec<(Element, Element)> {
    let Ok(kept) = old.query_selector_all(KEPT) else { return Vec::new() };
    (0..kept.length())
        .filter_map(|i| kept.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .filter_map(|k| {
            let place = place_of(&k).and_then(|s| new.query_selector(&s).ok().flatten())?;
            Some((k, place))
        })
        .collect()
}

/// Makes `old` what `new` is without taking a kept node out of the
/// document: `old` takes `new`'s attributes and children, except that each
/// kept node stays in place of its place, and a child of `old` holding kept
/// nodes is merged with its counterpart in turn (same tag, holding their
/// places). Where the structure around a kept node changed, the node is
/// moved into its place instead.
fn merge(old: &Element, new: &Element, pairs: &[(Element, Element)]) -> Result<(), JsValue> {
    take_attributes(old, new);
    let mut wanted: Vec<Node> = Vec::new();
    for child in nodes(&new.child_nodes()) {
        if let Some((kept, _)) = pairs.iter().find(|(_, place)| place.is_same_node(Some(&child))) {
            wanted.push(kept.clone().into());
            continue;
        }
        let inside: Vec<(Element, Element)> =
            pairs.iter().filter(|(_, place)| child.contains(Some(place.as_ref()))).cloned().collect();
        let Some(child_el) = child.dyn_ref::<Element>().filter(|_| !inside.is_empty()) else {
            wanted.push(child);
            continue;
        };
        let holder = nodes(&old.child_nodes()).into_iter().filter_map(|n| n.dyn_into::<Element>().ok()).find(|o| {
            o.tag_name() == child_el.tag_name()
                && inside
                    .iter()
                    .all(|(kept, _)| o.contains(Some(kept.as_ref())) && !o.is_same_node(Some(kept.as_ref())))
        });
        match holder {
            Some(o) => {
                merge(&o, child_el, &inside)?;
                wanted.push(o.into());
            }
            None => {
                for (kept, place) in &inside {
                    place.replace_with_with_node_1(kept)?;
                }
                wanted.push(child);
            }
        }
    }
    for stale in nodes(&old.child_nodes()) {
        if !wanted.iter().any(|w| w.is_same_node(Some(&stale))) {
            old.remove_child(&stale)?;
        }
    }
    // In order: a node already in its place is left there (never moved).
    let mut next = old.first_child();
    for node in wanted {
        if next.as_ref().is_some_and(|n| n.is_same_node(Some(&node))) {
            next = node.next_sibling();
            continue;
        }
        old.insert_before(&node, next.as_ref())?;
    }
    Ok(())
}

/// The nodes of `list`, as they are now.
fn nodes(list: &NodeList) -> Vec<Node> {
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// `old` takes `new`'s attributes (and loses those `new` has not).
fn take_attributes(old: &Element, new: &Element) {
    for name in old.get_attribute_names().iter().filter_map(|n| n.as_string()) {
        if !new.has_attribute(&name) {
            old.remove_attribute(&name).ok();
        }
    }
    for name in new.get_attribute_names().iter().filter_map(|n| n.as_string()) {
        if let Some(value) = new.get_attribute(&name) {
            if old.get_attribute(&name).as_deref() != Some(value.as_str()) {
                old.set_attribute(&name, &value).ok();
            }
        }
    }
}

/// The `<details>` of a region outside the `kept` nodes, in document order.
fn own_details(region: &Element, kept: &[Element]) -> Vec<Element> {
    let Ok(all) = region.query_selector_all("details") else { return Vec::new() };
    (0..all.length())
        .filter_map(|i| all.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .filter(|d| !kept.iter().any(|m| m.contains(Some(d.as_ref()))))
        .collect()
}

/// What the reader opened (past incidents, a chart's table…) stays open:
/// each `<details>` of `new` takes the state of the one at its place in
/// `old` (when the region has as many as before); those in the `kept`
/// nodes keep their own.
fn keep_open(old: &Element, new: &Element, kept: &[Element]) {
    let (before, after) = (own_details(old, kept), own_details(new, kept));
    if before.len() != after.len() {
        return;
    }
    for (was, now) in before.iter().zip(&after) {
        now.toggle_attribute_with_force("open", was.has_attribute("open")).ok();
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
