//! Browser entry point of the reviewers' page (`/reviews`): installs the
//! panic hook and mounts the app on `<body>`.
#![forbid(unsafe_code)]

fn main() {
    console_error_panic_hook::set_once();
    // The server's first view goes and the app comes in one task: no frame shows neither.
    kairr_app::first_view::mount_after_paint(|| {
        kairr_app::first_view::remove();
        leptos::mount::mount_to_body(kairr_app::ReviewsApp);
    });
}
