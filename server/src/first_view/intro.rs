//! The pages whose content the app loads but which open with a fixed
//! introduction (a title and a paragraph): the wizard, the committee's,
//! reviewers', researchers' and administrators' pages. Their first view is
//! the frame and that introduction, element for element what the app
//! renders first, so the largest thing on a phone's first screen is painted
//! before the wasm arrives; the rest comes with the app, below it.

use kairr_shared::api::DataSource;
use kairr_shared::i18n::Locale;
use maud::{html, Markup};

pub use super::apps::App;
use super::frame::{self, NavPage, SignedIn};

/// When a page's header shows the demo badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// While the status comes from the demo (the wizard's live data).
    Status,
    /// While the portal runs the demo programme or demo accounts (the session's flag).
    Programme,
}

/// A page with an introduction: where it is, which app serves it, its
/// `<main>` and introduction classes and the keys of its title and paragraph.
#[derive(Debug, Clone, Copy)]
pub struct IntroPage {
    pub path: &'static str,
    pub app: App,
    pub nav: NavPage,
    pub badge: Badge,
    pub main_class: &'static str,
    pub intro_class: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    /// Whether the header carries the signed-in user's entries (the
    /// programme's and administration's frame) or the plain sign-in link.
    pub account: bool,
}

const fn programme(path: &'static str, class: &'static str, title: &'static str, intro: &'static str) -> IntroPage {
    IntroPage {
        path,
        app: App::Programme,
        nav: NavPage::Other,
        badge: Badge::Programme,
        main_class: class,
        intro_class: "programme-intro",
        title,
        intro,
        account: true,
    }
}

const fn admin(path: &'static str, title: &'static str, intro: &'static str) -> IntroPage {
    IntroPage { app: App::Admin, ..programme(path, "programme-main admin", title, intro) }
}

/// Every page with an introduction (the app's pages of the same paths open
/// with the same title and paragraph; `e2e/first-view.test.mjs` compares them).
pub const PAGES: &[IntroPage] = &[
    IntroPage {
        path: "/advisor",
        app: App::Advisor,
        nav: NavPage::Advisor,
        badge: Badge::Status,
        main_class: "advisor-main",
        intro_class: "advisor-intro",
        title: "advisor.title",
        intro: "advisor.intro",
        account: false,
    },
    IntroPage {
        nav: NavPage::Login,
        ..programme("/login", "programme-main login", "programme.login.title", "programme.login.intro")
    },
    IntroPage {
        app: App::Committee,
        ..programme("/committee", "programme-main committee", "programme.committee.title", "programme.committee.intro")
    },
    programme("/requests/new", "programme-main request-new", "programme.request.title", "programme.request.intro"),
    IntroPage {
        app: App::Reviews,
        ..programme("/reviews", "programme-main reviews", "programme.reviews.title", "programme.reviews.intro")
    },
    programme(
        "/notifications",
        "programme-main notifications",
        "programme.notifications.title",
        "programme.notifications.intro",
    ),
    admin("/admin", "admin.title", "admin.intro"),
    IntroPage { app: App::Directory, ..admin("/admin/people", "admin.people.title", "admin.people.intro") },
    IntroPage { app: App::Directory, ..admin("/admin/organisations", "admin.orgs.title", "admin.orgs.intro") },
    admin("/admin/assignments", "admin.assign.title", "admin.assign.intro"),
    IntroPage { app: App::Operations, ..admin("/admin/status", "admin.ops.title", "admin.ops.intro") },
    IntroPage { app: App::Operations, ..admin("/admin/provisioning", "admin.prov.title", "admin.prov.intro") },
];

impl IntroPage {
    /// The document title, as the page's app writes it: the page's name and
    /// its app's (the wizard, one page, has its app's alone).
    pub fn document_title(&self, loc: Locale) -> String {
        let site = |key| self.app.text(loc, key);
        match self.app {
            App::Advisor => site(self.app.title_key()),
            _ => kairr_shared::i18n::page_title(&site(self.title), &site(self.app.title_key())),
        }
    }
}

/// The page at `path`, if it has an introduction.
pub fn find(path: &str) -> Option<&'static IntroPage> {
    PAGES.iter().find(|p| p.path == path)
}

/// Skip link, header and `<main>` with the introduction. No footer: it
/// comes with the app under the content, so it does not jump down.
pub fn intro_page(loc: Locale, page: &IntroPage, source: Option<DataSource>, user: Option<SignedIn<'_>>) -> Markup {
    let account = if page.account { user } else { None };
    html! {
        (frame::skip_link(loc))
        (frame::header_with(loc, page.nav, source, account, html! {}))
        main #main tabindex="-1" class=(page.main_class) {
            div class=(page.intro_class) data-testid="page-intro" {
                h2 { (page.app.text(loc, page.title)) }
                p { (page.app.text(loc, page.intro)) }
            }
        }
    }
}

/// The frame alone (skip link, header with the visitor's entries, an empty
/// `<main>` of `class`): the first view of an app's page with no fixed
/// introduction (a committee member's request page), so its header is the
/// server's, as on every other page, and the app renders below it.
pub fn frame_page(loc: Locale, class: &str, source: Option<DataSource>, user: Option<SignedIn<'_>>) -> Markup {
    html! {
        (frame::skip_link(loc))
        (frame::header_with(loc, NavPage::Other, source, user, html! {}))
        main #main tabindex="-1" class=(class) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kairr_shared::auth::{Role, UserInfo};

    #[test]
    fn every_intro_is_a_defined_string_in_both_languages() {
        for page in PAGES {
            for loc in [Locale::Ko, Locale::En] {
                for key in [page.title, page.intro] {
                    let text = page.app.text(loc, key);
                    assert!(!text.is_empty() && text != key, "{} {key} in {loc:?}", page.path);
                }
            }
        }
        assert_eq!(PAGES.iter().map(|p| p.path).collect::<std::collections::HashSet<_>>().len(), PAGES.len());
    }

    #[test]
    fn the_header_shows_the_signed_in_user_on_programme_pages_only() {
        let user = UserInfo {
            username: "kim".into(),
            display_name: "<김> 위원".into(),
            organisation: "KISTI".into(),
            organisation_id: None,
            role: Role::Committee,
        };
        let committee = find("/committee").unwrap();
        let signed_in = SignedIn { user: &user, unread: 3 };
        let html = intro_page(Locale::Ko, committee, Some(DataSource::Demo), Some(signed_in)).into_string();
        assert!(html.contains("<span class=\"count-badge\" data-testid=\"unread-count\">3</span>"), "{html}");
        let none_unread = SignedIn { unread: 0, ..signed_in };
        let html_read = intro_page(Locale::Ko, committee, None, Some(none_unread)).into_string();
        assert!(!html_read.contains("unread-count") && !html_read.contains("demo-badge"));
        assert!(html.contains("&lt;김&gt; 위원"), "escaped name: {html}");
        assert!(html.contains("href=\"/committee\" rel=\"external\" data-testid=\"nav-home\""));
        assert!(!html.contains("nav-sign-in"));
        assert!(html.contains("data-testid=\"demo-badge\""));
        assert!(html.contains("class=\"programme-intro\""));
        let advisor = find("/advisor").unwrap();
        let html = intro_page(Locale::En, advisor, None, Some(signed_in)).into_string();
        assert!(html.contains("nav-sign-in") && !html.contains("data-testid=\"account\""));
        assert!(html.contains("aria-current=\"page\" data-testid=\"nav-advisor\""));
        assert!(!html.contains("demo-badge"));
        assert!(find("/committee/requests/1").is_none());
        assert_eq!(committee.document_title(Locale::Ko), "배분위원회 현황 · KAIRR 자원 배분");
        assert_eq!(find("/admin/people").unwrap().document_title(Locale::En), "People · KAIRR administration");
        assert_eq!(advisor.document_title(Locale::En), "KAIRR placement advisor");
    }
}
