//! What every chart shares (plotters on a `<canvas>`): the palette of the
//! axes, grid and series (the HTML legends use the same colours, in CSS) and
//! a canvas sized for its CSS box and the device pixel ratio, cleared white.

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// Colours of data series, in order (blue, amber, green).
pub const SERIES_RGB: [RGBColor; 3] = [RGBColor(29, 78, 216), RGBColor(180, 83, 9), RGBColor(4, 120, 87)];
/// Axis lines and tick labels.
pub const AXIS_RGB: RGBColor = RGBColor(75, 85, 99);
/// Grid lines.
pub const GRID_RGB: RGBColor = RGBColor(229, 231, 235);

/// Sizes `canvas`'s backing store to `css_width` × `css_height` CSS px at
/// device pixel ratio `dpr` (at least 1) and returns its drawing area, cleared.
pub fn canvas_area(
    canvas: &HtmlCanvasElement,
    css_width: f64,
    css_height: f64,
    dpr: f64,
) -> Result<DrawingArea<CanvasBackend, Shift>, String> {
    let dpr = dpr.max(1.0);
    canvas.set_width((css_width * dpr).round().max(1.0) as u32);
    canvas.set_height((css_height * dpr).round().max(1.0) as u32);
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("the canvas has no 2D context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    Ok(root)
}

/// A signal that changes whenever the window is resized (a chart's effect
/// tracks it to redraw at its box's new width); the listener ends with the
/// component.
pub fn use_resize() -> RwSignal<u32> {
    let resized = RwSignal::new(0u32);
    let listener = window_event_listener(leptos::ev::resize, move |_| resized.update(|n| *n = n.wrapping_add(1)));
    on_cleanup(move || listener.remove());
    resized
}
