//! The end-to-end tier: the release build of the app, served by the market API
//! server on one origin, driven in headless Chromium over WebDriver.

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::{
    paths,
    process::{self, Service},
    tally::Tally,
    webdriver::Browser,
};

/// The app built in release mode and served, with the API, by one server.
pub struct AppUnderTest {
    /// The app's address.
    pub url: String,
    _server: Service,
}

impl AppUnderTest {
    /// Builds the app (trunk, release) and serves it with the API under `profile`.
    pub fn start(profile: &str) -> Result<AppUnderTest> {
        let out = paths::target().join("e2e");
        let dist = out.join("dist");
        build_release(&dist)?;
        let server = process::build_api_server()?;
        let dist_arg = dist.to_string_lossy();
        let (service, port) =
            process::start_api_server(&server, &["--dist", &dist_arg, "--profile", profile], &out.join("api.log"))?;
        Ok(AppUnderTest { url: format!("http://127.0.0.1:{port}/"), _server: service })
    }
}

/// `trunk build --release` into `dist` (wasm-opt from the npm binaryen on PATH).
pub fn build_release(dist: &Path) -> Result<()> {
    let start = Instant::now();
    let status = paths::command("trunk")
        .args(["build", "--release", "--dist"])
        .arg(dist)
        .env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .status()
        .context("running trunk build")?;
    ensure!(status.success(), "trunk build --release failed");
    println!("e2e: built the app in {:.1} s into {}", start.elapsed().as_secs_f64(), dist.display());
    Ok(())
}

/// What the dashboard shows once its first refresh has finished.
#[derive(Debug)]
pub struct DashboardReading {
    /// The price cells' text, in row order.
    pub prices: Vec<String>,
    /// The timing line's wall time, in seconds.
    pub wall: f64,
    /// The timing line's sum of the requests' own durations, in seconds.
    pub sum: f64,
    /// From the page load until every row had a price.
    pub filled_after: Duration,
}

/// Loads `url` and waits (up to `limit`) until five rows have prices and the
/// timing line is shown.
pub async fn load_dashboard(browser: &Browser, url: &str, limit: Duration) -> Result<DashboardReading> {
    browser.client.goto(url).await.with_context(|| format!("opening {url}"))?;
    let start = Instant::now();
    let script = "const text = s => { const e = document.querySelector(s); return e && e.textContent; };
        return { prices: Array.from(document.querySelectorAll('[data-testid=price]')).map(e => e.textContent),
                 wall: text('[data-testid=wall-seconds]'), sum: text('[data-testid=sum-seconds]') };";
    let mut filled_after = None;
    loop {
        let page = browser.eval(script).await?;
        let prices: Vec<String> = page["prices"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let priced = prices.len() == 5 && prices.iter().all(|p| is_price(p));
        if priced && filled_after.is_none() {
            filled_after = Some(start.elapsed());
        }
        let number = |key: &str| page[key].as_str().and_then(|s| s.parse::<f64>().ok());
        if let (Some(filled_after), Some(wall), Some(sum)) = (filled_after, number("wall"), number("sum")) {
            return Ok(DashboardReading { prices, wall, sum, filled_after });
        }
        if start.elapsed() > limit {
            bail!("after {limit:?} the page shows prices {prices:?}, wall {:?}, sum {:?}", page["wall"], page["sum"]);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn is_price(text: &str) -> bool {
    text.replace(',', "").parse::<f64>().is_ok_and(|p| p > 0.0)
}

/// Runs the end-to-end checks against the seed profile.
pub fn run() -> Result<Tally> {
    let app = AppUnderTest::start("seed")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let browser = Browser::start().await?;
        let tally = checks(&browser, &app).await;
        browser.close().await?;
        Ok(tally)
    })
}

async fn checks(browser: &Browser, app: &AppUnderTest) -> Tally {
    let mut tally = Tally::default();

    // Positive control first: an empty console log proves nothing unless a
    // logged marker can be found in it.
    let marker = async {
        browser.eval("console.error('tickerboard-e2e-marker'); return true;").await?;
        let log = browser.console_log().await?;
        ensure!(
            log.iter().any(|(level, message)| level == "SEVERE" && message.contains("tickerboard-e2e-marker")),
            "the marker is not in the captured log: {log:?}"
        );
        Ok(format!("{} entries captured", log.len()))
    };
    record(&mut tally, "console_log_capture_finds_a_marker", marker.await);

    let reading = load_dashboard(browser, &app.url, Duration::from_secs(15)).await;
    let rows = match &reading {
        Ok(r) => Ok(format!("prices {:?}, all in after {:.2} s", r.prices, r.filled_after.as_secs_f64())),
        Err(err) => Err(anyhow::anyhow!("{err:#}")),
    };
    record(&mut tally, "five_rows_fill_with_prices", rows);

    let timing = match &reading {
        Ok(r) => {
            if r.wall >= 1.0 && r.sum >= 4.5 && r.wall < r.sum / 2.0 {
                Ok(format!("wall {:.2} s against a sum of {:.2} s", r.wall, r.sum))
            } else {
                Err(anyhow::anyhow!(
                    "expected wall >= 1 s, sum >= 4.5 s, wall < sum / 2; got wall {} s, sum {} s",
                    r.wall,
                    r.sum
                ))
            }
        }
        Err(_) => Err(anyhow::anyhow!("the dashboard never finished loading")),
    };
    record(&mut tally, "timing_line_shows_concurrent_against_sequential", timing);

    let console = async {
        let log = browser.console_log().await?;
        let severe: Vec<_> = log.iter().filter(|(level, _)| level == "SEVERE").collect();
        ensure!(severe.is_empty(), "SEVERE console entries: {severe:?}");
        Ok(format!("{} entries, none SEVERE", log.len()))
    };
    record(&mut tally, "console_has_no_severe_entries", console.await);

    let screenshot = async {
        let png = browser.client.screenshot().await.context("taking a screenshot")?;
        ensure!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "not a real screenshot ({} bytes)", png.len());
        let path = screenshot_path();
        std::fs::write(&path, &png)?;
        Ok(format!("{} ({} KB)", path.display(), png.len() / 1024))
    };
    record(&mut tally, "screenshot_is_saved", screenshot.await);
    tally
}

fn screenshot_path() -> PathBuf {
    paths::target().join("e2e").join("dashboard.png")
}

/// Prints one check's line, as cargo test would, and counts it.
fn record(tally: &mut Tally, name: &str, result: Result<String>) {
    tally.record(result.is_ok());
    match result {
        Ok(detail) => println!("test e2e::{name} ... ok ({detail})"),
        Err(err) => println!("test e2e::{name} ... FAILED: {err:#}"),
    }
}
