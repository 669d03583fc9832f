//! The dashboard's first screen end to end: five rows fill with prices, the
//! timing line shows the fan-out against the sum of its requests, the
//! console stays clean, a screenshot is saved, and the bundle carries the
//! API's types but not the simulated market.

use std::{path::PathBuf, time::Duration};

use anyhow::{Context, Result, ensure};

use super::trial::on_page;
use super::{
    E2eTrial,
    page::{DashboardReading, load_dashboard},
    trial::Console,
};
use crate::{paths, webdriver::Browser};

/// How long the first refresh may take (the seed profile answers quotes after 1 s).
const FIRST_REFRESH: Duration = Duration::from_secs(15);

/// The dashboard's trials.
pub fn trials() -> Vec<E2eTrial> {
    vec![
        E2eTrial::new("console_log_capture_finds_a_marker", |lane| {
            lane.run(console_log_capture_finds_a_marker(&lane.browser))
        }),
        on_page!("five_rows_fill_with_prices", five_rows_fill_with_prices).console(Console::Clean),
        on_page!("timing_line_shows_concurrent_against_sequential", timing_line_shows_concurrent_against_sequential)
            .alone()
            .console(Console::Clean),
        on_page!("console_has_no_severe_entries", console_has_no_severe_entries),
        on_page!("screenshot_is_saved", screenshot_is_saved).console(Console::Clean),
        E2eTrial::new("the_bundle_carries_no_simulator", |_| the_bundle_carries_no_simulator()),
    ]
}

/// Positive control of every console check: an empty log proves nothing
/// unless a logged marker can be found in it.
async fn console_log_capture_finds_a_marker(browser: &Browser) -> Result<String> {
    browser.eval("console.error('tickerboard-e2e-marker'); return true;").await?;
    let log = browser.console_log().await?;
    ensure!(
        log.iter().any(|(level, message)| level == "SEVERE" && message.contains("tickerboard-e2e-marker")),
        "the marker is not in the captured log: {log:?}"
    );
    Ok(format!("{} entries captured", log.len()))
}

async fn five_rows_fill_with_prices(browser: &Browser, url: &str) -> Result<String> {
    let r = load_dashboard(browser, url, FIRST_REFRESH).await?;
    Ok(format!("prices {:?}, all in after {:.2} s", r.prices, r.filled_after.as_secs_f64()))
}

/// The first refresh took about one quote's latency, not the sum of five.
async fn timing_line_shows_concurrent_against_sequential(browser: &Browser, url: &str) -> Result<String> {
    let DashboardReading { wall, sum, .. } = load_dashboard(browser, url, FIRST_REFRESH).await?;
    ensure!(
        wall >= 1.0 && sum >= 4.5 && wall < sum / 2.0,
        "expected wall >= 1 s, sum >= 4.5 s, wall < sum / 2; got wall {wall} s, sum {sum} s"
    );
    Ok(format!("wall {wall:.2} s against a sum of {sum:.2} s"))
}

/// A whole first refresh logs no SEVERE entry at all.
async fn console_has_no_severe_entries(browser: &Browser, url: &str) -> Result<String> {
    load_dashboard(browser, url, FIRST_REFRESH).await?;
    let log = browser.console_log().await?;
    let severe: Vec<_> = log.iter().filter(|(level, _)| level == "SEVERE").collect();
    ensure!(severe.is_empty(), "SEVERE console entries: {severe:?}");
    Ok(format!("{} entries, none SEVERE", log.len()))
}

async fn screenshot_is_saved(browser: &Browser, url: &str) -> Result<String> {
    load_dashboard(browser, url, FIRST_REFRESH).await?;
    let png = browser.client.screenshot().await.context("taking a screenshot")?;
    ensure!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "not a real screenshot ({} bytes)", png.len());
    let path = screenshot_path();
    std::fs::write(&path, &png)?;
    Ok(format!("{} ({} KB)", path.display(), png.len() / 1024))
}

/// The wasm bundle holds the API's types and rules, not the simulated market:
/// no company names from the universe. Positive control: the server has them.
fn the_bundle_carries_no_simulator() -> Result<String> {
    let dist = super::app::dist();
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
    let server = std::fs::read(crate::process::build_api_server()?)?;
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
