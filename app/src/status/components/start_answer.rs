//! A pool's answer to "would a job of N GPUs start now?", from `kairr_shared::start_now`.

use kairr_shared::api::PoolStatus;
use kairr_shared::start_now::{start_now, GpuCountError};
use leptos::prelude::*;

use crate::common::format::thousands;
use crate::common::i18n::{tr, trf};
use crate::status::labels;

/// Shows the answer for `pool` and the requested width, or a prompt when the input is invalid.
#[component]
pub fn StartAnswerView(
    /// The pool's live status.
    pool: PoolStatus,
    /// The parsed GPU input.
    #[prop(into)]
    gpus: Signal<Result<u32, GpuCountError>>,
) -> impl IntoView {
    move || match gpus.get() {
        Err(_) => view! { <p class="start-answer-empty">{tr("start.enter_count")}</p> }.into_any(),
        Ok(n) => {
            let answer = start_now(&pool, n);
            let kind = labels::answer_kind(&answer);
            let rounded = labels::answer_gpus(&answer)
                .filter(|g| *g != n)
                .map(|g| trf("start.rounded", &[("gpus", thousands(u64::from(g)))]));
            view! {
                <div class=format!("start-answer answer-{kind}") data-testid="start-answer" data-answer=kind>
                    <p class="start-answer-label">{trf("start.question", &[("n", thousands(u64::from(n)))])}</p>
                    <p class="start-answer-text">{labels::answer_text(&answer)}</p>
                    {rounded.map(|r| view! { <p class="start-answer-note">{r}</p> })}
                </div>
            }
            .into_any()
        }
    }
}
