//! `/lab`: the same N quote requests sent sequentially, with `join_all`,
//! with at most k in flight, and batched, against the market API with a
//! latency L per request; each run measured against its ideal wall time,
//! tabled, plotted against N, and drawn as a waterfall. Then the event loop.
//!
//! The form reads its starting values from the URL
//! (`/lab?n=100&l=200&k=6&s=join_all,batched&runs=3&sweep=1&auto=1`), so a
//! case is a link; `auto=1` runs it on arrival (the benchmark drives the lab
//! this way). `profile=1` leaves the latency to the server's own profile
//! (`--profile realistic`: drawn per request), which has no ideal.

use std::time::Duration;

use fanout::CancelToken;
use futures::future::{Either, select};
use leptos::{prelude::*, task::spawn_local};
use market::Symbol;

use crate::{
    api::ApiClient,
    components::{EventLoopLab, LabPlot},
    lab::{
        plan::{Case, MAX_N, Measurement, Preset, Strategy, Workload, presets, sweep},
        runner,
    },
    pages::requests::waterfall,
    state::{app::AppState, waterfall::BatchView},
};

/// Why a run could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum FormError {
    #[error("N must be a whole number from 1 to {MAX_N}")]
    N,
    #[error("L must be a whole number of milliseconds from 0 to 10000")]
    Latency,
    #[error("k must be a whole number from 1 to {MAX_N}")]
    K,
    #[error("runs must be a whole number from 1 to 10")]
    Runs,
    #[error("tick at least one strategy")]
    NoStrategy,
}

/// Parses a whole number in `range`.
fn number(text: &str, range: std::ops::RangeInclusive<usize>) -> Option<usize> {
    text.trim().parse::<usize>().ok().filter(|v| range.contains(v))
}

/// The cases a valid form asks for, each to be run `runs` times: at L, or
/// at the server's own latencies with `profile`.
fn cases(
    n: &str,
    latency_ms: &str,
    k: &str,
    runs: &str,
    picked: &[Strategy],
    sweep_n: bool,
    profile: bool,
) -> Result<(Vec<Case>, usize), FormError> {
    let n = number(n, 1..=MAX_N).ok_or(FormError::N)?;
    let latency = Duration::from_millis(number(latency_ms, 0..=10_000).ok_or(FormError::Latency)? as u64);
    let k = number(k, 1..=MAX_N).ok_or(FormError::K)?;
    let runs = number(runs, 1..=10).ok_or(FormError::Runs)?;
    if picked.is_empty() {
        return Err(FormError::NoStrategy);
    }
    let ns = if sweep_n { sweep(n) } else { vec![n] };
    let cases = ns
        .into_iter()
        .flat_map(|n| {
            picked.iter().map(move |&strategy| {
                let strategy = if let Strategy::Bounded(_) = strategy { Strategy::Bounded(k) } else { strategy };
                let workload = if profile { Workload::Profile { n } } else { Workload::Quotes { n, latency } };
                Case { workload, strategy }
            })
        })
        .filter(|case| match case.workload {
            Workload::Quotes { n, latency } => case.strategy.fits_a_minute(n, latency),
            Workload::Profile { .. } | Workload::Broker => true,
        })
        .collect();
    Ok((cases, runs))
}

/// The lab view.
#[component]
pub fn LabPage() -> impl IntoView {
    let app = expect_context::<AppState>();
    let location = crate::route::use_location();
    let param = |name: &str, default: &str| location.query(name).unwrap_or_else(|| default.to_owned());
    let picked: Vec<Strategy> = param("s", "sequential,join_all,bounded(6),batched,refresh")
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let n = RwSignal::new(param("n", "100"));
    let latency_ms = RwSignal::new(param("l", "200"));
    let k = RwSignal::new(param("k", "6"));
    let runs = RwSignal::new(param("runs", "1"));
    let sweep_n = RwSignal::new(param("sweep", "0") == "1");
    let profile = RwSignal::new(param("profile", "0") == "1");
    let ticked: Vec<(Strategy, RwSignal<bool>)> = Strategy::ALL
        .iter()
        .map(|&s| (s, RwSignal::new(picked.iter().any(|p| std::mem::discriminant(p) == std::mem::discriminant(&s)))))
        .collect();
    if let Some(k_given) = picked.iter().find_map(|s| if let Strategy::Bounded(k) = s { Some(*k) } else { None })
        && location.query("k").is_none()
    {
        k.set(k_given.to_string());
    }

    let client = Signal::derive(move || crate::state::app::client_for(&app.settings.get()));
    let symbols = RwSignal::new(Vec::<Symbol>::new());
    let results = RwSignal::new(Vec::<Measurement>::new());
    let last = RwSignal::new(None::<BatchView>);
    let progress = RwSignal::new((0usize, 0usize));
    let status = RwSignal::new(String::new());
    let running = RwSignal::new_local(None::<CancelToken>);
    let finished_runs = RwSignal::new(0usize);

    let run_cases = move |cases: Vec<Case>, repeat: usize| {
        if running.get_untracked().is_some() {
            return;
        }
        let token = CancelToken::new();
        running.set(Some(token.clone()));
        status.set(String::new());
        spawn_local(async move {
            let client = client.get_untracked();
            let list = match load_symbols(&client, symbols).await {
                Ok(list) => list,
                Err(message) => {
                    status.try_set(message);
                    running.try_set(None);
                    return;
                }
            };
            'cases: for case in cases {
                for _ in 0..repeat {
                    let total = match case.workload {
                        Workload::Quotes { n, .. } | Workload::Profile { n } => case.strategy.requests(n),
                        Workload::Broker => 2,
                    };
                    progress.try_set((0, total));
                    status.try_set(format!("running {} …", describe(&case)));
                    // At most about a hundred redraws of the bar per run: at
                    // N = 1000 a redraw per answer would cost more than the
                    // fetches' own bookkeeping (the benchmark compares).
                    let (done, step) = (std::rc::Rc::new(std::cell::Cell::new(0)), total.div_ceil(100).max(1));
                    let bump = move || {
                        done.set(done.get() + 1);
                        if done.get() % step == 0 || done.get() == total {
                            progress.try_set((done.get(), total));
                        }
                    };
                    let run = std::pin::pin!(runner::run(&client, case, &list, bump));
                    match select(run, token.cancelled()).await {
                        Either::Left((run, _)) => {
                            results.try_update(|r| r.push(run.measurement));
                            last.try_set(Some(run.batch));
                            finished_runs.try_update(|n| *n += 1);
                        }
                        Either::Right(_) => {
                            status.try_set("Cancelled: every request in flight was aborted.".to_owned());
                            break 'cases;
                        }
                    }
                }
            }
            if !token.is_cancelled() {
                status.try_set("Done.".to_owned());
            }
            running.try_set(None);
        });
    };

    let ticked_for_run = ticked.clone();
    let start = move || {
        let picked: Vec<Strategy> =
            ticked_for_run.iter().filter(|(_, on)| on.get_untracked()).map(|(s, _)| *s).collect();
        let form = (n.get_untracked(), latency_ms.get_untracked(), k.get_untracked(), runs.get_untracked());
        match cases(&form.0, &form.1, &form.2, &form.3, &picked, sweep_n.get_untracked(), profile.get_untracked()) {
            Ok((cases, repeat)) => run_cases(cases, repeat),
            Err(error) => status.set(error.to_string()),
        }
    };
    let run_preset = move |preset: Preset| {
        let cases = preset.strategies.iter().map(|&strategy| Case { workload: preset.workload, strategy }).collect();
        run_cases(cases, 1);
    };
    if param("auto", "0") == "1" {
        request_animation_frame(start.clone());
    }

    let checkboxes = ticked
        .iter()
        .map(|&(strategy, on)| {
            let label = match strategy {
                Strategy::Bounded(_) => "bounded(k)".to_owned(),
                other => other.to_string(),
            };
            view! { <label class="check"><input type="checkbox" bind:checked=on data-testid=format!("strategy-{label}") />{label}</label> }
        })
        .collect_view();
    let preset_buttons = presets()
        .into_iter()
        .map(|preset| {
            let name = preset.name;
            view! {
                <button data-testid="preset" disabled=move || running.get().is_some() on:click=move |_| run_preset(preset.clone())>
                    {name}
                </button>
            }
        })
        .collect_view();

    view! {
        <section class="lab">
            <h2>"Concurrency lab"</h2>
            <p class="muted">
                "The same N quote requests, each answered after L, sent in different ways. The ideal is the critical path: N·L one after another, ceil(N/k)·L with k in flight, ceil(N/6)·L over HTTP/1.1's six connections, L over HTTP/2 or in one batched call."
            </p>
            <div class="toolbar">"The article's experiments: " {preset_buttons}</div>
            <form class="lab-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); start(); }>
                <label>"N " <input type="number" min="1" max=MAX_N bind:value=n data-testid="lab-n" /></label>
                <label>"L (ms) " <input type="number" min="0" max="10000" bind:value=latency_ms data-testid="lab-l" disabled=move || profile.get() /></label>
                <label class="check"><input type="checkbox" bind:checked=profile data-testid="lab-profile" />"the server's latency profile instead"</label>
                <label>"k " <input type="number" min="1" max=MAX_N bind:value=k data-testid="lab-k" /></label>
                <label>"runs " <input type="number" min="1" max="10" bind:value=runs data-testid="lab-runs" /></label>
                {checkboxes}
                <label class="check"><input type="checkbox" bind:checked=sweep_n data-testid="lab-sweep" />"sweep N up to N"</label>
                <button type="submit" data-testid="lab-run" disabled=move || running.get().is_some()>"Run"</button>
                <button type="button" data-testid="lab-cancel" disabled=move || running.get().is_none()
                    on:click=move |_| { if let Some(token) = running.get_untracked() { token.cancel(); } }>"Cancel"</button>
                <button type="button" on:click=move |_| { results.set(Vec::new()); last.set(None); }>"Clear"</button>
            </form>
            <Show when=move || running.get().is_some()>
                <div class="progress" data-testid="lab-progress">
                    <progress max=move || progress.get().1.to_string() value=move || progress.get().0.to_string() aria-label="Lab progress"></progress>
                    <span class="muted">{move || format!("{} / {}", progress.get().0, progress.get().1)}</span>
                </div>
            </Show>
            <p class="status" data-testid="lab-status" data-finished-runs=move || finished_runs.get()>{move || status.get()}</p>
            <LabPlot results=results />
            <ResultsTable results=results />
            <h3>"Waterfall of the last run"</h3>
            {move || last.get().map(|batch| waterfall(&batch))}
            <EventLoopLab client=client />
        </section>
    }
}

/// Every listed symbol, fetched once: N quotes cycle through them.
async fn load_symbols(client: &ApiClient, cache: RwSignal<Vec<Symbol>>) -> Result<Vec<Symbol>, String> {
    let cached = cache.get_untracked();
    if !cached.is_empty() {
        return Ok(cached);
    }
    let search = client.all_symbols().await.map_err(|e| format!("Could not list the symbols to ask for: {e}"))?;
    let list: Vec<Symbol> = search.results.iter().filter_map(|m| Symbol::parse(&m.symbol).ok()).collect();
    if list.is_empty() {
        return Err("The server lists no symbols to ask for.".to_owned());
    }
    cache.try_set(list.clone());
    Ok(list)
}

fn describe(case: &Case) -> String {
    match case.workload {
        Workload::Quotes { n: 1, latency } => format!("{} of 1 quote at {} ms", case.strategy, latency.as_millis()),
        Workload::Quotes { n, latency } => format!("{} of {n} quotes at {} ms", case.strategy, latency.as_millis()),
        Workload::Profile { n } => format!("{} of {n} quotes at the server's latencies", case.strategy),
        Workload::Broker => format!("{} of history (1.5 s) + portfolio (0.5 s)", case.strategy),
    }
}

#[component]
fn ResultsTable(results: RwSignal<Vec<Measurement>>) -> impl IntoView {
    view! {
        <div class="scroll">
            <table class="lab-results" data-testid="lab-results">
                <thead><tr>
                    <th>"case"</th><th>"protocol"</th><th class="num">"wall"</th><th class="num">"ideal"</th>
                    <th class="num">"wall / ideal"</th><th class="num">"per second"</th><th class="num">"errors"</th>
                </tr></thead>
                <tbody>
                    <For each=move || results.get().into_iter().enumerate() key=|(i, _)| *i let:((_, m))>
                        {result_row(m)}
                    </For>
                </tbody>
            </table>
        </div>
    }
}

fn result_row(m: Measurement) -> impl IntoView {
    let (n, latency) = match m.case.workload {
        Workload::Quotes { n, latency } => (n, latency.as_millis() as u64),
        Workload::Profile { n } => (n, 0),
        Workload::Broker => (2, 0),
    };
    let protocol = m.protocol.map_or("unknown".to_owned(), |p| p.to_string());
    let protocol_cell = protocol.clone();
    let ideal_known = !matches!(m.case.workload, Workload::Profile { .. });
    view! {
        <tr
            data-testid="lab-result"
            data-strategy=m.case.strategy.to_string()
            data-workload=match m.case.workload {
                Workload::Broker => "broker",
                Workload::Profile { .. } => "profile",
                Workload::Quotes { .. } => "quotes",
            }
            data-n=n
            data-latency-ms=latency
            data-protocol=protocol
            data-wall-ms=m.wall.as_secs_f64() * 1e3
            data-ideal-ms=m.ideal().as_secs_f64() * 1e3
            data-errors=m.errors
            data-requests=m.requests
        >
            <td>{describe(&m.case)}</td>
            <td>{protocol_cell}</td>
            <td class="num">{format!("{:.3} s", m.wall.as_secs_f64())}</td>
            <td class="num">{if ideal_known { format!("{:.3} s", m.ideal().as_secs_f64()) } else { "—".to_owned() }}</td>
            <td class="num">{if ideal_known { format!("{:.2}", m.over_ideal()) } else { "—".to_owned() }}</td>
            <td class="num">{format!("{:.0}", m.per_second())}</td>
            <td class="num" class:error={m.errors > 0}>{m.errors}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_a_run() {
        let all = [Strategy::Sequential, Strategy::Bounded(1)];
        assert_eq!(cases("0", "200", "6", "1", &all, false, false), Err(FormError::N));
        assert_eq!(cases("1001", "200", "6", "1", &all, false, false), Err(FormError::N));
        assert_eq!(cases("10", "-1", "6", "1", &all, false, false), Err(FormError::Latency));
        assert_eq!(cases("10", "200", "0", "1", &all, false, false), Err(FormError::K));
        assert_eq!(cases("10", "200", "6", "11", &all, false, false), Err(FormError::Runs));
        assert_eq!(cases("10", "200", "6", "1", &[], false, false), Err(FormError::NoStrategy));
        let (profiled, _) = cases("10", "200", "6", "1", &all, false, true).unwrap();
        assert!(profiled.iter().all(|c| c.workload == Workload::Profile { n: 10 }), "the server's latencies");
        let (list, runs) = cases(" 10 ", "200", "4", "2", &all, false, false).unwrap();
        assert_eq!(runs, 2);
        assert_eq!(list.iter().map(|c| c.strategy).collect::<Vec<_>>(), [Strategy::Sequential, Strategy::Bounded(4)]);
    }

    #[test]
    fn a_sweep_skips_sequential_runs_past_a_minute() {
        let (list, _) =
            cases("1000", "200", "6", "1", &[Strategy::Sequential, Strategy::JoinAll], true, false).unwrap();
        let sequential: Vec<usize> =
            list.iter().filter(|c| c.strategy == Strategy::Sequential).map(|c| c.workload.items()).collect();
        assert_eq!(sequential, [1, 2, 5, 10, 20, 50, 100, 200]);
        assert_eq!(list.iter().filter(|c| c.strategy == Strategy::JoinAll).count(), 10);
    }
}
