//! Moving between views, end to end: the app's links, the navigation bar and
//! the browser's back and forward buttons change the view without reloading
//! the page (`src/route.rs`), and the bar marks the view shown.

use std::time::Duration;

use anyhow::{Result, ensure};
use serde_json::{Value, json};

use super::trial::on_page;
use super::{
    E2eTrial,
    page::{ALL_PRICED, click, find, wait_for},
};
use crate::webdriver::Browser;

/// The route's trial.
pub fn trials() -> Vec<E2eTrial> {
    vec![on_page!("links_and_back_and_forward_change_the_view_without_a_reload", back_and_forward)]
}

/// Where the page is: its path, the view on screen, and the bar's current link.
const WHERE: &str = "({ path: location.pathname,
    view: document.querySelector('[data-testid=ticker]') ? 'ticker'
        : document.querySelector('[data-testid=quotes]') ? 'watchlist'
        : document.querySelector('[data-testid=portfolio]') ? 'portfolio' : 'other',
    current: Array.from(document.querySelectorAll('nav a[aria-current=page]')).map(a => a.getAttribute('href')).join(','),
    same_page: window.__tickerboardPage === 1 })";

async fn back_and_forward(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(url).await?;
    wait_for(browser, "five prices", ALL_PRICED, Duration::from_secs(20)).await?;
    // Survives any number of views, unless the page is loaded again.
    browser.eval("window.__tickerboardPage = 1; return true;").await?;
    let mut seen = vec![at(browser, "/", "watchlist", "/").await?];
    click(browser, "[data-testid=quote-row] th a").await?;
    find(browser, "[data-testid=ticker]").await?;
    let ticker = browser.eval("return location.pathname;").await?;
    let ticker = ticker.as_str().unwrap_or_default().to_owned();
    ensure!(ticker.starts_with("/t/"), "the row's link went to {ticker:?}");
    seen.push(at(browser, &ticker, "ticker", "").await?);
    click(browser, "nav a[href='/portfolio']").await?;
    seen.push(at(browser, "/portfolio", "portfolio", "/portfolio").await?);
    browser.eval("history.back(); return true;").await?;
    seen.push(at(browser, &ticker, "ticker", "").await?);
    browser.eval("history.back(); return true;").await?;
    seen.push(at(browser, "/", "watchlist", "/").await?);
    browser.eval("history.forward(); return true;").await?;
    seen.push(at(browser, &ticker, "ticker", "").await?);
    // The positive control: a reload is seen as one.
    browser.client.refresh().await?;
    find(browser, "[data-testid=ticker]").await?;
    let reloaded = browser.eval(&format!("return {WHERE};")).await?;
    ensure!(reloaded["same_page"] == json!(false), "a reload went unnoticed: {reloaded}");
    Ok(format!("one page through {}; a reload is a new page", seen.join(" → ")))
}

/// Waits until the page shows `view` at `path` with `current` marked in the
/// bar, in the page first loaded; what it shows, in short.
async fn at(browser: &Browser, path: &str, view: &str, current: &str) -> Result<String> {
    let (path_js, view_js, current_js) =
        (serde_json::to_string(path)?, serde_json::to_string(view)?, serde_json::to_string(current)?);
    let check = format!(
        "(w => w.path === {path_js} && w.view === {view_js} && w.current === {current_js} && w.same_page)({WHERE})"
    );
    if let Err(err) = wait_for(browser, &format!("{view} at {path}"), &check, Duration::from_secs(10)).await {
        let now: Value = browser.eval(&format!("return {WHERE};")).await.unwrap_or_default();
        anyhow::bail!("{err}; the page is {now}");
    }
    Ok(format!("{view} {path}"))
}
