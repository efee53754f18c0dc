//! The built browser apps other than the status page (which is `dist/`
//! itself): for each, its folder of `dist/` (its assets are served under the
//! same path), the addresses of its pages and its strings. One table: the
//! router serves each app's pages and assets from it and the first views
//! find their template through it, so a new app is one entry here (with its
//! `app/*.html` page and `app/src/bin/*.rs` entry, and its line in
//! `./kairr`'s build and `scripts/bundle-size.sh`).

use kairr_shared::i18n::{t_admin, t_advisor, t_programme, Locale};

/// A built app: its template (`dist/<dir>/index.html`) and its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum App {
    /// The placement wizard (`kairr-advisor`).
    Advisor,
    /// The researchers' pages and sign-in (`kairr-programme`).
    Programme,
    /// The reviewers' page (`kairr-reviews`), with the programme's strings.
    Reviews,
    /// The committee's pages (`kairr-committee`), with the programme's strings.
    Committee,
    /// The public transparency page (`kairr-allocations`), with the programme's strings.
    Allocations,
    /// Rounds and reviewer assignment (`kairr-admin`).
    Admin,
    /// Status operations and provisioning (`kairr-operations`), with the administration's strings.
    Operations,
    /// People and organisations (`kairr-directory`), with the administration's strings.
    Directory,
}

impl App {
    /// Every app.
    pub const ALL: [App; 8] = [
        App::Advisor,
        App::Programme,
        App::Reviews,
        App::Committee,
        App::Allocations,
        App::Admin,
        App::Operations,
        App::Directory,
    ];

    /// Its folder of `dist/` (trunk's `--dist`), whose files are served
    /// under `/<dir>/` (trunk's `--public-url`).
    pub fn dir(self) -> &'static str {
        match self {
            App::Advisor => "advisor",
            App::Programme => "programme",
            App::Reviews => "reviews-app",
            App::Committee => "committee-app",
            App::Allocations => "allocations-app",
            App::Admin => "admin-app",
            App::Operations => "operations-app",
            App::Directory => "directory-app",
        }
    }

    /// The addresses (router paths) answered with its page.
    pub fn pages(self) -> &'static [&'static str] {
        match self {
            App::Advisor => &["/advisor"],
            App::Programme => &["/login", "/requests/{*rest}", "/notifications"],
            App::Reviews => &["/reviews"],
            App::Committee => &["/committee", "/committee/{*rest}"],
            App::Allocations => &["/allocations"],
            App::Admin => &["/admin", "/admin/{*rest}"],
            App::Operations => &["/admin/status", "/admin/provisioning"],
            App::Directory => &["/admin/people", "/admin/organisations", "/invite"],
        }
    }

    /// The path its assets are served under: `/<dir>`, or `/<dir>/` when
    /// that is also one of its pages (the wizard's `/advisor`).
    pub fn assets_path(self) -> String {
        let path = format!("/{}", self.dir());
        if self.pages().contains(&path.as_str()) {
            path + "/"
        } else {
            path
        }
    }

    /// The text of `key` in the app's own pair (the shared pair otherwise).
    pub fn text(self, loc: Locale, key: &str) -> String {
        let own = match self {
            App::Advisor => t_advisor(loc, key),
            App::Programme | App::Reviews | App::Committee | App::Allocations => t_programme(loc, key),
            App::Admin | App::Operations | App::Directory => t_admin(loc, key),
        };
        own.unwrap_or_else(|| kairr_shared::i18n::t(loc, key))
    }

    /// The key of the app's name in document titles ("page — app").
    pub fn title_key(self) -> &'static str {
        match self {
            App::Advisor => "advisor.page_title",
            App::Programme | App::Reviews | App::Committee | App::Allocations => "programme.page_title",
            App::Admin | App::Operations | App::Directory => "admin.page_title",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_app_has_its_own_folder_and_pages_and_a_titled_name() {
        let dirs: HashSet<_> = App::ALL.iter().map(|a| a.dir()).collect();
        assert_eq!(dirs.len(), App::ALL.len());
        let pages: Vec<_> = App::ALL.iter().flat_map(|a| a.pages()).collect();
        assert_eq!(pages.iter().collect::<HashSet<_>>().len(), pages.len(), "a page served by two apps");
        for app in App::ALL {
            assert!(!app.pages().is_empty(), "{app:?}");
            for loc in [Locale::Ko, Locale::En] {
                let name = app.text(loc, app.title_key());
                assert!(!name.is_empty() && name != app.title_key(), "{app:?} {loc:?}");
            }
        }
        // The wizard's page is its folder's own path: its assets go one level down.
        assert_eq!(App::Advisor.assets_path(), "/advisor/");
        assert_eq!(App::Reviews.assets_path(), "/reviews-app");
    }
}
