//! Runs one lab case against the market API with fanout's strategies and
//! turns the report into a [`Measurement`] and a waterfall.

use std::{rc::Rc, time::Duration};

use fanout::{BrowserTimer, Report, gather, limited, sequential};
use futures::future::{FutureExt, LocalBoxFuture};
use market::{Period, Symbol};
use wasm_bindgen::JsCast;

use crate::{
    api::{ApiClient, FetchError},
    lab::plan::{BATCH_SIZE, BROKER_HISTORY, BROKER_PORTFOLIO, Case, Measurement, Protocol, Strategy, Workload},
    state::dashboard::{BatchView, RequestView},
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

/// One HTTP request of a run: its label and the future that answers with how
/// many of its items failed (a batch call can fail for some symbols only).
type Call = (String, usize, LocalBoxFuture<'static, Result<usize, FetchError>>);

/// Runs `case` against `client`, quotes cycling through `symbols` (the
/// default watchlist's if none are given), calling `on_answer` as each request lands. Dropping the future
/// aborts every fetch still in flight.
pub async fn run(client: &ApiClient, case: Case, symbols: &[Symbol], on_answer: impl Fn() + 'static) -> LabRun {
    clear_resource_timings();
    let on_answer = Rc::new(on_answer);
    let calls = calls(client, case, symbols);
    let labels: Vec<(String, usize)> = calls.iter().map(|(label, items, _)| (label.clone(), *items)).collect();
    let requests = calls.into_iter().map(|(_, _, call)| {
        let on_answer = on_answer.clone();
        call.inspect(move |_| on_answer())
    });
    let clock = BrowserTimer::new();
    let report = match case.strategy {
        Strategy::Sequential => sequential(clock, requests).await,
        Strategy::Bounded(k) => limited(clock, k, requests).await,
        Strategy::JoinAll | Strategy::Batched => gather(clock, requests).await,
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
                (label, 1, async move { history.history(&symbol, Period::OneYear).await.map(|_| 0) }.boxed_local()),
                ("portfolio".to_owned(), 1, async move { portfolio.portfolio().await.map(|_| 0) }.boxed_local()),
            ]
        }
        Workload::Quotes { n, latency } => {
            let client = with_latency(latency);
            let fallback = crate::state::watchlist::default_watchlist();
            let symbols = if symbols.is_empty() { &fallback[..] } else { symbols };
            let cycle: Vec<Symbol> = symbols.iter().cycle().take(n).cloned().collect();
            if case.strategy == Strategy::Batched {
                cycle
                    .chunks(BATCH_SIZE)
                    .map(|chunk| {
                        let label = format!("{}…{} ({})", chunk[0], chunk[chunk.len() - 1], chunk.len());
                        let (client, chunk, items) = (client.clone(), chunk.to_vec(), chunk.len());
                        let call = async move { client.quotes(&chunk).await.map(|batch| batch.errors.len()) };
                        (label, items, call.boxed_local())
                    })
                    .collect()
            } else {
                cycle
                    .into_iter()
                    .map(|symbol| {
                        let client = client.clone();
                        (symbol.to_string(), 1, async move { client.quote(&symbol).await.map(|_| 0) }.boxed_local())
                    })
                    .collect()
            }
        }
    }
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
