//! The article's cardinal sin, made visible: a CPU-heavy job run while a
//! refresh is in flight — inline (the event loop freezes: frames stop, the
//! refresh's answers wait), in slices, and in a Web Worker — with a live
//! frame-time meter and the refresh's wall time beside each run.

use std::time::Duration;

use futures::future::join;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::ApiClient,
    lab::{
        frames::{FrameMeter, FrameStats},
        job::{JobSpec, JobSummary},
        offload::{self, Mode},
        plan::{Case, Strategy, Workload},
        runner,
    },
    state::watchlist::default_watchlist,
};

/// The refresh run beside the job: six quotes at 0.5 s, one round even over
/// HTTP/1.1's six connections, so its ideal is 0.5 s (shorter than the job:
/// inline, the answers wait for it).
pub const PROBE: Case =
    Case { workload: Workload::Quotes { n: 6, latency: Duration::from_millis(500) }, strategy: Strategy::JoinAll };

/// One run of the job beside the probe refresh.
#[derive(Debug, Clone, PartialEq)]
struct JobRun {
    mode: Option<Mode>,
    job: Option<Result<(JobSummary, f64), String>>,
    frames: FrameStats,
    refresh_wall: Duration,
    refresh_errors: usize,
}

/// The event-loop section of the lab.
#[component]
pub fn EventLoopLab(
    /// Where the probe refresh goes.
    client: Signal<ApiClient>,
) -> impl IntoView {
    let meter = FrameMeter::start();
    let runs = RwSignal::new(Vec::<JobRun>::new());
    let busy = RwSignal::new(false);
    let start = move |mode: Option<Mode>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let client = client.get_untracked();
        let symbols = default_watchlist();
        spawn_local(async move {
            // Let the page draw "running" before a job that may freeze it.
            gloo_timers::future::TimeoutFuture::new(50).await;
            meter.mark();
            let probe = runner::run(&client, PROBE, &symbols, || ());
            let job = async move {
                let mode = mode?;
                let started = web_time::Instant::now();
                Some(
                    offload::run(mode, JobSpec::default())
                        .await
                        .map(|s| (s, started.elapsed().as_secs_f64() * 1e3))
                        .map_err(|e| e.to_string()),
                )
            };
            let (probe, job) = join(probe, job).await;
            // The frame after a freeze is the one that measures it.
            gloo_timers::future::TimeoutFuture::new(100).await;
            let run = JobRun {
                mode,
                job,
                frames: meter.since_mark(),
                refresh_wall: probe.measurement.wall,
                refresh_errors: probe.measurement.errors,
            };
            runs.try_update(|runs| runs.push(run));
            busy.try_set(false);
        });
    };
    let button = move |mode: Option<Mode>, label: &'static str| {
        let id = mode.map_or("none", Mode::name);
        view! {
            <button data-testid=format!("job-{id}") disabled=move || busy.get() on:click=move |_| start(mode)>{label}</button>
        }
    };
    view! {
        <section class="event-loop" aria-labelledby="event-loop-title">
            <h2 id="event-loop-title">"Never block the event loop"</h2>
            <p class="muted">
                "A refresh of six quotes at 0.5 s runs while the job computes indicators and a crossover backtest over five years of bars for 500 symbols. Inline, the page freezes and the answers wait; in slices it stays responsive; in a Web Worker the refresh does not notice."
            </p>
            <p class="meter" data-testid="frame-meter">
                {move || {
                    let s = meter.live.get();
                    format!("Last second: {} frames, longest {:.0} ms, {} long tasks", s.frames, s.longest_frame_ms, s.long_tasks)
                }}
            </p>
            <div class="toolbar">
                {button(None, "Refresh alone")}
                {button(Some(Mode::Inline), "Job inline")}
                {button(Some(Mode::Sliced), "Job in slices")}
                {button(Some(Mode::Worker), "Job in a worker")}
                <Show when=move || busy.get()><span class="muted" data-testid="job-busy">"running…"</span></Show>
            </div>
            <div class="scroll">
                <table class="job-runs">
                    <thead><tr>
                        <th>"job"</th><th class="num">"job time"</th><th class="num">"longest frame"</th>
                        <th class="num">"long tasks"</th><th class="num">"refresh wall"</th><th>"result"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || runs.get().into_iter().enumerate() key=|(i, _)| *i let:((_, run))>
                            {job_row(run)}
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn job_row(run: JobRun) -> impl IntoView {
    let mode = run.mode.map_or("none", Mode::name);
    let (time, result) = match &run.job {
        None => ("—".to_owned(), "refresh only".to_owned()),
        Some(Ok((summary, ms))) => (
            format!("{ms:.0} ms"),
            format!(
                "{} symbols, {} above their 200-day average, mean best crossover {:+.1} %",
                summary.symbols,
                summary.above_200_day,
                summary.mean_best_crossover * 100.0
            ),
        ),
        Some(Err(message)) => ("—".to_owned(), message.clone()),
    };
    let job_ms = run.job.as_ref().and_then(|j| j.as_ref().ok()).map_or(0.0, |(_, ms)| *ms);
    let summary = run.job.as_ref().and_then(|j| j.as_ref().ok()).map(|(s, _)| format!("{s:?}")).unwrap_or_default();
    let errors = (run.refresh_errors > 0).then(|| format!(" ({} failed)", run.refresh_errors));
    view! {
        <tr
            data-testid="job-run"
            data-mode=mode
            data-job-ms=job_ms
            data-frames=run.frames.frames
            data-longest-frame-ms=run.frames.longest_frame_ms
            data-long-tasks=run.frames.long_tasks
            data-refresh-ms=run.refresh_wall.as_secs_f64() * 1e3
            data-refresh-errors=run.refresh_errors
            data-summary=summary
        >
            <td>{mode}</td>
            <td class="num">{time}</td>
            <td class="num" class:error={run.frames.longest_frame_ms > 50.0}>{format!("{:.0} ms", run.frames.longest_frame_ms)}</td>
            <td class="num">{format!("{} (longest {:.0} ms)", run.frames.long_tasks, run.frames.longest_task_ms)}</td>
            <td class="num">{format!("{:.2} s", run.refresh_wall.as_secs_f64())}{errors}</td>
            <td>{result}</td>
        </tr>
    }
}
