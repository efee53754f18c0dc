//! The portal's icons as SVG path data (16×16 box, even-odd fill), drawn by
//! the browser app and the server's first view alike.

use crate::status::Status;

/// SVG path (16×16 box, even-odd fill) of the icon for `s`: check circle,
/// wrench, warning triangle, warning diamond, cross circle.
pub fn status_icon_path(s: Status) -> &'static str {
    match s {
        Status::Operational => "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm3.4 4.6L7 10 4.6 7.6l1-1L7 8l3.4-3.4 1 1z",
        Status::Maintenance => "M14.6 4.4l-2.3 2.3-2.1-.9-.9-2.1 2.3-2.3a4 4 0 0 0-5.2 5.1L1.3 11.6a1.5 1.5 0 0 0 2.1 2.1l5.1-5.1a4 4 0 0 0 5.1-4.2z",
        Status::Degraded => "M8 1l7.5 13.5H.5L8 1zm-.8 4.5v4.5h1.6V5.5H7.2zm0 5.8v1.6h1.6v-1.6H7.2z",
        Status::PartialOutage => "M8 .5L15.5 8 8 15.5.5 8 8 .5zm-.8 3.8v4.8h1.6V4.3H7.2zm0 6.2v1.6h1.6v-1.6H7.2z",
        Status::MajorOutage => {
            "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM5.2 4.1L8 6.9l2.8-2.8 1.1 1.1L9.1 8l2.8 2.8-1.1 1.1L8 9.1l-2.8 2.8-1.1-1.1L6.9 8 4.1 5.2z"
        }
    }
}

/// The globe of the language switch.
pub const GLOBE_ICON_PATH: &str = "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm4.9 6.2h-2a11 11 0 0 0-.8-3.9 5.5 5.5 0 0 1 2.8 3.9zM8 2.6c.6.8 1.2 2.4 1.4 4.6H6.6C6.8 5 7.4 3.4 8 2.6zM5.9 3.3a11 11 0 0 0-.8 3.9h-2a5.5 5.5 0 0 1 2.8-3.9zM3.1 8.8h2c.1 1.5.4 2.8.8 3.9a5.5 5.5 0 0 1-2.8-3.9zM8 13.4c-.6-.8-1.2-2.4-1.4-4.6h2.8c-.2 2.2-.8 3.8-1.4 4.6zm2.1-.7c.4-1.1.7-2.4.8-3.9h2a5.5 5.5 0 0 1-2.8 3.9z";
