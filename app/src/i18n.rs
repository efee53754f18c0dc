//! The UI language as a Leptos context: a `RwSignal<Locale>` remembered in
//! `localStorage` (`kairr.locale`) and mirrored to `<html lang>`, plus the
//! `tr`/`trf` look-ups every component uses for its strings.

use kairr_shared::i18n::{t, tf, Locale};
use leptos::prelude::*;

/// `localStorage` key under which the chosen language is kept.
pub const STORAGE_KEY: &str = "kairr.locale";

/// The context value: the current UI language.
#[derive(Debug, Clone, Copy)]
pub struct LocaleContext(pub RwSignal<Locale>);

/// Creates the locale signal from `localStorage` (Korean by default), provides
/// it as context, and keeps storage, `<html lang>` and the document title in sync.
pub fn provide_locale() -> RwSignal<Locale> {
    let locale = RwSignal::new(stored_locale().unwrap_or_default());
    provide_context(LocaleContext(locale));
    Effect::new(move |_| {
        let loc = locale.get();
        store_locale(loc);
        let document = document();
        if let Some(root) = document.document_element() {
            if let Err(e) = root.set_attribute("lang", loc.tag()) {
                leptos::logging::warn!("cannot set <html lang>: {e:?}");
            }
        }
        document.set_title(&tr("app.title"));
    });
    locale
}

/// The locale signal from context (a fresh Korean one outside the app tree).
pub fn use_locale() -> RwSignal<Locale> {
    use_context::<LocaleContext>().map(|c| c.0).unwrap_or_else(|| RwSignal::new(Locale::default()))
}

/// The current language; tracked, so closures calling it re-run on a switch.
pub fn current_locale() -> Locale {
    use_context::<LocaleContext>().map(|c| c.0.get()).unwrap_or_default()
}

/// The UI string for `key` in the current language (the key itself if undefined).
pub fn tr(key: &str) -> String {
    t(current_locale(), key)
}

/// Like [`tr`], filling each `{name}` placeholder with its value.
pub fn trf(key: &str, args: &[(&str, String)]) -> String {
    tf(current_locale(), key, args)
}

fn stored_locale() -> Option<Locale> {
    let storage = window().local_storage().ok().flatten()?;
    let tag = storage.get_item(STORAGE_KEY).ok().flatten()?;
    Locale::from_tag(&tag)
}

fn store_locale(locale: Locale) {
    let Ok(Some(storage)) = window().local_storage() else {
        leptos::logging::warn!("localStorage unavailable: the language choice is not remembered");
        return;
    };
    if let Err(e) = storage.set_item(STORAGE_KEY, locale.tag()) {
        leptos::logging::warn!("cannot store the language choice: {e:?}");
    }
}
