//! Puts freshly rendered HTML in place of an element, changing only what
//! differs: a subtree the browser finds equal (`isEqualNode`) is left
//! alone, attributes are set and removed one by one, text is rewritten
//! where it changed, and children are matched by position (an element of
//! another tag, `id` or `data-key` is replaced). Nothing that stays is
//! taken out of the document, so the input being typed in keeps its focus,
//! caret and (on a phone) keyboard, and a screen reader's place holds.
//!
//! Form state lives in properties the markup only seeds: a text input's
//! `value` is set from the new markup unless it is focused (then what is
//! typed is the state); a checkbox's `checked` and a `<select>`'s chosen
//! option always follow the markup; whether a `<details>` is open is left
//! as the reader left it.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement, HtmlTemplateElement, Node};

use crate::common::dom::{document, warn};

/// Makes `target` what `html` (one element, `target`'s counterpart) is.
/// When `html` parses to no element or to another tag, `target` is replaced.
pub fn morph_html(target: &Element, html: &str) {
    let Some(doc) = document() else { return };
    let Some(fresh) = parse(&doc, html) else { return };
    morph_into(&doc, target, &fresh);
}

/// Makes `target` what `fresh` (an element already parsed, of this document
/// or another: the nodes that go in are adopted) is; see [`morph_html`].
/// `fresh` may lose nodes to `target`.
pub fn morph_into(doc: &Document, target: &Element, fresh: &Element) {
    if target.is_equal_node(Some(fresh)) {
        return;
    }
    if same_kind(target, fresh) {
        morph_element(doc, target, fresh);
    } else if let Err(e) = target.replace_with_with_node_1(fresh) {
        warn(&format!("cannot replace an element: {e:?}"));
    }
}

/// The first element of `html`, parsed in an inert `<template>`.
fn parse(doc: &Document, html: &str) -> Option<Element> {
    let template: HtmlTemplateElement = doc.create_element("template").ok()?.dyn_into().ok()?;
    template.set_inner_html(html);
    template.content().first_element_child()
}

/// Whether `old` can be morphed into `new` rather than replaced.
fn same_node(old: &Node, new: &Node) -> bool {
    if old.node_type() != new.node_type() {
        return false;
    }
    match (old.dyn_ref::<Element>(), new.dyn_ref::<Element>()) {
        (Some(o), Some(n)) => same_kind(o, n),
        _ => true,
    }
}

fn same_kind(old: &Element, new: &Element) -> bool {
    old.tag_name() == new.tag_name()
        && old.get_attribute("id") == new.get_attribute("id")
        && old.get_attribute("data-key") == new.get_attribute("data-key")
}

fn morph_element(doc: &Document, old: &Element, new: &Element) {
    sync_attributes(old, new);
    if let Some(input) = old.dyn_ref::<HtmlInputElement>() {
        sync_input(doc, input, new);
        return;
    }
    morph_children(doc, old, new);
    if let Some(select) = old.dyn_ref::<HtmlSelectElement>() {
        let chosen = new
            .query_selector("option[selected]")
            .ok()
            .flatten()
            .and_then(|o| o.get_attribute("value"))
            .unwrap_or_default();
        if select.value() != chosen {
            select.set_value(&chosen);
        }
    }
}

fn sync_attributes(old: &Element, new: &Element) {
    // Whether a `<details>` is open is the reader's: the markup only seeds it.
    let kept = |name: &str| name == "open" && old.tag_name() == "DETAILS";
    let names = old.get_attribute_names();
    for name in names.iter().filter_map(|n| n.as_string()) {
        if !new.has_attribute(&name) && !kept(&name) {
            if let Err(e) = old.remove_attribute(&name) {
                warn(&format!("cannot remove {name}: {e:?}"));
            }
        }
    }
    let names = new.get_attribute_names();
    for name in names.iter().filter_map(|n| n.as_string().filter(|n| !kept(n))) {
        let value = new.get_attribute(&name).unwrap_or_default();
        if old.get_attribute(&name).as_deref() != Some(value.as_str()) {
            if let Err(e) = old.set_attribute(&name, &value) {
                warn(&format!("cannot set {name}: {e:?}"));
            }
        }
    }
}

fn sync_input(doc: &Document, input: &HtmlInputElement, new: &Element) {
    match input.type_().as_str() {
        "checkbox" | "radio" => input.set_checked(new.has_attribute("checked")),
        _ => {
            let focused = doc.active_element().is_some_and(|a| a.is_same_node(Some(input)));
            let value = new.get_attribute("value").unwrap_or_default();
            if !focused && input.value() != value {
                input.set_value(&value);
            }
        }
    }
}

fn morph_children(doc: &Document, old: &Element, new: &Element) {
    let old_kids = children(old);
    let new_kids = children(new);
    for (i, fresh) in new_kids.iter().enumerate() {
        let done = match old_kids.get(i) {
            // The browser compares a whole subtree natively: what did not change is not walked.
            Some(kept) if kept.is_equal_node(Some(fresh)) => Ok(()),
            Some(kept) if same_node(kept, fresh) => {
                match (kept.dyn_ref::<Element>(), fresh.dyn_ref::<Element>()) {
                    (Some(k), Some(f)) => morph_element(doc, k, f),
                    _ => {
                        if kept.node_value() != fresh.node_value() {
                            kept.set_node_value(fresh.node_value().as_deref());
                        }
                    }
                }
                Ok(())
            }
            Some(kept) => old.replace_child(fresh, kept).map(drop),
            None => old.append_child(fresh).map(drop),
        };
        if let Err(e) = done {
            warn(&format!("cannot put a node in place: {e:?}"));
        }
    }
    for gone in old_kids.iter().skip(new_kids.len()) {
        if let Err(e) = old.remove_child(gone) {
            warn(&format!("cannot remove a node: {e:?}"));
        }
    }
}

/// The child nodes of `parent`, as they are now (a list that does not
/// change as nodes move).
fn children(parent: &Element) -> Vec<Node> {
    let list = parent.child_nodes();
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}
