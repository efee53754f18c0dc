//! Browser entry point of the committee's pages (`/committee`,
//! `/committee/requests/*`): installs the panic hook and starts the page
//! under the server's first view (no Leptos: `committee::page`).
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    kairr_app::committee::page::start();
}
