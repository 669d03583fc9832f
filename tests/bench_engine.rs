//! The engine's benchmark in a real browser, run by `cargo xtask bench engine`
//! (it measures and prints; it asserts nothing, so `cargo xtask test` leaves it
//! out through the `browser-bench` feature). Three tables:
//!
//! 1. the engine's own cost per request over an in-memory transport — the same
//!    cases as the native run (`crates/fanout/examples/overhead`);
//! 2. N = 1000 zero-latency quote fetches through the engine against a bare
//!    `join_all` of the same gloo-net fetches, in the same page (goal ≤ 1.2×);
//! 3. N = 100 fetches at L = 200 ms, at most k in flight, against the ideal
//!    ceil(N / min(k, c)) · L, over HTTP/1.1 (c = 6) and HTTP/2.
//!
//! `cargo xtask bench engine` starts the API server (no latency, both
//! protocols) and bakes its two URLs in at compile time.

#![allow(missing_docs)]

#[path = "../crates/fanout/examples/overhead/cases.rs"]
mod cases;

use std::time::Duration;

use fanout::{BrowserTimer, CancelToken, Engine, Policy};
use futures::{FutureExt, future::join_all};
use market::Symbol;
use tickerboard::{
    api::{ApiClient, DEMO_KEY},
    state::{dashboard::default_policy, watchlist::default_watchlist},
};
use wasm_bindgen_test::*;
use web_time::Instant;

wasm_bindgen_test_configure!(run_in_browser);

/// The API server over HTTP/1.1 and over HTTP/2 (TLS, ALPN `h2`).
const APIS: [(&str, Option<&str>); 2] =
    [("HTTP/1.1", option_env!("TICKERBOARD_BENCH_HTTP1")), ("HTTP/2", option_env!("TICKERBOARD_BENCH_HTTP2"))];

/// The clients of the servers that were given, with their protocol's name
/// and how many requests it carries at once to one host.
fn servers() -> Vec<(&'static str, usize, ApiClient)> {
    let servers: Vec<_> = APIS
        .iter()
        .filter_map(|(name, url)| {
            let in_flight = if *name == "HTTP/1.1" { 6 } else { 256 };
            url.map(|url| (*name, in_flight, ApiClient::new(url, DEMO_KEY)))
        })
        .collect();
    assert!(!servers.is_empty(), "no API server given: run this through `cargo xtask bench engine`");
    servers
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[wasm_bindgen_test]
async fn engine_overhead_in_memory() {
    const SAMPLES: usize = 21;
    const BATCHES_PER_SAMPLE: usize = 10;
    let cases = cases::Cases::new(BrowserTimer::new());
    let mut rows = Vec::new();
    for (which, name) in cases::STRATEGIES.iter().enumerate() {
        cases.run(which).await;
        let mut samples = Vec::new();
        for _ in 0..SAMPLES {
            // Ten batches a sample: performance.now() is coarse in a page.
            let start = Instant::now();
            for _ in 0..BATCHES_PER_SAMPLE {
                cases.run(which).await;
            }
            samples.push(start.elapsed().as_secs_f64() * 1e6 / (BATCHES_PER_SAMPLE * cases::N) as f64);
        }
        rows.push((*name, median(samples)));
    }
    let title = format!(
        "engine overhead in headless Chromium, N = {} requests answering at once, median of {SAMPLES} samples",
        cases::N
    );
    console_log!("{}", cases::table(&title, &rows));
}

/// Fetches `n` quotes (cycling through `symbols`) with a bare `join_all`; the
/// wall time in milliseconds and the number of failures.
async fn bare_join_all(client: &ApiClient, symbols: &[Symbol], n: usize) -> (f64, usize) {
    let start = Instant::now();
    let results = join_all((0..n).map(|i| client.quote(&symbols[i % symbols.len()]))).await;
    (start.elapsed().as_secs_f64() * 1e3, results.iter().filter(|r| r.is_err()).count())
}

/// The same fetches through `engine`.
async fn through_engine(
    engine: &Engine<BrowserTimer>,
    client: &ApiClient,
    symbols: &[Symbol],
    n: usize,
) -> (f64, usize) {
    let requests: Vec<_> =
        (0..n).map(|i| move |_attempt: u32| client.quote(&symbols[i % symbols.len()]).boxed_local()).collect();
    let start = Instant::now();
    let report = engine.run(requests, &CancelToken::new()).await;
    (start.elapsed().as_secs_f64() * 1e3, report.failures())
}

#[wasm_bindgen_test]
async fn engine_against_bare_join_all_end_to_end() {
    const N: usize = 1000;
    const ROUNDS: usize = 5;
    let symbols = default_watchlist();
    let engine = Engine::new(BrowserTimer::new(), default_policy());
    let mut out = format!(
        "end to end: N = {N} zero-latency quote fetches, median of {ROUNDS} alternating rounds (the app's refresh policy)\n\
         {:<9} {:>15} {:>15} {:>8} {:>8}\n",
        "protocol", "join_all ms", "engine ms", "ratio", "errors"
    );
    for (protocol, _, client) in servers() {
        // A first round of each warms the connections and the code.
        bare_join_all(&client, &symbols, N).await;
        through_engine(&engine, &client, &symbols, N).await;
        let (mut bare, mut fanned, mut errors) = (Vec::new(), Vec::new(), 0);
        for _ in 0..ROUNDS {
            let (ms, failed) = bare_join_all(&client, &symbols, N).await;
            bare.push(ms);
            errors += failed;
            let (ms, failed) = through_engine(&engine, &client, &symbols, N).await;
            fanned.push(ms);
            errors += failed;
        }
        let (bare, fanned) = (median(bare), median(fanned));
        out += &format!("{protocol:<9} {bare:>15.1} {fanned:>15.1} {:>7.2}× {errors:>8}\n", fanned / bare);
    }
    console_log!("{out}");
}

#[wasm_bindgen_test]
async fn bounded_concurrency_against_the_ideal() {
    const N: usize = 100;
    const LATENCY_MS: u64 = 200;
    let symbols = default_watchlist();
    let mut out = format!(
        "bounded: N = {N} quote fetches at L = {LATENCY_MS} ms, at most k in flight; ideal = ceil(N / min(k, c)) · L\n\
         {:<9} {:>5} {:>11} {:>11} {:>8}\n",
        "protocol", "k", "wall ms", "ideal ms", "× ideal"
    );
    for (protocol, in_flight, client) in servers() {
        let client = client.with_header("x-tickerboard-latency-ms", &LATENCY_MS.to_string());
        for k in [1, 6, 100] {
            let engine = Engine::new(BrowserTimer::new(), Policy { concurrency: Some(k), ..Policy::default() });
            let (ms, errors) = through_engine(&engine, &client, &symbols, N).await;
            assert_eq!(errors, 0, "{protocol}, k = {k}: {errors} requests failed");
            let ideal = N.div_ceil(k.min(in_flight)) as f64 * Duration::from_millis(LATENCY_MS).as_secs_f64() * 1e3;
            out += &format!("{protocol:<9} {k:>5} {ms:>11.0} {ideal:>11.0} {:>8.2}\n", ms / ideal);
        }
    }
    console_log!("{out}");
}
