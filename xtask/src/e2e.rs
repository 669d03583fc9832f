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
        AppUnderTest::build()?;
        AppUnderTest::serve(&["--profile", profile], "api.log")
    }

    /// Builds the app (trunk, release) where [`AppUnderTest::serve`] serves it from.
    pub fn build() -> Result<()> {
        build_release(&dist())
    }

    /// Serves the app built by [`AppUnderTest::build`] with another API
    /// server, started with `args` and logging to `target/e2e/{log}`.
    pub fn serve(args: &[&str], log: &str) -> Result<AppUnderTest> {
        AppUnderTest::serve_with_env(args, &[], log)
    }

    /// Like [`AppUnderTest::serve`], with `env` set for the server.
    pub fn serve_with_env(args: &[&str], env: &[(&str, &str)], log: &str) -> Result<AppUnderTest> {
        let server = process::build_api_server()?;
        let dist = dist();
        let dist_arg = dist.to_string_lossy();
        let mut all = vec!["--dist", &dist_arg];
        all.extend_from_slice(args);
        let log = paths::target().join("e2e").join(log);
        let (service, ports) = process::start_api_server_env(&server, &all, env, &log, 1)?;
        Ok(AppUnderTest { url: format!("http://127.0.0.1:{}/", ports[0]), _server: service })
    }
}

/// Where the end-to-end tier's release build of the app goes.
fn dist() -> PathBuf {
    paths::target().join("e2e").join("dist")
}

/// The release build (`crate::build::release`) into `dist`, with the CSP meta and precompressed copies.
pub fn build_release(dist: &Path) -> Result<()> {
    let start = Instant::now();
    crate::build::release(dist)?;
    add_csp_meta(dist)?;
    println!("e2e: built the app in {:.1} s into {}", start.elapsed().as_secs_f64(), dist.display());
    let compressed = crate::compress::precompress(dist)?;
    println!("e2e: precompressed {compressed} (.br and .gz beside each file)");
    Ok(())
}

/// The Content-Security-Policy every page is served with (the API server
/// sends the same text as a header).
pub fn content_security_policy() -> Result<String> {
    let path = paths::root().join("web").join("content-security-policy.txt");
    Ok(std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?.trim().to_owned())
}

/// Puts the policy into the release build's `index.html` as a `<meta>` tag,
/// first in `<head>`, so it holds wherever the files are hosted. (Only release
/// builds: `trunk serve` injects an inline live-reload script the policy
/// would block.)
fn add_csp_meta(dist: &Path) -> Result<()> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)?;
    let policy = content_security_policy()?;
    ensure!(!policy.contains('"'), "the policy must not contain a double quote");
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#);
    let head = html.find("<head>").context("index.html has no <head>")? + "<head>".len();
    std::fs::write(&index, format!("{}{meta}{}", &html[..head], &html[head..]))?;
    Ok(())
}

/// The same app served with every answer after 200 ms, over HTTP/1.1 and over
/// HTTP/2 (TLS, self-signed) by one server process.
pub struct TwoProtocols {
    /// `http://…/` (HTTP/1.1).
    pub http1: String,
    /// `https://…/` (HTTP/2 by ALPN).
    pub http2: String,
    _server: Service,
}

/// Fixed latency of the protocol comparison, in milliseconds.
pub const PROTOCOL_LATENCY_MS: f64 = 200.0;

impl TwoProtocols {
    /// Starts the API server on both listeners, serving the already built app.
    pub fn start() -> Result<TwoProtocols> {
        let out = paths::target().join("e2e");
        let dist = out.join("dist");
        let server = process::build_api_server()?;
        let dist_arg = dist.to_string_lossy();
        let latency = PROTOCOL_LATENCY_MS.to_string();
        let args = ["--dist", &dist_arg, "--latency-ms", &latency, "--tls-port", "0"];
        let (service, ports) = process::start_api_server_ports(&server, &args, &out.join("api-protocols.log"), 2)?;
        Ok(TwoProtocols {
            http1: format!("http://127.0.0.1:{}/", ports[0]),
            http2: format!("https://127.0.0.1:{}/", ports[1]),
            _server: service,
        })
    }
}

/// What a page measured fetching `n` quotes at once with `Promise.all(fetch)`.
#[derive(Debug)]
pub struct FanOut {
    /// Wall time in milliseconds.
    pub ms: f64,
    /// Answers that arrived whole with status 200.
    pub ok: u64,
    /// The protocol the browser used (`h2`, `http/1.1`).
    pub protocol: String,
}

/// Opens `origin` and fetches `n` different quotes at once from the page, with
/// no cache, as plain JavaScript would.
pub async fn fan_out(browser: &Browser, origin: &str, n: u64) -> Result<FanOut> {
    browser.client.goto(origin).await.with_context(|| format!("opening {origin}"))?;
    let script = "const [n, done] = [arguments[0], arguments[arguments.length - 1]];
        const symbols = ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'TSLA', 'NVDA', 'META', 'NFLX', 'AMD', 'INTC'];
        const one = i => fetch(`/api/v1/quotes/${symbols[i % symbols.length]}?i=${i}`,
              { headers: { Authorization: 'Bearer demo' }, cache: 'no-store' })
            .then(r => r.ok ? r.json().then(() => 1) : 0, () => 0);
        const start = performance.now();
        Promise.all(Array.from({ length: n }, (_, i) => one(i))).then(results => {
            const ms = performance.now() - start;
            const entries = performance.getEntriesByType('resource');
            const protocol = entries.length ? entries[entries.length - 1].nextHopProtocol : '';
            done({ ms, ok: results.reduce((a, b) => a + b, 0), protocol });
        });";
    let value = browser.eval_async(script, vec![n.into()]).await?;
    Ok(FanOut {
        ms: value["ms"].as_f64().context("no time measured")?,
        ok: value["ok"].as_u64().unwrap_or_default(),
        protocol: value["protocol"].as_str().unwrap_or_default().to_owned(),
    })
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
    // `XTASK_E2E_ONLY=views|faults|retries|cancel|csp|keys|providers|soak|lab|first-load|lazy`: only those checks (`lazy` with the route's) (while working on them).
    match std::env::var("XTASK_E2E_ONLY").as_deref() {
        Ok("first-load") => {
            crate::e2e_first_load::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result))
                .await;
            return tally;
        }
        Ok("lazy") => {
            crate::e2e_lazy::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
            crate::e2e_route::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        Ok("faults") => {
            crate::e2e_faults::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        Ok("cancel") => {
            crate::e2e_cancel::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        Ok("csp") => {
            let csp = crate::e2e_security::csp_blocks_an_injected_inline_script(browser, &app.url).await;
            record(&mut tally, "csp_blocks_an_injected_inline_script", csp);
            return tally;
        }
        Ok("retries") => {
            let announced = crate::e2e_faults::retries_are_announced_and_recover_on_their_own(browser, &app.url).await;
            record(&mut tally, "fault_retries_are_announced_and_recover_on_their_own", announced);
            return tally;
        }
        Ok("views") => {
            crate::e2e_views::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        Ok("soak") => {
            record(&mut tally, "soak_three_minutes_against_faults", crate::soak::three_minutes(browser).await);
            return tally;
        }
        Ok("providers") => {
            crate::e2e_providers::checks(browser, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        Ok("keys") => {
            crate::e2e_keys::checks(browser, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        Ok(only) if only.starts_with("lab") => {
            crate::e2e_lab::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
            return tally;
        }
        _ => {}
    }

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
    record(&mut tally, "the_bundle_carries_no_simulator", bundle_check());
    crate::e2e_views::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_lab::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    let console = async {
        let log = browser.console_log().await?;
        // The Retry check trips a 503 on purpose; Chromium logs that load as SEVERE.
        let severe: Vec<_> =
            log.iter().filter(|(level, message)| level == "SEVERE" && !message.contains("status of 503")).collect();
        ensure!(severe.is_empty(), "SEVERE console entries: {severe:?}");
        Ok(format!("{} entries, none SEVERE but the provoked 503", log.len()))
    };
    record(&mut tally, "console_has_no_severe_entries_after_the_views", console.await);
    protocol_checks(browser, &mut tally).await;
    crate::e2e_first_load::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_lazy::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_route::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_cancel::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_faults::checks(browser, &app.url, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_keys::checks(browser, &mut |name, result| record(&mut tally, name, result)).await;
    crate::e2e_providers::checks(browser, &mut |name, result| record(&mut tally, name, result)).await;
    record(&mut tally, "soak_three_minutes_against_faults", crate::soak::three_minutes(browser).await);
    // Last: the blocked script is logged as an error on purpose.
    let csp = crate::e2e_security::csp_blocks_an_injected_inline_script(browser, &app.url).await;
    record(&mut tally, "csp_blocks_an_injected_inline_script", csp);
    tally
}

/// 100 requests at 200 ms over HTTP/1.1 queue behind six connections; over
/// HTTP/2 they share one. And 1 000 at once over HTTP/2 all succeed.
async fn protocol_checks(browser: &Browser, tally: &mut Tally) {
    let servers = match TwoProtocols::start() {
        Ok(servers) => servers,
        Err(err) => {
            record(tally, "http2_multiplexes_past_six_connections", Err(err));
            return;
        }
    };
    let compare = async {
        let h1 = fan_out(browser, &servers.http1, 100).await?;
        let h2 = fan_out(browser, &servers.http2, 100).await?;
        let six_connections = (100f64 / 6.0).ceil() * PROTOCOL_LATENCY_MS;
        ensure!(h1.protocol == "http/1.1" && h2.protocol == "h2", "protocols {} and {}", h1.protocol, h2.protocol);
        ensure!(h1.ok == 100 && h2.ok == 100, "answers: {} over HTTP/1.1, {} over HTTP/2", h1.ok, h2.ok);
        ensure!(h1.ms >= 0.9 * six_connections, "HTTP/1.1 took {:.0} ms, under ceil(100/6) x 200 ms", h1.ms);
        ensure!(h2.ms < six_connections / 4.0, "HTTP/2 took {:.0} ms: not well under {six_connections} ms", h2.ms);
        Ok(format!(
            "100 quotes at 200 ms: HTTP/1.1 {:.0} ms = {:.1} L, HTTP/2 {:.0} ms = {:.2} L",
            h1.ms,
            h1.ms / PROTOCOL_LATENCY_MS,
            h2.ms,
            h2.ms / PROTOCOL_LATENCY_MS
        ))
    };
    record(tally, "http2_multiplexes_past_six_connections", compare.await);
    let thousand = async {
        let run = fan_out(browser, &servers.http2, 1000).await?;
        ensure!(run.ok == 1000, "{} of 1000 answers arrived", run.ok);
        Ok(format!(
            "1000 quotes at 200 ms over {}: {:.0} ms = {:.1} L, 0 errors",
            run.protocol,
            run.ms,
            run.ms / PROTOCOL_LATENCY_MS
        ))
    };
    record(tally, "a_thousand_requests_over_http2_all_succeed", thousand.await);
}

/// The wasm bundle holds the API's types and rules, not the simulated market:
/// no company names from the universe. Positive control: the server has them.
fn bundle_check() -> Result<String> {
    let dist = paths::target().join("e2e").join("dist");
    let mut sizes = Vec::new();
    let mut wasm = Vec::new();
    for entry in std::fs::read_dir(&dist)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name.ends_with(".wasm") || name.ends_with(".js") || name.ends_with(".css") {
            let bytes = std::fs::read(&path)?;
            sizes.push(format!("{name} {} KB", bytes.len() / 1024));
            if name.ends_with(".wasm") {
                wasm.push((name, bytes));
            }
        }
    }
    ensure!(wasm.iter().any(|(name, _)| name.starts_with("tickerboard_bg")), "no app wasm in {}", dist.display());
    let server = std::fs::read(paths::target().join("debug").join("tickerboard-server"))?;
    let has = |haystack: &[u8], needle: &str| haystack.windows(needle.len()).any(|w| w == needle.as_bytes());
    for name in ["Microsoft Corporation", "Copperleaf"] {
        ensure!(has(&server, name), "positive control failed: the server binary lacks {name:?}");
        for (file, bytes) in &wasm {
            ensure!(!has(bytes, name), "{file} contains {name:?}: the simulator leaked into the app");
        }
    }
    sizes.sort();
    Ok(sizes.join(", "))
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
