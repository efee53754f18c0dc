//! The UI language as a Leptos context: a `RwSignal<Locale>` remembered in
//! `localStorage` (`kairr.locale`) and mirrored to `<html lang>`, plus the
//! `tr`/`trf` look-ups every component uses for its strings. A page with its
//! own strings (the wizard's `advisor.*` pair) adds them as a look-up
//! function, so other pages' wasm does not carry them.

use kairr_shared::api::LOCALE_COOKIE;
use kairr_shared::i18n::{t, tf, Locale};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// `localStorage` key under which the chosen language is kept.
pub const STORAGE_KEY: &str = "kairr.locale";

/// Extra strings a page brings: its text for a key, if it defines the key.
pub type ExtraStrings = fn(Locale, &str) -> Option<String>;

/// The context value: the current UI language and the page's extra strings.
#[derive(Debug, Clone, Copy)]
pub struct LocaleContext {
    pub locale: RwSignal<Locale>,
    pub extra: Option<ExtraStrings>,
}

/// Creates the locale signal from the language cookie (the choice the apps'
/// toggle and the server pages' language links both write), else
/// `localStorage`, else the language the page came in (`<html lang>`);
/// Korean by default. Provides
/// it as context with the page's `extra` strings, and keeps storage, `<html
/// lang>` and the document title (`title`) in sync.
pub fn provide_locale_with(extra: Option<ExtraStrings>, title: impl Fn() -> String + 'static) -> RwSignal<Locale> {
    let locale = RwSignal::new(cookie_locale().or_else(stored_locale).or_else(page_locale).unwrap_or_default());
    provide_context(LocaleContext { locale, extra });
    Effect::new(move |_| {
        let loc = locale.get();
        store_locale(loc);
        let document = document();
        if let Some(root) = document.document_element() {
            if let Err(e) = root.set_attribute("lang", loc.tag()) {
                leptos::logging::warn!("cannot set <html lang>: {e:?}");
            }
        }
        document.set_title(&title());
    });
    locale
}

/// The locale signal from context (a fresh Korean one outside the app tree).
pub fn use_locale() -> RwSignal<Locale> {
    use_context::<LocaleContext>().map(|c| c.locale).unwrap_or_else(|| RwSignal::new(Locale::default()))
}

/// The current language; tracked, so closures calling it re-run on a switch.
pub fn current_locale() -> Locale {
    use_context::<LocaleContext>().map(|c| c.locale.get()).unwrap_or_default()
}

/// The UI string for `key` in the current language (the key itself if undefined).
pub fn tr(key: &str) -> String {
    let Some(ctx) = use_context::<LocaleContext>() else { return t(Locale::default(), key) };
    let loc = ctx.locale.get();
    ctx.extra.and_then(|f| f(loc, key)).unwrap_or_else(|| t(loc, key))
}

/// The UI string for `key`, or `fallback` when no language defines the key.
pub fn tr_or(key: &str, fallback: &str) -> String {
    let text = tr(key);
    if text == key {
        fallback.to_owned()
    } else {
        text
    }
}

/// Like [`tr`], filling each `{name}` placeholder with its value.
pub fn trf(key: &str, args: &[(&str, String)]) -> String {
    let Some(ctx) = use_context::<LocaleContext>() else { return tf(Locale::default(), key, args) };
    let loc = ctx.locale.get();
    match ctx.extra.and_then(|f| f(loc, key)) {
        Some(s) => kairr_shared::i18n::fill(s, args),
        None => tf(loc, key, args),
    }
}

/// The language of a page whose frame the server rendered (the wizard):
/// the cookie's (which the server rendered in), else the page's own, else
/// the stored choice; Korean by default.
pub fn initial_locale() -> Locale {
    cookie_locale().or_else(page_locale).or_else(stored_locale).unwrap_or_default()
}

/// The language cookie's choice (`kairr_locale`).
fn cookie_locale() -> Option<Locale> {
    let cookies = document().dyn_into::<web_sys::HtmlDocument>().ok()?.cookie().ok()?;
    kairr_shared::api::locale_from_cookies(&cookies)
}

/// The language the page came in (`<html lang>`): the server renders a page
/// in the cookie's language, so a reader whose storage was cleared (or is not
/// available) keeps the language of what they already see.
fn page_locale() -> Option<Locale> {
    document().document_element()?.get_attribute("lang").as_deref().and_then(Locale::from_tag)
}

fn stored_locale() -> Option<Locale> {
    let storage = window().local_storage().ok().flatten()?;
    let tag = storage.get_item(STORAGE_KEY).ok().flatten()?;
    Locale::from_tag(&tag)
}

/// Remembers `locale`: the cookie the server renders its pages in, and local storage.
pub fn store_locale(locale: Locale) {
    // The server renders the status page's first view in the language of this cookie.
    if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
        let cookie = format!("{LOCALE_COOKIE}={}; path=/; max-age=31536000; samesite=lax", locale.tag());
        if let Err(e) = doc.set_cookie(&cookie) {
            leptos::logging::warn!("cannot store the language cookie: {e:?}");
        }
    }
    let Ok(Some(storage)) = window().local_storage() else {
        leptos::logging::warn!("localStorage unavailable: the language choice is not remembered");
        return;
    };
    if let Err(e) = storage.set_item(STORAGE_KEY, locale.tag()) {
        leptos::logging::warn!("cannot store the language choice: {e:?}");
    }
}
