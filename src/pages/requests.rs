//! `/requests`: the waterfall of the last refresh — one bar per request from
//! fanout's timings (queued, each attempt, its outcome) and the batch's wall
//! time against the sum: the seed article's timing prints, made visible.

use std::time::Duration;

use fanout::AttemptOutcome;
use leptos::prelude::*;

use crate::{
    components::RefreshBar,
    format,
    state::{app::AppState, waterfall::BatchView},
};

const WIDTH: f64 = 800.0;
const LABEL: f64 = 90.0;
const ROW: f64 = 18.0;

/// The requests view.
#[component]
pub fn RequestsPage() -> impl IntoView {
    let state = expect_context::<AppState>().dashboard;
    state.ensure_loaded();
    let batch = state.last_batch;
    view! {
        <section class="requests">
            <div class="toolbar">
                <RefreshBar state=state.clone() />
            </div>
            {move || match batch.get() {
                Some(batch) => waterfall(&batch).into_any(),
                None => view! { <p class="muted">"No refresh has finished yet."</p> }.into_any(),
            }}
        </section>
    }
}

/// The waterfall of `batch` (also the lab's last run).
pub(crate) fn waterfall(batch: &BatchView) -> impl IntoView + use<> {
    let span = batch.wall.max(Duration::from_millis(1)).as_secs_f64();
    let x = move |at: Duration| LABEL + at.as_secs_f64() / span * (WIDTH - LABEL - 10.0);
    let height = ROW * batch.requests.len() as f64 + 30.0;
    let rows = batch
        .requests
        .iter()
        .enumerate()
        .map(|(i, request)| {
            let y = 4.0 + ROW * i as f64;
            let first_start = request.attempts.first().map_or(request.finished, |a| a.started);
            let attempts = request
                .attempts
                .iter()
                .enumerate()
                .map(|(n, attempt)| {
                    let class = match attempt.outcome {
                        AttemptOutcome::Succeeded => "ok",
                        AttemptOutcome::Failed => "failed",
                        AttemptOutcome::TimedOut => "timed-out",
                        AttemptOutcome::Interrupted => "interrupted",
                    };
                    let (from, to) = (x(attempt.started), x(attempt.finished));
                    let tip = format!(
                        "{} attempt {}: {} s → {} s, {class}",
                        request.label,
                        n + 1,
                        format::seconds(attempt.started),
                        format::seconds(attempt.finished)
                    );
                    view! {
                        <rect
                            class=class
                            data-testid="attempt"
                            data-start-ms=attempt.started.as_secs_f64() * 1e3
                            data-end-ms=attempt.finished.as_secs_f64() * 1e3
                            x=from
                            y=y
                            width=(to - from).max(1.5)
                            height=ROW - 5.0
                            rx="2"
                        >
                            <title>{tip}</title>
                        </rect>
                    }
                })
                .collect_view();
            view! {
                <g data-testid="waterfall-row" data-label=request.label.clone()>
                    <text x="4" y=y + ROW - 7.0>{request.label.clone()}</text>
                    <rect class="queued" x=x(Duration::ZERO) y=y + 5.0 width=(x(first_start) - x(Duration::ZERO)).max(0.0) height="3">
                        <title>{format!("{} queued until {} s", request.label, format::seconds(first_start))}</title>
                    </rect>
                    {attempts}
                </g>
            }
        })
        .collect_view();
    let errors = batch
        .requests
        .iter()
        .filter_map(|r| r.error.as_ref().map(|e| view! { <li>{format!("{}: {e}", r.label)}</li> }))
        .collect_view();
    let limit = batch.limit.map_or_else(|| "no limit".to_owned(), |k| format!("limit {k}"));
    view! {
        <p class="timing" data-testid="waterfall-summary">
            {format!("{} requests: ", batch.requests.len())} "wall " <strong data-testid="waterfall-wall">{format::seconds(batch.wall)}</strong>
            " s against a sum of " <strong>{format::seconds(batch.sum)}</strong> " s; at most "
            <strong data-testid="peak-overlap">{batch.peak_overlap()}</strong> {format!(" in flight ({limit})")}
        </p>
        <div class="scroll">
            <svg class="waterfall" data-testid="waterfall" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label="Waterfall of the last refresh">
                <line class="axis" x1=LABEL x2=LABEL y1="0" y2=height />
                {rows}
                <text x=LABEL y=height - 6.0>"0 s"</text>
                <text x=WIDTH - 10.0 y=height - 6.0 text-anchor="end">{format!("{} s", format::seconds(batch.wall))}</text>
            </svg>
        </div>
        <ul class="legend">
            <li class="ok">"■ answered"</li>
            <li class="down">"■ failed"</li>
            <li class="legend-timed-out">"■ timed out"</li>
            <li class="muted">"■ stopped"</li>
            <li class="muted">"▬ queued"</li>
        </ul>
        <ul class="errors error">{errors}</ul>
    }
}
