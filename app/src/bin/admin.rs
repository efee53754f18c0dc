//! Browser entry point of the administration (`/admin`, `/admin/people`,
//! `/invite`): installs the panic hook and mounts the app on `<body>`.
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kairr_app::AdminApp);
}
