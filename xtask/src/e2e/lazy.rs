//! Views loaded on first use, end to end: the first screen does not fetch
//! them, each arrives when its route is first shown (by a link or by its
//! URL), and one whose chunk cannot be fetched says so with a Retry that
//! works once the network is back.

use std::time::Duration;

use anyhow::{Result, ensure};
use serde_json::json;

use super::trial::on_page;
use super::{
    E2eTrial,
    page::{ALL_PRICED, click, find, wait_for},
};
use crate::{cdp, webdriver::Browser};

/// The chunks the page has fetched so far (Resource Timing), by file name.
const CHUNKS_FETCHED: &str = "performance.getEntriesByType('resource').map(e => e.name.split('/').pop())
    .filter(n => n.endsWith('.wasm') && !n.startsWith('tickerboard_bg')).sort().join(',')";

/// The lazy views' trials.
pub fn trials() -> Vec<E2eTrial> {
    vec![
        on_page!("lazy_views_load_on_first_use_only", first_use),
        E2eTrial::new("a_lazy_view_that_cannot_load_says_so_and_retries", |lane| {
            lane.run(async {
                let failed = failed_load(&lane.browser, &lane.url).await;
                // Whatever happened, the next trial on this browser gets its network back.
                unblock(&lane.browser).await.and(failed)
            })
        }),
    ]
}

async fn first_use(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(url).await?;
    find(browser, "[data-testid=price]").await?;
    wait_for(browser, "five prices", ALL_PRICED, Duration::from_secs(20)).await?;
    let on_first_screen = browser.eval(&format!("return {CHUNKS_FETCHED};")).await?;
    ensure!(on_first_screen == json!(""), "the watchlist fetched view chunks: {on_first_screen}");
    click(browser, "nav a[href='/lab']").await?;
    find(browser, "[data-testid=lab-run]").await?;
    let after_lab = browser.eval(&format!("return {CHUNKS_FETCHED};")).await?;
    let after_lab = after_lab.as_str().unwrap_or_default().to_owned();
    ensure!(after_lab.contains("split_lab"), "the lab's chunk was not fetched when the lab opened: {after_lab:?}");
    ensure!(!after_lab.contains("split_settings"), "opening the lab fetched the settings' chunk: {after_lab:?}");
    // Reached by its URL, a lazy view loads too.
    browser.client.goto(&format!("{url}settings")).await?;
    find(browser, "[data-testid=settings-form]").await?;
    Ok(format!("the watchlist fetched no chunk; the lab fetched {after_lab}; /settings by URL drew its form"))
}

async fn failed_load(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(url).await?;
    find(browser, "[data-testid=price]").await?;
    wait_for(browser, "five prices", ALL_PRICED, Duration::from_secs(20)).await?;
    cdp::execute(&browser.client, "Network.enable", json!({})).await?;
    cdp::execute(&browser.client, "Network.setBlockedURLs", json!({ "urls": ["*split_requests*"] })).await?;
    click(browser, "nav a[href='/requests']").await?;
    let failed = find(browser, "[data-testid=view-failed]").await?;
    let sentence = failed.text().await?;
    ensure!(
        sentence.contains("could not load the requests view") && sentence.contains("Retry"),
        "the failed view says {sentence:?}"
    );
    let header = browser.eval("return document.querySelectorAll('nav a').length;").await?;
    ensure!(header.as_u64() >= Some(5), "the page lost its navigation when the view failed: {header}");
    unblock(browser).await?;
    click(browser, "[data-testid=view-retry]").await?;
    find(browser, "[data-testid=waterfall]").await?;
    Ok(format!("blocked: {sentence:?}; after Retry the waterfall is drawn"))
}

async fn unblock(browser: &Browser) -> Result<()> {
    cdp::execute(&browser.client, "Network.setBlockedURLs", json!({ "urls": [] })).await?;
    Ok(())
}
