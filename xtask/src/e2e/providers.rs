//! Real market data, end to end (issue 9), without internet: the API server
//! emulates Twelve Data and Alpaca (`/emulate/…`, in their own formats, with
//! their budgets and a 5 s "minute"), and the dashboard runs against it in
//! headless Chromium —
//! - **direct**: the browser calls the emulated Twelve Data with the user's
//!   key; a 20-symbol watchlist goes in batches of at most 8, no emulated
//!   minute is asked for more than 8 credits (the emulator's own counters),
//!   the rows past the budget say when their turn comes, and all 20 fill
//!   within three emulated minutes; the chart loads; an unreachable provider
//!   is explained (CORS or down) with the server mode as the fix;
//! - **through the server**: `--provider twelvedata` and `--provider alpaca`
//!   against the emulator; the app, unchanged, shows quotes and a chart, and
//!   the emulator counts the server's calls.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use super::{
    AppUnderTest, E2eTrial,
    page::{ALL_PRICED, store_watchlist, wait_for},
};
use crate::webdriver::Browser;

/// The emulator's key (and Alpaca key id) and secret: its defaults.
const KEY: &str = "emulator-key";
const SECRET: &str = "emulator-secret";
/// The emulated minute.
pub const MINUTE_MS: u64 = 5_000;
/// Twenty symbols: the five held ones and fifteen more.
const TWENTY: [&str; 20] = [
    "AAPL", "GOOG", "MSFT", "AMZN", "TSLA", "NVDA", "META", "JPM", "V", "XOM", "JNJ", "WMT", "KO", "PG", "HD", "BAC",
    "DIS", "NFLX", "INTC", "CSCO",
];
pub const HELD: [&str; 5] = ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA"];

/// The provider trials, each against its own emulator.
pub fn trials() -> Vec<E2eTrial> {
    let mut trials = vec![
        E2eTrial::new("providers_twelve_data_direct_twenty_symbols_within_the_budget", |lane| {
            lane.run(async {
                let emulator = emulator("providers-twenty.log")?;
                twenty_symbols_within_twelve_datas_budget(&lane.browser, &emulator.url).await
            })
        }),
        E2eTrial::new("providers_twelve_data_direct_chart", |lane| {
            lane.run(async {
                let emulator = emulator("providers-chart.log")?;
                let provider = format!("{}emulate/twelvedata", emulator.url);
                use_twelve_data_direct(&lane.browser, &emulator.url, &provider, &HELD, None).await?;
                chart(&lane.browser, &emulator.url, "AAPL").await
            })
        }),
        E2eTrial::new("providers_twelve_data_direct_unreachable_is_explained", |lane| {
            lane.run(async {
                let emulator = emulator("providers-unreachable.log")?;
                unreachable(&lane.browser, &emulator.url).await
            })
        }),
    ];
    trials.extend(super::day_budget::trials());
    for (provider, base, env) in [
        ("twelvedata", "emulate/twelvedata", vec![("TWELVEDATA_API_KEY", KEY)]),
        ("alpaca", "emulate/alpaca", vec![("APCA_API_KEY_ID", KEY), ("APCA_API_SECRET_KEY", SECRET)]),
    ] {
        trials.push(E2eTrial::new(format!("providers_{provider}_through_the_server"), move |lane| {
            lane.run(async {
                let emulator = emulator(&format!("providers-{provider}-emulator.log"))?;
                through_the_server(&lane.browser, &emulator.url, provider, base, &env).await
            })
        }));
    }
    trials
}

/// An emulator of the providers (and the app) with a 5 s minute, logging to `target/e2e/{log}`.
pub fn emulator(log: &str) -> Result<AppUnderTest> {
    AppUnderTest::serve(&["--emulate-minute-ms", &MINUTE_MS.to_string()], log)
}

/// The emulator's counters (`GET /emulate/_stats`), read from the page.
pub async fn emulator_stats(browser: &Browser, origin: &str, method: &str) -> Result<Value> {
    let script = "const [url, method, done] = arguments;
        fetch(url, { method }).then(r => method === 'GET' ? r.json() : r.status).then(done, e => done(String(e)));";
    let stats = browser.eval_async(script, vec![json!(format!("{origin}emulate/_stats")), json!(method)]).await?;
    Ok(stats)
}

/// Direct Twelve Data: settings (the free plan, or `per_day` credits a
/// day), key (for the session only) and watchlist; the day's count starts
/// from nothing. Written from a JSON page of the same origin, where no app
/// runs that could still write its own state (a retrying request of the
/// last check's page spends day credits).
pub async fn use_twelve_data_direct(
    browser: &Browser,
    url: &str,
    provider_url: &str,
    symbols: &[&str],
    per_day: Option<u32>,
) -> Result<()> {
    browser.client.goto(&format!("{url}emulate/_stats")).await?;
    let settings = json!({
        "api_base_url": "", "remember_key": false, "concurrency": 16, "timeout_ms": 5000, "retries": 2,
        "auto_refresh": "Off", "source": "twelvedata", "provider_url": provider_url, "provider_minute_ms": MINUTE_MS,
        "provider_per_day": per_day.unwrap_or(800),
    });
    browser
        .eval_async(
            "const [settings, key, done] = arguments; localStorage.clear(); sessionStorage.clear();
             localStorage.setItem('tickerboard.settings', settings);
             sessionStorage.setItem('tickerboard.provider_key', key); done(true);",
            vec![json!(settings.to_string()), json!(KEY)],
        )
        .await?;
    store_watchlist(browser, symbols).await
}

/// How many rows have a price.
const PRICED_ROWS: &str = "Array.from(document.querySelectorAll('[data-testid=price]')).filter(p => /^[0-9.,]+$/.test(p.textContent.trim())).length";

async fn twenty_symbols_within_twelve_datas_budget(browser: &Browser, url: &str) -> Result<String> {
    use_twelve_data_direct(browser, url, &format!("{url}emulate/twelvedata"), &TWENTY, None).await?;
    // A fresh emulated minute and fresh counters.
    tokio::time::sleep(Duration::from_millis(MINUTE_MS)).await;
    emulator_stats(browser, url, "DELETE").await?;
    let started = Instant::now();
    browser.client.goto(url).await?;
    // The rows past the budget say when their turn comes.
    let waiting = "Array.from(document.querySelectorAll('[data-testid=status]')).map(s => s.textContent)
        .find(t => /rate limited by Twelve Data's budget — next try at [0-9]{2}:[0-9]{2}:[0-9]{2}/.test(t)) ?? ''";
    let said =
        wait_for(browser, "a row waiting for the budget", &format!("({waiting}) || false"), Duration::from_secs(10))
            .await?;
    let waiting_rows = browser
        .eval("return Array.from(document.querySelectorAll('[data-testid=status]')).filter(s => /next try at/.test(s.textContent)).length;")
        .await?;
    let budget = "document.querySelector('[data-testid=budget]')?.textContent ?? ''";
    let spent = format!(
        "/^Twelve Data budget: [0-7] of 8 credits left this minute; [0-9]+ of 800 left today$/.test({budget}) && ({budget})"
    );
    let budget = wait_for(browser, "the budget line to show credits spent", &spent, Duration::from_secs(3)).await?;
    // All twenty within three emulated minutes.
    let three_minutes = Duration::from_millis(3 * MINUTE_MS);
    wait_for(browser, "all twenty prices", &format!("{PRICED_ROWS} == 20"), three_minutes + Duration::from_secs(2))
        .await?;
    let filled = started.elapsed();
    ensure!(filled <= three_minutes + Duration::from_secs(1), "all twenty filled after {filled:?}");
    let stats = emulator_stats(browser, url, "GET").await?;
    let td = &stats["twelvedata"];
    let most = td["max_credits_asked_in_a_window"].as_u64().context("the emulator's counters")?;
    let asked: u64 = td["windows"].as_array().map_or(0, |w| w.iter().filter_map(|w| w["credits_asked"].as_u64()).sum());
    let requests = td["requests"].as_u64().unwrap_or(0);
    ensure!(most <= 8, "an emulated minute was asked for {most} credits: {td}");
    ensure!(td["refused"] == json!(0), "the emulator refused requests: {td}");
    ensure!(asked >= 20 && requests >= 3, "20 symbols cost {asked} credits in {requests} calls: {td}");
    Ok(format!(
        "20 prices in {:.1} s (three emulated minutes: {} s); {requests} calls, {asked} credits, at most {most} in an \
         emulated minute, none refused; {waiting_rows} rows waited, e.g. {:?}; {budget}",
        filled.as_secs_f64(),
        3 * MINUTE_MS / 1000,
        said.as_str().unwrap_or_default().trim(),
    ))
}

/// The ticker view's chart (quote and history from the data source in use).
async fn chart(browser: &Browser, url: &str, symbol: &str) -> Result<String> {
    browser.client.goto(&format!("{url}t/{symbol}")).await?;
    let line = "document.querySelector('[data-testid=price-line]')";
    wait_for(browser, "the chart", line, Duration::from_secs(20)).await?;
    let price = "/[0-9]/.test(document.querySelector('[data-testid=detail-price]')?.textContent ?? '')";
    wait_for(browser, "the quote", price, Duration::from_secs(10)).await?;
    // The key travelled in a header: no URL the page loaded carries it.
    let leaked = browser
        .eval_async(
            "const [key, done] = arguments; done(performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes(key)));",
            vec![json!(KEY)],
        )
        .await?;
    ensure!(leaked == json!([]), "the key is in a URL: {leaked}");
    Ok(format!("{symbol}: chart and quote drawn"))
}

/// A provider that never answers (a closed port): the row says why it may
/// be and names the server mode.
async fn unreachable(browser: &Browser, url: &str) -> Result<String> {
    use_twelve_data_direct(browser, url, "http://127.0.0.1:9", &["AAPL"], None).await?;
    browser.client.goto(url).await?;
    let row = "document.querySelector('[data-testid=quote-row][data-symbol=AAPL]')?.textContent ?? ''";
    let text = "could not reach Twelve Data";
    let said = wait_for(
        browser,
        "the row's explanation",
        &format!("({row}).includes('{text}') && ({row})"),
        Duration::from_secs(20),
    )
    .await?;
    let said = said.as_str().unwrap_or_default();
    ensure!(said.contains("CORS") && said.contains("cargo xtask serve --provider twelvedata"), "{said}");
    Ok(said.trim().to_owned())
}

/// The server in provider mode against the emulator: the app, with its
/// default settings, shows quotes and a chart.
async fn through_the_server(
    browser: &Browser,
    emulator: &str,
    provider: &str,
    base: &str,
    env: &[(&str, &str)],
) -> Result<String> {
    let provider_url = format!("{emulator}{base}");
    let minute = MINUTE_MS.to_string();
    let args = ["--provider", provider, "--provider-url", &provider_url, "--provider-minute-ms", &minute];
    let server = AppUnderTest::serve_with_env(&args, env, &format!("providers-{provider}.log"))?;
    let before = emulator_stats(browser, emulator, "GET").await.ok();
    browser.client.goto(&format!("{}settings", server.url)).await?;
    browser.eval("localStorage.clear(); sessionStorage.clear(); return true;").await?;
    store_watchlist(browser, &HELD).await?;
    browser.client.goto(&server.url).await?;
    wait_for(browser, "five prices through the server", ALL_PRICED, Duration::from_secs(20)).await?;
    chart(browser, &server.url, "MSFT").await?;
    let after = emulator_stats(browser, emulator, "GET").await?;
    let calls = |stats: Option<&Value>| stats.and_then(|s| s[provider]["requests"].as_u64()).unwrap_or(0);
    let made = calls(Some(&after)) - calls(before.as_ref());
    ensure!(made >= 2, "the emulator saw {made} calls from the server");
    Ok(format!("{provider}: five prices and a chart through the server, {made} calls to the emulated provider"))
}
