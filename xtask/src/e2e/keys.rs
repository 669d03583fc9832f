//! Key hygiene end to end (issue 8): against a server that takes only a
//! distinctive key, the key typed into Settings travels only in the
//! `Authorization` header — never in a URL the page loaded, the page's HTML,
//! a cookie, `localStorage` (unless remembered), the console, or the server's
//! log. Each absence has its positive control: the default key is refused
//! (the server checks), the API requests are in the page's resource list,
//! the key is in `sessionStorage`, a console marker is found, and the
//! server's log has the requests.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use super::{
    AppUnderTest, E2eTrial,
    page::{ALL_PRICED, click, store_watchlist, type_into, wait_for},
};
use crate::{paths, webdriver::Browser};

/// The only key the server of these checks takes.
const SECRET: &str = "tb-e2e-KEYCHECK-5f3a9c";
const LOG: &str = "keys-api.log";

/// The key trials, each against its own server (which takes only [`SECRET`]).
pub fn trials() -> Vec<E2eTrial> {
    vec![
        E2eTrial::new("the_api_key_travels_only_in_the_authorization_header", |lane| {
            lane.run(async {
                let app = AppUnderTest::serve(&["--api-key", SECRET], LOG)?;
                only_in_the_header(&lane.browser, &app.url).await
            })
        }),
        E2eTrial::new("the_api_key_is_kept_for_the_session_unless_remembered", |lane| {
            lane.run(async {
                let app = AppUnderTest::serve(&["--api-key", SECRET], "keys-remembered-api.log")?;
                remembered_only_on_request(&lane.browser, &app.url).await
            })
        }),
    ]
}

/// Where the page shows the key, if anywhere, and how many API requests it made.
async fn traces(browser: &Browser) -> Result<Value> {
    let script = "const secret = arguments[0];
        const urls = performance.getEntriesByType('resource').map(e => e.name).concat([location.href, document.referrer]);
        const stored = s => Object.keys(s).filter(k => k.includes(secret) || (s.getItem(k) || '').includes(secret));
        return { api: urls.filter(u => u.includes('/api/v1/')).length, urls: urls.filter(u => u.includes(secret)),
                 local: stored(localStorage), session: stored(sessionStorage),
                 html: document.documentElement.outerHTML.includes(secret), cookie: document.cookie.includes(secret) };";
    browser.client.execute(script, vec![json!(SECRET)]).await.context("reading the page's traces of the key")
}

/// Saves `key` in Settings (remembered or not).
async fn save_key(browser: &Browser, url: &str, key: &str, remember: bool) -> Result<()> {
    browser.client.goto(&format!("{url}settings")).await?;
    type_into(browser, "[data-testid=api-key]", key).await?;
    let checked = browser.eval("return document.querySelector('[data-testid=remember-key]').checked;").await?;
    if checked != json!(remember) {
        click(browser, "[data-testid=remember-key]").await?;
    }
    click(browser, "[data-testid=save-settings]").await?;
    let saved = "(document.querySelector('[data-testid=settings-message]')?.textContent ?? '').startsWith('Saved')";
    wait_for(browser, "the settings to be saved", saved, Duration::from_secs(5)).await?;
    Ok(())
}

async fn only_in_the_header(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(&format!("{url}settings")).await?;
    browser.eval("localStorage.clear(); sessionStorage.clear(); return true;").await?;
    store_watchlist(browser, &["AAPL", "MSFT", "NVDA"]).await?;
    // Control: the default key is refused, so a priced row proves the key was sent.
    browser.client.goto(url).await?;
    let refused =
        "(document.querySelector('[data-testid=quote-row]')?.textContent ?? '').includes('the API key was refused')";
    wait_for(browser, "the default key to be refused", refused, Duration::from_secs(15)).await?;
    save_key(browser, url, SECRET, false).await?;
    browser.console_log().await?;
    let mut requests = 0;
    for page in ["", "t/AAPL", "portfolio"] {
        browser.client.goto(&format!("{url}{page}")).await?;
        match page {
            "" => wait_for(browser, "prices with the key", ALL_PRICED, Duration::from_secs(15)).await?,
            "t/AAPL" => {
                let chart = "document.querySelector('[data-testid=price-line]')";
                wait_for(browser, "the chart with the key", chart, Duration::from_secs(15)).await?
            }
            _ => {
                let total = "/[0-9]/.test(document.querySelector('[data-testid=total-value]')?.textContent ?? '')";
                wait_for(browser, "the portfolio with the key", total, Duration::from_secs(15)).await?
            }
        };
        let seen = traces(browser).await?;
        ensure!(seen["api"].as_u64().unwrap_or(0) > 0, "/{page}: no API request in the page's resource list: {seen}");
        ensure!(seen["urls"] == json!([]), "/{page}: the key is in a URL: {seen}");
        ensure!(seen["local"] == json!([]), "/{page}: the key is in localStorage: {seen}");
        ensure!(seen["session"] != json!([]), "/{page}: the key is not in sessionStorage (control): {seen}");
        ensure!(
            seen["html"] == json!(false) && seen["cookie"] == json!(false),
            "/{page}: the key is in the page: {seen}"
        );
        requests += seen["api"].as_u64().unwrap_or(0);
    }
    browser.eval("console.info('tickerboard-keys-marker'); return true;").await?;
    let log = browser.console_log().await?;
    ensure!(log.iter().any(|(_, m)| m.contains("tickerboard-keys-marker")), "the console marker is missing: {log:?}");
    let leaked: Vec<_> = log.iter().filter(|(_, m)| m.contains(SECRET)).collect();
    ensure!(leaked.is_empty(), "the key is in the console: {leaked:?}");
    let server_log = std::fs::read_to_string(paths::target().join("e2e").join(LOG))?;
    ensure!(server_log.contains("/api/v1/quotes/AAPL"), "the server's log lacks the requests (control)");
    ensure!(!server_log.contains(SECRET), "the key is in the server's log");
    Ok(format!(
        "{requests} API requests on 3 pages and {} console entries, {} bytes of server log: the key in none; \
         in sessionStorage only",
        log.len(),
        server_log.len()
    ))
}

async fn remembered_only_on_request(browser: &Browser, url: &str) -> Result<String> {
    let stored = "return { local: localStorage.getItem('tickerboard.api_key'), session: sessionStorage.getItem('tickerboard.api_key') };";
    save_key(browser, url, SECRET, true).await?;
    let remembered = browser.eval(stored).await?;
    ensure!(remembered == json!({ "local": SECRET, "session": null }), "remembered: {remembered}");
    save_key(browser, url, SECRET, false).await?;
    let forgotten = browser.eval(stored).await?;
    ensure!(forgotten == json!({ "local": null, "session": SECRET }), "not remembered: {forgotten}");
    Ok("remembered: localStorage only; not remembered: sessionStorage only".to_owned())
}
