//! Browser entry point of the placement wizard (`/advisor`): installs the
//! panic hook and mounts the wizard app on `<body>`.
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kairr_app::AdvisorApp);
}
