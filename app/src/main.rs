//! Browser entry point of the status page (`/`): installs the panic hook and
//! keeps the server's page live ([`kairr_app::status::live_page`]).
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    kairr_app::status::live_page::start();
}
