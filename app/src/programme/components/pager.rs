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
    view! {
        <nav class="pager" aria-label=move || tr("programme.pager.label") data-testid=format!("pager-{name}")
            data-page=move || page.get() data-pages=move || pages.get()>
            <button type="button" class="button secondary" disabled=move || { page.get() <= 1 }
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                {move || tr("programme.pager.previous")}
            </button>
            <span aria-live="polite">{text}</span>
            <button type="button" class="button secondary" disabled=move || { page.get() >= pages.get() }
                on:click=move |_| page.update(|p| *p += 1)>
                {move || tr("programme.pager.next")}
            </button>
        </nav>
    }
}
