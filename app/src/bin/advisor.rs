//! Browser entry point of the placement wizard (`/advisor`): installs the
//! panic hook and starts the wizard under the server's first view.
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    kairr_app::advisor::page::start();
}
