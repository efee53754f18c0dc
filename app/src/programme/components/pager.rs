//! Previous/next page buttons with "page N of M" for a paged list.

use leptos::prelude::*;

use crate::common::i18n::{tr, trf};

/// The pager of a list; `page` is 1-based, `pages` the count.
#[component]
pub fn Pager(
    /// Current page (1-based).
    page: RwSignal<usize>,
    /// Number of pages.
    #[prop(into)]
    pages: Signal<usize>,
    /// For `data-testid` and the accessible name.
    name: &'static str,
) -> impl IntoView {
    let text =
        move || trf("programme.pager.page_of", &[("page", page.get().to_string()), ("pages", pages.get().to_string())]);
    // Comparisons in attribute closures are braced: a bare `>=` would end the tag in `view!`.
    // After a page change the reader is taken to the top of the list when it
    // was scrolled past (the pager sits under a long table): the new page's
    // first rows, not the end of its last ones.
    let nav = NodeRef::<leptos::html::Nav>::new();
    let to_list_top = move || {
        let list = nav.get_untracked().and_then(|n| n.closest("section, details").ok().flatten());
        if let Some(list) = list.filter(|l| l.get_bounding_client_rect().top() < 0.0) {
            list.scroll_into_view();
        }
    };
    view! {
        <nav class="pager" aria-label=move || tr("programme.pager.label") data-testid=format!("pager-{name}")
            data-page=move || page.get() data-pages=move || pages.get() node_ref=nav>
            <button type="button" class="button secondary" disabled=move || { page.get() <= 1 }
                on:click=move |_| { page.update(|p| *p = p.saturating_sub(1).max(1)); to_list_top(); }>
                {move || tr("programme.pager.previous")}
            </button>
            <span aria-live="polite">{text}</span>
            <button type="button" class="button secondary" disabled=move || { page.get() >= pages.get() }
                on:click=move |_| { page.update(|p| *p += 1); to_list_top(); }>
                {move || tr("programme.pager.next")}
            </button>
        </nav>
    }
}
