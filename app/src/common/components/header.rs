//! The page header: skip link, product name (the page's only `<h1>`), the
//! site navigation (status page, placement advisor, allocations, sign-in:
//! plain links, each is its own app), demo badge, language switch, and a slot
//! for the overall status banner. Only the programme app knows who is signed
//! in; it passes its account entry in place of the plain "sign in" link.

use kairr_shared::api::DataSource;
use kairr_shared::display::icons::GLOBE_ICON_PATH;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::common::i18n::{tr, use_locale};

/// Id of the `<main>` element the skip link jumps to.
pub const MAIN_ID: &str = "main";

/// "본문 바로가기": moves keyboard focus to `<main>` (which has `tabindex="-1"`).
#[component]
pub fn SkipLink() -> impl IntoView {
    let jump = move |ev: leptos::ev::MouseEvent| {
        let Some(main) = document().get_element_by_id(MAIN_ID) else {
            return;
        };
        ev.prevent_default();
        if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
            if let Err(e) = main.focus() {
                leptos::logging::warn!("cannot focus <main>: {e:?}");
            }
        }
    };
    view! {
        <a class="skip-link" href=format!("#{MAIN_ID}") on:click=jump>
            {move || tr("header.skip_to_main")}
        </a>
    }
}

/// Which page of the site is shown (marked `aria-current` in the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SitePage {
    #[default]
    Status,
    Advisor,
    /// The public allocations page (`/allocations`).
    Allocations,
    /// The sign-in page (`/login`).
    Login,
    /// A page outside the navigation (e.g. "not found").
    Other,
}

/// Path of the placement wizard.
pub const ADVISOR_PATH: &str = "/advisor";
/// Path of the public allocations page.
pub const ALLOCATIONS_PATH: &str = "/allocations";
/// Path of the sign-in page.
pub const LOGIN_PATH: &str = "/login";

/// The sign-in page's address that returns to the page shown now.
pub fn login_returning_here() -> String {
    let here = window()
        .location()
        .pathname()
        .and_then(|p| window().location().search().map(|q| format!("{p}{q}")))
        .unwrap_or_default();
    match kairr_shared::identity::safe_return_path(&here) {
        Some(p) => format!("{LOGIN_PATH}?return_to={}", String::from(js_sys::encode_uri_component(p))),
        None => LOGIN_PATH.to_owned(),
    }
}

/// `<header>` with the brand row; `children` (the status banner) go below it.
#[component]
pub fn Header(
    /// Where the data comes from; the demo badge shows while it is `demo`.
    #[prop(into)]
    source: Signal<Option<DataSource>>,
    /// The page shown.
    #[prop(optional)]
    page: SitePage,
    /// The account entry of the navigation (who is signed in, sign out); a
    /// plain "sign in" link when absent.
    #[prop(optional, into)]
    account: Option<ViewFn>,
    /// Content under the brand row.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="brand-row">
                <h1 class="brand">
                    <span class="brand-mark">"KAIRR"</span>
                    <span class="brand-name">{move || tr("header.product_name")}</span>
                </h1>
                <div class="header-tools">
                    <Show when=move || source.get() == Some(DataSource::Demo)>
                        <span class="demo-badge" data-testid="demo-badge" title=move || tr("header.demo_explained")>
                            {move || tr("header.demo_badge")}
                        </span>
                    </Show>
                    <LangToggle/>
                </div>
            </div>
            // `rel="external"`: the router must not handle these links; each page is its own app.
            <nav class="site-nav" aria-label=move || tr("nav.label")>
                <ul>
                    <li>
                        <a href="/" rel="external" aria-current=(page == SitePage::Status).then_some("page")>{move || tr("nav.status")}</a>
                    </li>
                    <li>
                        <a href=ADVISOR_PATH rel="external" aria-current=(page == SitePage::Advisor).then_some("page") data-testid="nav-advisor">
                            {move || tr("nav.advisor")}
                        </a>
                    </li>
                    <li>
                        <a href=ALLOCATIONS_PATH rel="external" aria-current=(page == SitePage::Allocations).then_some("page") data-testid="nav-allocations">
                            {move || tr("nav.allocations")}
                        </a>
                    </li>
                    {match account {
                        Some(account) => account.run(),
                        None => view! { <li><SignInLink current=page == SitePage::Login/></li> }.into_any(),
                    }}
                </ul>
            </nav>
            {children.map(|c| c())}
        </header>
    }
}

/// The plain link to the sign-in page.
#[component]
pub fn SignInLink(
    /// Whether the sign-in page is the one shown.
    #[prop(optional)]
    current: bool,
) -> impl IntoView {
    view! {
        <a href=LOGIN_PATH rel="external" aria-current=current.then_some("page") data-testid="nav-sign-in">
            {move || tr("nav.sign_in")}
        </a>
    }
}

/// Switches between Korean and English; its accessible name says the target language.
#[component]
fn LangToggle() -> impl IntoView {
    let locale = use_locale();
    view! {
        <button
            type="button"
            class="lang-toggle"
            data-testid="lang-toggle"
            aria-label=move || tr("header.lang_toggle_label")
            on:click=move |_| locale.update(|l| *l = l.other())
        >
            <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    fill-rule="evenodd"
                    d=GLOBE_ICON_PATH
                ></path>
            </svg>
            <span lang=move || locale.get().other().tag()>{move || tr("header.lang_toggle")}</span>
        </button>
    }
}
