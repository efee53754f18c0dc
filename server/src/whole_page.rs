//! Pages the server renders whole, as plain HTML that needs no app: the
//! subscription pages (`crate::subscription_pages`) and the incident and
//! maintenance permalinks (`crate::history_pages`). They share the portal's
//! stylesheets, header and footer; the language is `?lang=`, else the
//! portal's language cookie.

use axum::http::HeaderMap;
use kairr_shared::i18n::Locale;
use maud::{html, Markup, DOCTYPE};

use crate::first_view::frame::skip_link;
use crate::state::AppState;

/// Korean or English text.
pub fn pick(loc: Locale, ko: &'static str, en: &'static str) -> &'static str {
    loc.pick(ko, en)
}

/// The page's language: `lang` (`ko` or `en`), else the language cookie, else Korean.
pub fn locale(lang: Option<&str>, headers: &HeaderMap) -> Locale {
    lang.and_then(Locale::from_tag).unwrap_or_else(|| crate::first_view::locale_of(headers))
}

/// The whole page around `main`: the portal's header (brand, a language
/// link to `here` with `?lang=` of the other language, the status page and
/// the feed) and footer, `<main class="programme-main {class}">` with the
/// page's `title` as its heading.
pub fn page(state: &AppState, loc: Locale, title: &str, here: &str, class: &str, main: Markup) -> Markup {
    let other = loc.other();
    html! {
        (DOCTYPE)
        html lang=(loc.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · KAIRR" }
                (maud::PreEscaped(state.first_view.stylesheets()))
            }
            body {
                (skip_link(loc))
                header.site-header {
                    div.brand-row {
                        p.brand {
                            a href="/" rel="external" { span.brand-mark { "KAIRR" } }
                            " "
                            span.brand-name { (pick(loc, "국가 AI 연구자원 현황", "National AI Research Resources Status")) }
                        }
                        div.header-tools {
                            a.lang-toggle href={ (here) (if here.contains('?') { "&" } else { "?" }) "lang=" (other.tag()) }
                                lang=(other.tag()) data-testid="lang-link" {
                                (pick(loc, "English", "한국어"))
                            }
                        }
                    }
                    nav.site-nav aria-label=(pick(loc, "주 메뉴", "Main")) {
                        ul {
                            li { a href="/" rel="external" { (pick(loc, "현황", "Status")) } }
                            li { a href="/feed.atom" rel="external" { (pick(loc, "알림 피드 (Atom)", "Notice feed (Atom)")) } }
                        }
                    }
                }
                main #main class={ "programme-main " (class) } tabindex="-1" {
                    h2 { (title) }
                    (main)
                }
                footer.site-footer {
                    p { (kairr_shared::i18n::t(loc, "footer.times_kst")) }
                    ul.footer-links {
                        li { a href="/api/v1/incidents" rel="external" { "API (JSON)" } }
                        li { a href="/feed.atom" rel="external" { (kairr_shared::i18n::t(loc, "footer.feed_link")) } }
                    }
                }
            }
        }
    }
}
