//! The soak (issue 8): the release app refreshing every second against the
//! `realistic` latency profile with faults, for minutes, in headless Chromium.
//! Every sample reads the JS heap (after a forced GC, with precise memory
//! info), the wasm linear memory, the app's own registry of intervals,
//! listeners, fetches and sleeps (`window.tickerboardDiagnostics()`), the DOM's
//! size and the server's request count. It then asserts:
//! - heap and wasm memory grow at most 5 % after the warm-up (the median of
//!   the last three samples against the first three after it);
//! - intervals and listeners are the same in every sample, and fetches and
//!   sleeps never exceed what one refresh can hold;
//! - the server saw exactly the requests the app sent (up to those in
//!   flight), and the refreshes kept coming (at least one per 3 s).
//!
//! `cargo xtask soak --minutes 30` runs it alone; the end-to-end tier runs
//! three minutes of it.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    e2e::AppUnderTest,
    e2e::page::{server_stats, store_watchlist, wait_for},
    paths,
    webdriver::Browser,
};

/// `cargo xtask soak`'s options.
#[derive(Debug, clap::Args)]
pub struct SoakArgs {
    /// How long to run.
    #[arg(long, default_value_t = 30.0)]
    pub minutes: f64,
    /// Seconds between samples.
    #[arg(long, default_value_t = 60)]
    pub every: u64,
    /// Serve without faults (the realistic latency alone), to tell the app's
    /// own growth from what failures cost.
    #[arg(long)]
    pub no_faults: bool,
}

/// The server's faults during a soak: passing ones (retried), unreadable
/// answers, and the odd hang (cut by the 3 s timeout).
pub const SERVER_ARGS: &[&str] = &[
    "--profile",
    "realistic",
    "--fault",
    "503=0.02",
    "--fault",
    "429=0.005",
    "--fault",
    "malformed=0.005",
    "--fault",
    "hang=0.002",
];

/// The watchlist: the app's default, the five held symbols, so a refresh is
/// one request per symbol plus the portfolio (a held symbol off the list
/// would join them and turn the quotes into batch calls).
const SYMBOLS: [&str; 5] = ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA"];
/// Requests one refresh sends at once: one per symbol and the portfolio.
const REQUESTS_PER_REFRESH: u64 = SYMBOLS.len() as u64 + 1;

/// What the app's registry says (`window.tickerboardDiagnostics()`).
#[derive(Debug, Clone, Copy, Deserialize)]
struct Diagnostics {
    intervals: u64,
    listeners: u64,
    fetches_in_flight: u64,
    fetches_started: u64,
    sleeps_pending: u64,
    refreshes: u64,
    wasm_memory_bytes: u64,
    heap_bytes: u64,
}

/// One sample.
#[derive(Debug, Clone, Copy)]
struct Sample {
    at: Duration,
    heap_bytes: u64,
    dom_nodes: u64,
    app: Diagnostics,
    server_requests: u64,
}

/// `cargo xtask soak`: builds the app, serves it with faults and soaks it.
pub fn run(args: &SoakArgs) -> Result<()> {
    ensure!(args.minutes > 0.0, "--minutes must be more than 0");
    AppUnderTest::build()?;
    let args_now = if args.no_faults { &SERVER_ARGS[..2] } else { SERVER_ARGS };
    let app = AppUnderTest::serve(args_now, "soak-api.log")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let duration = Duration::from_secs_f64(args.minutes * 60.0);
    let summary = runtime.block_on(async {
        let browser = Browser::start().await?;
        let result = soak(&browser, &app.url, duration, Duration::from_secs(args.every.max(1))).await;
        browser.close().await?;
        result
    })?;
    println!("{summary}");
    Ok(())
}

/// The soak the end-to-end tier runs: three minutes, a sample every 15 s,
/// against its own server with faults.
pub async fn three_minutes(browser: &Browser) -> Result<String> {
    let app = AppUnderTest::serve(SERVER_ARGS, "soak-api.log")?;
    soak(browser, &app.url, Duration::from_secs(180), Duration::from_secs(15)).await
}

/// Soaks the app at `url` for `duration`, sampling every `every`; returns
/// the summary (also saved to `target/soak/report.md`).
async fn soak(browser: &Browser, url: &str, duration: Duration, every: Duration) -> Result<String> {
    browser.client.goto(&format!("{url}settings")).await?;
    let settings = json!({
        "api_base_url": "", "remember_key": false, "concurrency": 16,
        "timeout_ms": 3000, "retries": 2, "auto_refresh": "1s",
    });
    browser
        .eval_async(
            "const [settings, done] = arguments; localStorage.clear(); sessionStorage.clear();
             localStorage.setItem('tickerboard.settings', settings); done(true);",
            vec![json!(settings.to_string())],
        )
        .await?;
    store_watchlist(browser, &SYMBOLS).await?;
    browser.client.goto(url).await?;
    let priced = "Array.from(document.querySelectorAll('[data-testid=price]')).filter(p => /^[0-9.,]+$/.test(p.textContent.trim())).length >= 4";
    wait_for(browser, "the first prices", priced, Duration::from_secs(20)).await?;
    let has_gc = browser.eval("return typeof window.gc === 'function' && !!performance.memory;").await?;
    ensure!(has_gc == json!(true), "Chromium lacks --js-flags=--expose-gc or precise memory info");

    let started = Instant::now();
    let mut samples = vec![sample(browser, Duration::ZERO).await?];
    println!("soak: {} minutes, a sample every {} s", duration.as_secs() / 60, every.as_secs());
    println!("{}", header());
    println!("{}", line(&samples[0]));
    while started.elapsed() < duration {
        tokio::time::sleep(every.min(duration.saturating_sub(started.elapsed()))).await;
        let next = sample(browser, started.elapsed()).await?;
        println!("{}", line(&next));
        samples.push(next);
    }
    let report = judge(&samples, duration);
    let table: String = std::iter::once(header()).chain(samples.iter().map(line)).collect::<Vec<_>>().join("\n");
    let out = paths::target().join("soak");
    std::fs::create_dir_all(&out)?;
    let text = format!("{table}\n\n{}\n", report.as_ref().map_or_else(|e| format!("FAILED: {e:#}"), Clone::clone));
    std::fs::write(out.join("report.md"), &text)?;
    report
}

/// Reads one sample, after a forced garbage collection.
async fn sample(browser: &Browser, at: Duration) -> Result<Sample> {
    let read = browser
        .eval(
            "window.gc(); return { heap: performance.memory.usedJSHeapSize,
               nodes: document.getElementsByTagName('*').length,
               app: window.tickerboardDiagnostics() };",
        )
        .await?;
    let app: Diagnostics =
        serde_json::from_str(read["app"].as_str().context("no diagnostics")?).context("reading the diagnostics")?;
    let stats = server_stats(browser).await?;
    let server_requests = stats["requests"].as_object().map_or(0, |all| all.values().filter_map(Value::as_u64).sum());
    Ok(Sample {
        at,
        heap_bytes: read["heap"].as_u64().context("no heap size")?,
        dom_nodes: read["nodes"].as_u64().context("no node count")?,
        app,
        server_requests,
    })
}

fn header() -> String {
    "| at | JS heap | Rust heap | wasm memory | DOM nodes | intervals | listeners | fetches | sleeps | refreshes | sent | served |\n\
     |---|---|---|---|---|---|---|---|---|---|---|---|"
        .to_owned()
}

fn line(s: &Sample) -> String {
    let mb = |bytes: u64| format!("{:.2} MB", bytes as f64 / 1e6);
    format!(
        "| {}:{:02} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        s.at.as_secs() / 60,
        s.at.as_secs() % 60,
        mb(s.heap_bytes),
        mb(s.app.heap_bytes),
        mb(s.app.wasm_memory_bytes),
        s.dom_nodes,
        s.app.intervals,
        s.app.listeners,
        s.app.fetches_in_flight,
        s.app.sleeps_pending,
        s.app.refreshes,
        s.app.fetches_started,
        s.server_requests
    )
}

fn median(mut values: Vec<u64>) -> f64 {
    values.sort_unstable();
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2] as f64,
        n => (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0,
    }
}

/// The verdict on a soak's samples: the summary, or what failed.
fn judge(samples: &[Sample], duration: Duration) -> Result<String> {
    // Warm-up: the first sixth of the run, at least a minute (at most five).
    let warm_up = (duration / 6).clamp(Duration::from_secs(60), Duration::from_secs(300));
    let after: Vec<&Sample> = samples.iter().filter(|s| s.at >= warm_up).collect();
    ensure!(after.len() >= 4, "only {} samples after the {} s warm-up", after.len(), warm_up.as_secs());
    let growth = |read: fn(&Sample) -> u64| {
        let first = median(after.iter().take(3).map(|s| read(s)).collect());
        let last = median(after.iter().rev().take(3).map(|s| read(s)).collect());
        last / first.max(1.0) - 1.0
    };
    let heap = growth(|s| s.heap_bytes);
    let rust_heap = growth(|s| s.app.heap_bytes);
    let wasm = growth(|s| s.app.wasm_memory_bytes);
    let nodes = growth(|s| s.dom_nodes);
    let mut problems = Vec::new();
    for (what, grew) in [("JS heap", heap), ("wasm memory", wasm), ("DOM nodes", nodes)] {
        if grew > 0.05 {
            problems.push(format!("the {what} grew {:.1} % after the warm-up (at most 5 %)", grew * 100.0));
        }
    }
    // The Rust heap's live bytes are a small number (~100 KB) that a refresh
    // in flight moves by tens of KB: 5 %, or 32 KB if that is more.
    let live = |s: &&Sample| s.app.heap_bytes;
    let first_live = median(after.iter().take(3).map(live).collect());
    let last_live = median(after.iter().rev().take(3).map(live).collect());
    if last_live - first_live > (first_live * 0.05).max(32.0 * 1024.0) {
        problems.push(format!(
            "the Rust heap grew from {:.0} KB to {:.0} KB after the warm-up",
            first_live / 1024.0,
            last_live / 1024.0
        ));
    }
    let first = &samples[0];
    for (what, read) in
        [("intervals", (|s: &Sample| s.app.intervals) as fn(&Sample) -> u64), ("listeners", |s| s.app.listeners)]
    {
        let seen: Vec<u64> = samples.iter().map(read).collect();
        if seen.iter().any(|&n| n != read(first)) || read(first) == 0 {
            problems.push(format!("the app's {what} were not one steady, non-zero count: {seen:?}"));
        }
    }
    // Each request holds at most one fetch and two sleeps (its timeout, and a
    // backoff or the pause of a Retry-After), and the tick holds none.
    let most_fetches = samples.iter().map(|s| s.app.fetches_in_flight).max().unwrap_or(0);
    let most_sleeps = samples.iter().map(|s| s.app.sleeps_pending).max().unwrap_or(0);
    if most_fetches > REQUESTS_PER_REFRESH || most_sleeps > 2 * REQUESTS_PER_REFRESH {
        problems.push(format!(
            "more in flight than one refresh holds: {most_fetches} fetches, {most_sleeps} sleeps \
             (at most {REQUESTS_PER_REFRESH} and {})",
            2 * REQUESTS_PER_REFRESH
        ));
    }
    let last = samples.last().context("no samples")?;
    let sent = last.app.fetches_started - first.app.fetches_started;
    let served = last.server_requests - first.server_requests;
    let slack = first.app.fetches_in_flight + last.app.fetches_in_flight;
    if sent.abs_diff(served) > slack {
        problems.push(format!("the app sent {sent} requests and the server saw {served} (in flight: {slack})"));
    }
    let refreshes = last.app.refreshes - first.app.refreshes;
    let span = last.at.saturating_sub(first.at).as_secs_f64();
    let fewest = (span / 3.0).floor() as u64;
    if refreshes < fewest || sent < refreshes * REQUESTS_PER_REFRESH {
        problems.push(format!(
            "{refreshes} refreshes and {sent} requests in {span:.0} s: expected at least {fewest} refreshes \
             of {REQUESTS_PER_REFRESH} requests each"
        ));
    }
    let summary = format!(
        "{:.0} s, {} samples, warm-up {} s: JS heap {:+.1} %, Rust heap {:+.1} %, wasm memory {:+.1} %, \
         DOM nodes {:+.1} % after it; \
         intervals {}, listeners {} throughout; at most {most_fetches} fetches and {most_sleeps} sleeps pending; \
         {refreshes} refreshes ({:.2} s each), {sent} requests sent and {served} served",
        span,
        samples.len(),
        warm_up.as_secs(),
        heap * 100.0,
        rust_heap * 100.0,
        wasm * 100.0,
        nodes * 100.0,
        first.app.intervals,
        first.app.listeners,
        span / refreshes.max(1) as f64,
    );
    ensure!(problems.is_empty(), "{}; {summary}", problems.join("; "));
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(heap: &[u64], listeners: &[u64], every: u64) -> Vec<Sample> {
        heap.iter()
            .zip(listeners)
            .enumerate()
            .map(|(i, (&heap_bytes, &listeners))| {
                let i = i as u64;
                Sample {
                    at: Duration::from_secs(i * every),
                    heap_bytes,
                    dom_nodes: 300,
                    app: Diagnostics {
                        intervals: 1,
                        listeners,
                        fetches_in_flight: 1,
                        fetches_started: 100 + i * every * 4,
                        sleeps_pending: 2,
                        refreshes: i * every / 2,
                        wasm_memory_bytes: 2_000_000,
                        heap_bytes: 500_000,
                    },
                    server_requests: 99 + i * every * 4,
                }
            })
            .collect()
    }

    #[test]
    fn a_steady_soak_passes_and_growth_or_a_new_listener_fails_it() {
        let steady = samples(&[9, 10, 10, 10, 11, 10, 10, 10, 10, 10].map(|m| m * 1_000_000), &[2; 10], 20);
        let summary = judge(&steady, Duration::from_secs(180)).expect("steady");
        assert!(summary.contains("JS heap +0.0 %"), "{summary}");
        let growing = samples(&[10, 10, 10, 10, 10, 10, 10, 11, 11, 11].map(|m| m * 1_000_000), &[2; 10], 20);
        let failed = judge(&growing, Duration::from_secs(180)).unwrap_err().to_string();
        assert!(failed.contains("the JS heap grew 10.0 %"), "{failed}");
        let leaking = samples(&[10_000_000; 10], &[2, 2, 2, 2, 2, 3, 3, 3, 3, 3], 20);
        let failed = judge(&leaking, Duration::from_secs(180)).unwrap_err().to_string();
        assert!(failed.contains("listeners were not one steady"), "{failed}");
    }

    #[test]
    fn requests_the_server_did_not_see_or_a_stalled_refresh_fail_it() {
        let mut lost = samples(&[10_000_000; 10], &[2; 10], 20);
        lost.last_mut().unwrap().server_requests -= 50;
        let failed = judge(&lost, Duration::from_secs(180)).unwrap_err().to_string();
        assert!(failed.contains("the server saw"), "{failed}");
        let mut stalled = samples(&[10_000_000; 10], &[2; 10], 20);
        stalled.last_mut().unwrap().app.refreshes = 10;
        let failed = judge(&stalled, Duration::from_secs(180)).unwrap_err().to_string();
        assert!(failed.contains("expected at least 60 refreshes"), "{failed}");
    }
}
