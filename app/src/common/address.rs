//! The page's address: its query read at start and replaced (no new history
//! entry) as the person changes what the page shows, so a link shares it.

use leptos::prelude::window;
use wasm_bindgen::JsValue;

/// The page's query (`?a=1&b=2`, empty when it has none).
pub fn query() -> String {
    window().location().search().unwrap_or_default()
}

/// Replaces the page's query with `search` (`?…`, or empty for none),
/// keeping its path.
pub fn replace_query(search: &str) {
    let Ok(history) = window().history() else { return };
    let path = window().location().pathname().unwrap_or_else(|_| "/".into());
    let url = format!("{path}{search}");
    if let Err(e) = history.replace_state_with_url(&JsValue::NULL, "", Some(&url)) {
        leptos::logging::warn!("cannot update the address: {e:?}");
    }
}

/// The value of `name` in `search` (`?a=1&b=x%20y`), decoded as the browser
/// decodes it (`URLSearchParams`); the first when it is given twice.
pub fn query_param(search: &str, name: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(search).ok()?.get(name)
}

/// `search` (`?a=1`) with `name` set to `value`, or without `name` when
/// `value` is empty, written as the browser writes a query (`""` for none).
pub fn with_param(search: &str, name: &str, value: &str) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else { return search.to_owned() };
    if value.is_empty() {
        params.delete(name);
    } else {
        params.set(name, value);
    }
    let query = String::from(params.to_string());
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}

/// The number the page's path ends with (`/requests/42` → 42): the id of
/// the request a page shows.
pub fn path_id() -> Option<u64> {
    let path = window().location().pathname().ok()?;
    path.trim_end_matches('/').rsplit('/').next()?.parse().ok()
}

/// The page's path without a trailing slash (`/` stays `/`).
pub fn path() -> String {
    let path = window().location().pathname().unwrap_or_else(|_| "/".into());
    match path.trim_end_matches('/') {
        "" => "/".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// The page's query as the programme's pages read it: a signal, changed by
/// [`PageQuery::navigate`] within the page and by the browser's back and
/// forward buttons. Each app's root provides it ([`PageQuery::provide`]).
/// (Each page is its own document: a link to another page loads it, its
/// introduction first, with the cached wasm; so the apps need no router.)
#[derive(Debug, Clone, Copy)]
pub struct PageQuery(leptos::prelude::RwSignal<String>);

impl PageQuery {
    /// Provides the page's query to the app and follows the back and forward buttons.
    pub fn provide() -> PageQuery {
        use leptos::prelude::*;
        let q = PageQuery(RwSignal::new(query()));
        provide_context(q);
        // Kept for the page's life (the app is never unmounted).
        // Only a changed query is set: a fragment's history entry fires popstate too.
        let _listener = window_event_listener(leptos::ev::popstate, move |_| {
            let now = query();
            if q.0.with_untracked(|shown| *shown != now) {
                q.0.set(now);
            }
        });
        q
    }

    /// The app's page query (a fresh one, not following navigation, outside an app).
    pub fn use_context() -> PageQuery {
        use leptos::prelude::*;
        use_context::<PageQuery>().unwrap_or_else(|| PageQuery(RwSignal::new(query())))
    }

    /// The value of `name` in the query (tracked: a reader follows its changes).
    pub fn get(self, name: &str) -> Option<String> {
        use leptos::prelude::*;
        self.0.with(|search| query_param(search, name))
    }

    /// The value of `name` in the query now (untracked).
    pub fn get_untracked(self, name: &str) -> Option<String> {
        use leptos::prelude::*;
        self.0.with_untracked(|search| query_param(search, name))
    }

    /// Goes to `url` (path and query): on the same path, a new history entry
    /// and the query's readers follow it without a reload; another page is loaded.
    pub fn navigate(self, url: &str) {
        use leptos::prelude::*;
        let (to_path, search) = match url.split_once('?') {
            Some((p, q)) => (p, format!("?{q}")),
            None => (url, String::new()),
        };
        let same = to_path.trim_end_matches('/') == path().trim_end_matches('/');
        if same {
            if let Ok(history) = window().history() {
                if history.push_state_with_url(&JsValue::NULL, "", Some(url)).is_ok() {
                    self.0.set(search);
                    return;
                }
            }
        }
        if let Err(e) = window().location().assign(url) {
            leptos::logging::warn!("cannot open {url}: {e:?}");
        }
    }
}
