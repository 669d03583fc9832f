//! Runs one lab case against the market API with fanout's strategies and
//! turns the report into a [`Measurement`] and a waterfall.

use std::{rc::Rc, time::Duration};

use fanout::{BrowserTimer, CancelToken, Engine, Outcome, Report, gather, limited, sequential};
use futures::future::{FutureExt, LocalBoxFuture};
use market::{Period, Symbol};
use wasm_bindgen::JsCast;

use crate::{
    api::{ApiClient, FetchError},
    lab::plan::{BATCH_SIZE, BROKER_HISTORY, BROKER_PORTFOLIO, Case, Measurement, Protocol, Strategy, Workload},
    state::{
        batching::{self, batches},
        dashboard::default_policy,
        waterfall::{BatchView, RequestView},
    },
};

/// The server's per-request latency header (the real API would ignore it).
pub const LATENCY_HEADER: &str = "x-tickerboard-latency-ms";

/// A finished lab run: its figures and its waterfall.
#[derive(Debug, Clone, PartialEq)]
pub struct LabRun {
    /// Wall time, errors, protocol.
    pub measurement: Measurement,
    /// Every request's timing.
    pub batch: BatchView,
}

/// One HTTP request of a run: its label, how many items it asks for, and a
/// factory for its attempts, answering with how many of its items failed (a
/// batch call can fail for some symbols only).
type Call = (String, usize, Rc<dyn Fn() -> LocalBoxFuture<'static, Result<usize, FetchError>>>);

/// Runs `case` against `client`, quotes cycling through `symbols` (the
/// default watchlist's if none are given), calling `on_answer` as each
/// request lands. Dropping the future aborts every fetch still in flight.
pub async fn run(client: &ApiClient, case: Case, symbols: &[Symbol], on_answer: impl Fn() + 'static) -> LabRun {
    clear_resource_timings();
    let on_answer = Rc::new(on_answer);
    let calls = calls(client, case, symbols);
    let labels: Vec<(String, usize)> = calls.iter().map(|(label, items, _)| (label.clone(), *items)).collect();
    let once = calls.iter().map(|(_, _, call)| {
        let on_answer = on_answer.clone();
        call().inspect(move |_| on_answer())
    });
    let clock = BrowserTimer::new();
    let report = match case.strategy {
        Strategy::Sequential => sequential(clock, once).await,
        Strategy::Bounded(k) => limited(clock, k, once).await,
        Strategy::JoinAll | Strategy::Batched => gather(clock, once).await,
        Strategy::Refresh => {
            // The dashboard's own path: its engine and policy (timeouts, retries).
            drop(once);
            let attempts = calls
                .iter()
                .map(|(_, _, call)| {
                    let (call, on_answer) = (call.clone(), on_answer.clone());
                    move |_attempt: u32| {
                        call().inspect({
                            let on_answer = on_answer.clone();
                            move |_| on_answer()
                        })
                    }
                })
                .collect();
            let engine = Engine::new(clock, default_policy());
            let report = engine.run(attempts, &CancelToken::new()).await;
            let wall = report.wall();
            let outcomes = report
                .into_outcomes()
                .into_iter()
                .map(|o| Outcome { result: o.result.map_err(FetchError::from), timing: o.timing, attempts: o.attempts })
                .collect();
            Report::new(outcomes, wall)
        }
    };
    finish(case, &labels, report)
}

fn calls(client: &ApiClient, case: Case, symbols: &[Symbol]) -> Vec<Call> {
    let with_latency = |latency: Duration| client.clone().with_header(LATENCY_HEADER, &latency.as_millis().to_string());
    match case.workload {
        Workload::Broker => {
            let (history, portfolio) = (with_latency(BROKER_HISTORY), with_latency(BROKER_PORTFOLIO));
            let symbol = symbols.first().cloned().unwrap_or_else(|| Symbol::parse("AAPL").expect("a valid symbol"));
            let label = format!("{symbol} history");
            vec![
                (
                    label,
                    1,
                    Rc::new(move || {
                        let (history, symbol) = (history.clone(), symbol.clone());
                        async move { history.history(&symbol, Period::OneYear).await.map(|_| 0) }.boxed_local()
                    }),
                ),
                (
                    "portfolio".to_owned(),
                    1,
                    Rc::new(move || {
                        let portfolio = portfolio.clone();
                        async move { portfolio.portfolio().await.map(|_| 0) }.boxed_local()
                    }),
                ),
            ]
        }
        Workload::Quotes { n, .. } | Workload::Profile { n } => {
            let client = match case.workload {
                Workload::Quotes { latency, .. } => with_latency(latency),
                _ => client.clone(),
            };
            let fallback = crate::state::watchlist::default_watchlist();
            let symbols = if symbols.is_empty() { &fallback[..] } else { symbols };
            let cycle: Vec<Symbol> = symbols.iter().cycle().take(n).cloned().collect();
            let groups: Vec<Vec<Symbol>> = match case.strategy {
                Strategy::Batched => cycle.chunks(BATCH_SIZE).map(<[Symbol]>::to_vec).collect(),
                Strategy::Refresh => batches(cycle),
                _ => cycle.into_iter().map(|symbol| vec![symbol]).collect(),
            };
            groups.into_iter().map(|group| call(&client, group, case.strategy)).collect()
        }
    }
}

/// The request for `group`: one quote, or one call of the batch endpoint
/// (always for the batched strategy, which shows the endpoint's own cost).
fn call(client: &ApiClient, group: Vec<Symbol>, strategy: Strategy) -> Call {
    let client = client.clone();
    let items = group.len();
    if items == 1 && strategy != Strategy::Batched {
        let symbol = group[0].clone();
        let call = move || {
            let (client, symbol) = (client.clone(), symbol.clone());
            async move { client.quote(&symbol).await.map(|_| 0) }.boxed_local()
        };
        return (group[0].to_string(), 1, Rc::new(call));
    }
    let label = batching::label(&group);
    let call = move || {
        let (client, group) = (client.clone(), group.clone());
        async move { client.quotes(&group).await.map(|batch| batch.errors.len()) }.boxed_local()
    };
    (label, items, Rc::new(call))
}

fn finish(case: Case, labels: &[(String, usize)], report: Report<usize, FetchError>) -> LabRun {
    let wall = report.wall();
    let sum = report.sum_of_durations();
    let errors = report
        .outcomes()
        .iter()
        .zip(labels)
        .map(|(outcome, (_, items))| match &outcome.result {
            Ok(failed) => *failed,
            Err(_) => *items,
        })
        .sum();
    let requests: Vec<RequestView> = report
        .into_outcomes()
        .into_iter()
        .zip(labels)
        .map(|(outcome, (label, _))| RequestView {
            label: label.clone(),
            started: outcome.timing.started,
            finished: outcome.timing.finished,
            error: outcome.result.err().map(|e| e.to_string()),
            attempts: outcome.attempts,
        })
        .collect();
    let limit = match case.strategy {
        Strategy::Sequential => Some(1),
        Strategy::Refresh => default_policy().concurrency,
        Strategy::Bounded(k) => Some(k),
        _ => None,
    };
    let measurement = Measurement { case, protocol: protocol_used(), wall, errors, requests: requests.len() };
    LabRun { measurement, batch: BatchView { requests, wall, sum, limit } }
}

/// Empties the page's resource timing buffer (it holds 250 entries by
/// default), so the next run's first request is recorded.
fn clear_resource_timings() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.clear_resource_timings();
    }
}

/// The protocol of the first API request recorded since the buffer was
/// cleared, from resource timing's `nextHopProtocol`.
pub fn protocol_used() -> Option<Protocol> {
    let performance = web_sys::window()?.performance()?;
    performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .filter(|entry| entry.name().contains("/api/v1/"))
        .find_map(|entry| Protocol::from_next_hop(&entry.next_hop_protocol()))
}
