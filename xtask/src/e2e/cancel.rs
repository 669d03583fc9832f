//! Cancellation end to end (issue 8), against the seed profile (quotes 1 s,
//! history 1.5 s, portfolio 0.5 s): what is left behind is aborted, on the
//! server's own count.

use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};

use super::trial::on_page;
use super::{
    E2eTrial,
    page::{click, server_stats, wait_for},
};
use crate::webdriver::Browser;

fn count(stats: &serde_json::Value, key: &str) -> u64 {
    stats[key].as_u64().unwrap_or(0)
}

/// Waits until the server is answering nothing but the `_stats` request
/// itself; returns the aborted count then.
async fn settled(browser: &Browser, limit: Duration) -> Result<u64> {
    let start = Instant::now();
    loop {
        let stats = server_stats(browser).await?;
        if count(&stats, "in_flight") <= 1 {
            return Ok(count(&stats, "aborted"));
        }
        if start.elapsed() > limit {
            bail!("the server still has {} requests in flight after {limit:?}", count(&stats, "in_flight"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Leaving the ticker view while its history, quote and portfolio load
/// aborts all three; the watchlist that follows shows only its own data.
async fn leaving_a_ticker_view_aborts_its_fetches(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(&format!("{url}settings")).await?;
    let before = settled(browser, Duration::from_secs(5)).await?;
    browser.client.goto(&format!("{url}t/MSFT")).await?;
    wait_for(browser, "the ticker view", "document.querySelector('[data-testid=ticker]')", Duration::from_secs(10))
        .await?;
    // Quote (1 s) and history (1.5 s) are surely in flight; the portfolio
    // (0.5 s) may have landed. Whatever is in flight when we leave is aborted.
    let in_flight = count(&server_stats(browser).await?, "in_flight").saturating_sub(1);
    click(browser, "nav a[href='/settings']").await?;
    let aborted = settled(browser, Duration::from_secs(3)).await? - before;
    ensure!(
        in_flight >= 2 && aborted >= in_flight,
        "leaving the ticker view with {in_flight} of its loads in flight aborted {aborted} on the server"
    );
    let late = browser.eval("return document.querySelector('[data-testid=ticker]') !== null;").await?;
    ensure!(late == false, "the ticker view is still on the page");
    Ok(format!("{in_flight} in flight when leaving, {aborted} aborted on the server"))
}

/// Closing a tab in the middle of a refresh leaves nothing pending on the
/// server: every request it had in flight is aborted.
async fn closing_the_tab_mid_refresh_leaves_nothing_pending(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(&format!("{url}settings")).await?;
    let before = settled(browser, Duration::from_secs(5)).await?;
    let home = browser.client.window().await?;
    let tab = browser.client.new_window(true).await?;
    browser.client.switch_to_window(tab.handle).await?;
    browser.client.goto(url).await?;
    wait_for(
        browser,
        "a refresh in flight",
        "document.querySelector('[data-testid=progress]:not([hidden])')",
        Duration::from_secs(10),
    )
    .await?;
    browser.client.close_window().await?;
    browser.client.switch_to_window(home).await?;
    let aborted = settled(browser, Duration::from_secs(3)).await? - before;
    ensure!(aborted >= 1, "closing the tab aborted nothing on the server");
    Ok(format!("{aborted} requests aborted; nothing in flight"))
}

/// The cancellation trials.
pub fn trials() -> Vec<E2eTrial> {
    vec![
        on_page!("leaving_a_ticker_view_aborts_its_fetches", leaving_a_ticker_view_aborts_its_fetches),
        on_page!(
            "closing_the_tab_mid_refresh_leaves_nothing_pending",
            closing_the_tab_mid_refresh_leaves_nothing_pending
        ),
    ]
}
