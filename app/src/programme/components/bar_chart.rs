//! A grouped horizontal bar chart on a canvas (drawn by
//! [`crate::programme::charts`] once per data, language or width change) with
//! an HTML legend; its table alternative is rendered by the caller.

use leptos::html::{Canvas, Div};
use leptos::prelude::*;

use crate::common::i18n::current_locale;
use crate::programme::charts::{self, Axis, BarGroup, CanvasSpec};

/// The chart.
#[component]
pub fn BarChart(
    /// The groups to draw.
    #[prop(into)]
    groups: Signal<Vec<BarGroup>>,
    /// The x axis end.
    #[prop(into)]
    max: Signal<f64>,
    /// Whether the values are whole counts (the axis then ends on a whole
    /// step and labels each one).
    #[prop(optional)]
    counts: bool,
    /// x axis label text.
    format: fn(f64) -> String,
    /// The series names, in bar order (legend).
    #[prop(into)]
    legend: Signal<Vec<String>>,
    /// The canvas's accessible name: what it shows, where the table is.
    #[prop(into)]
    label: Signal<String>,
    /// `data-testid` of the canvas.
    testid: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let container = NodeRef::<Div>::new();
    let resized = crate::common::chart::use_resize();
    let height = move || groups.with(|g| charts::bar_chart_height(g.len()));
    Effect::new(move |_| {
        resized.track();
        current_locale();
        let (Some(canvas), Some(container)) = (canvas.get(), container.get()) else { return };
        let spec = CanvasSpec {
            css_width: f64::from(container.client_width()).max(1.0),
            css_height: height(),
            dpr: window().device_pixel_ratio(),
        };
        let axis = if counts { Axis::whole(max.get()) } else { Axis::up_to(max.get()) };
        groups.with(|g| {
            if let Err(e) = charts::draw_bars(&canvas, g, axis, &format, spec) {
                leptos::logging::error!("cannot draw the chart: {e}");
            }
        });
    });
    let drawn =
        move |series: usize| groups.with(|g| g.iter().any(|b| b.values.get(series).is_some_and(Option::is_some)));
    view! {
        <div class="chart-box" node_ref=container>
            <canvas role="img" data-testid=testid node_ref=canvas aria-label=move || label.get()
                style=move || format!("height: {}px", height())></canvas>
        </div>
        <ul class="legend">
            // A series no group has a value of (the regions have no targets) is not listed.
            {move || legend.get().into_iter().enumerate().filter(|(i, _)| drawn(*i)).map(|(i, name)| view! {
                <li class=format!("legend-series-{i}")>{name}</li>
            }).collect_view()}
        </ul>
    }
}
