//! The app's side of `cargo xtask bench`: the lab (`/lab`) driven in headless
//! Chromium through its URL (`?n=…&l=…&s=…&runs=…&auto=1`), read back from
//! its results table.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::webdriver::Browser;

/// One run the lab measured.
#[derive(Debug, Clone, PartialEq)]
pub struct LabReading {
    /// `sequential`, `join_all`, `bounded(k)` or `batched`.
    pub strategy: String,
    /// `HTTP/1.1`, `HTTP/2` or `unknown`.
    pub protocol: String,
    /// Wall time.
    pub wall_ms: f64,
    /// Quotes that failed.
    pub errors: u64,
    /// HTTP requests sent.
    pub requests: u64,
}

/// Opens the lab at `origin` and runs `strategies` over `n` quotes at
/// `latency_ms`, `runs` times each; waits (up to `limit`) until every run is
/// in the results table and returns them.
pub async fn run_lab(
    browser: &Browser,
    origin: &str,
    n: usize,
    latency_ms: u64,
    strategies: &[String],
    runs: usize,
    limit: Duration,
) -> Result<Vec<LabReading>> {
    let url = format!(
        "{}/lab?n={n}&l={latency_ms}&s={}&runs={runs}&auto=1",
        origin.trim_end_matches('/'),
        strategies.join(",")
    );
    browser.client.goto(&url).await.with_context(|| format!("opening {url}"))?;
    let expected = strategies.len() * runs;
    let start = Instant::now();
    loop {
        let state = browser
            .eval(
                "const s = document.querySelector('[data-testid=lab-status]');
                 return s ? [Number(s.dataset.finishedRuns), s.textContent] : [0, ''];",
            )
            .await?;
        let finished = state.get(0).and_then(Value::as_u64).unwrap_or(0) as usize;
        let text = state.get(1).and_then(Value::as_str).unwrap_or_default().to_owned();
        if finished >= expected {
            break;
        }
        if text.starts_with("Could not") || text.starts_with("Cancelled") || text.contains("must be") {
            bail!("the lab at {url} stopped: {text}");
        }
        if start.elapsed() > limit {
            bail!("the lab at {url} finished {finished} of {expected} runs in {limit:?} (status {text:?})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let rows = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=lab-result]')].map(r => ({
                strategy: r.dataset.strategy, protocol: r.dataset.protocol, wall: Number(r.dataset.wallMs),
                errors: Number(r.dataset.errors), requests: Number(r.dataset.requests)}));",
        )
        .await?;
    let readings: Vec<LabReading> = rows
        .as_array()
        .context("the lab's results table")?
        .iter()
        .map(|row| {
            let text = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            let number = |k: &str| row.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
            LabReading {
                strategy: text("strategy"),
                protocol: text("protocol"),
                wall_ms: number("wall"),
                errors: number("errors") as u64,
                requests: number("requests") as u64,
            }
        })
        .collect();
    ensure!(readings.len() == expected, "the lab tabled {} runs, not {expected}", readings.len());
    Ok(readings)
}
