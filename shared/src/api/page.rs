//! What a page the server renders hands over to the app that takes it over:
//! the ids of its embedded data and first view, the header that asks for
//! its live part, and the language cookie.

use serde::{Deserialize, Serialize};

/// Id of the element holding a page's initial data as JSON (`/allocations`: its round).
pub const INITIAL_STATUS_ID: &str = "kairr-initial";
/// The session a programme page's first view was rendered for, beside it in
/// the page: what `GET /api/v1/auth/session` would have answered, and the
/// unread notices the navigation counts. The app starts from it instead of
/// fetching them, so its header is the first view's from the first frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitialSession {
    pub session: crate::auth::SessionInfo,
    /// The signed-in user's unread notices (0 for nobody).
    #[serde(default)]
    pub unread: u64,
}

/// Id of the element holding [`InitialSession`] as JSON.
pub const INITIAL_SESSION_ID: &str = "kairr-session";
/// Id of the element wrapping the server-rendered first view, which the app replaces.
pub const FIRST_VIEW_ID: &str = "first-view";

/// The request header naming the part of the status page asked for
/// ([`PagePart::header_value`]); without it the whole page comes.
pub const PART_HEADER: &str = "x-kairr-part";

/// Which part of the status page a request asks for ([`PART_HEADER`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePart {
    /// The whole page.
    Whole,
    /// The page without the systems' histories, a `data-kept` place for each
    /// instead: what the browser fetches on every status event, keeping the
    /// histories it shows (they change once a recording interval; it fetches
    /// the whole page every minute). A fifth of the bytes to send and parse.
    Live,
}

impl PagePart {
    /// The value of [`PART_HEADER`] asking for this part (`None`: no header, the whole page).
    pub fn header_value(self) -> Option<&'static str> {
        match self {
            PagePart::Whole => None,
            PagePart::Live => Some("live"),
        }
    }

    /// The part a request's [`PART_HEADER`] value asks for (anything not understood: the whole page).
    pub fn from_header(value: Option<&[u8]>) -> PagePart {
        match value {
            Some(v) if Some(v) == PagePart::Live.header_value().map(str::as_bytes) => PagePart::Live,
            _ => PagePart::Whole,
        }
    }
}
/// Cookie mirroring the chosen UI language (`ko`/`en`) for the server's first view.
pub const LOCALE_COOKIE: &str = "kairr_locale";

/// The language [`LOCALE_COOKIE`] names in a `Cookie` header's value (or
/// `document.cookie`): the one reader of the cookie for the server and the apps.
pub fn locale_from_cookies(cookies: &str) -> Option<crate::i18n::Locale> {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| crate::i18n::Locale::from_tag(value.trim()))
}
