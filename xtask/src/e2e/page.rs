//! What trials do to a page: find, click, type and wait; the API and the
//! store from the page; and the readings several areas share (the
//! dashboard's first refresh, a plain-JS fan-out). Modelled on leptos'
//! e2e fixtures (`find`, `action`, `check`).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use fantoccini::{Locator, elements::Element};
use serde_json::{Value, json};

use crate::webdriver::Browser;

/// Polls `expression` (JavaScript) until it is truthy; returns its value.
pub async fn wait_for(browser: &Browser, what: &str, expression: &str, limit: Duration) -> Result<Value> {
    let start = Instant::now();
    loop {
        let value = browser.eval(&format!("return ({expression});")).await?;
        let truthy = !matches!(&value, Value::Null | Value::Bool(false))
            && value.as_str() != Some("")
            && value.as_u64() != Some(0);
        if truthy {
            return Ok(value);
        }
        if start.elapsed() > limit {
            bail!("timed out after {limit:?} waiting for {what} ({expression} is {value})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How long an element may take to appear: a page the browser reports as
/// loaded may still be instantiating its wasm, so the app's elements come
/// a little later (on a busy machine, later still).
const APPEAR_WITHIN: Duration = Duration::from_secs(15);

/// The element `css` selects, once the page has drawn it.
pub async fn find(browser: &Browser, css: &str) -> Result<Element> {
    match browser.client.wait().at_most(APPEAR_WITHIN).for_element(Locator::Css(css)).await {
        Ok(element) => Ok(element),
        Err(err) => {
            // Say what the page showed instead, so a failure explains itself.
            let shown = "return location.pathname + ': ' + (document.body?.innerText ?? '').slice(0, 300);";
            let page = browser.eval(shown).await.map_or_else(|e| format!("unreadable ({e})"), |v| v.to_string());
            bail!("finding {css}: not there after {APPEAR_WITHIN:?} ({err}); the page showed {page}")
        }
    }
}

/// Clicks the element `css` selects, once drawn.
pub async fn click(browser: &Browser, css: &str) -> Result<()> {
    let element = find(browser, css).await?;
    element.click().await.with_context(|| format!("clicking {css}"))
}

/// Replaces the text of the field `css` selects with `text`.
pub async fn type_into(browser: &Browser, css: &str, text: &str) -> Result<()> {
    let element = find(browser, css).await?;
    element.clear().await?;
    element.send_keys(text).await.with_context(|| format!("typing into {css}"))
}

/// The symbols of the quote rows, in order.
pub const ROW_SYMBOLS: &str =
    "Array.from(document.querySelectorAll('[data-testid=quote-row]')).map(r => r.dataset.symbol).join(',')";

/// Every row has a price.
pub const ALL_PRICED: &str = "(() => { const p = Array.from(document.querySelectorAll('[data-testid=price]'));
    return p.length > 0 && p.every(e => /^[0-9.,]+$/.test(e.textContent.trim())); })()";

/// Sends `method` to the API from the page (with the demo key); the status.
pub async fn api(browser: &Browser, method: &str, path: &str) -> Result<u64> {
    let script = "const [method, path, done] = arguments;
        fetch(path, { method, headers: { Authorization: 'Bearer demo' } }).then(r => done(r.status), () => done(0));";
    let status = browser.eval_async(script, vec![json!(method), json!(path)]).await?;
    status.as_u64().context("no status")
}

/// Saves `symbols` as the watchlist the app loads next (the store's
/// current schema), from the page.
pub async fn store_watchlist(browser: &Browser, symbols: &[&str]) -> Result<()> {
    let store = json!({ "version": 2, "symbols": symbols }).to_string();
    browser
        .eval_async(
            "const [store, done] = arguments; localStorage.setItem('tickerboard.watchlist', store); done(true);",
            vec![json!(store)],
        )
        .await?;
    Ok(())
}

/// The API server's `_stats`, read from the page (with the demo key).
pub async fn server_stats(browser: &Browser) -> Result<Value> {
    let script = "const done = arguments[0];
        fetch('/api/v1/_stats', { headers: { Authorization: 'Bearer demo' } }).then(r => r.json()).then(done, () => done(null));";
    let stats = browser.eval_async(script, vec![]).await?;
    ensure!(stats.is_object(), "could not read the server's _stats: {stats}");
    Ok(stats)
}

/// Opens `url` with an empty `localStorage` and waits for the rows' prices.
pub async fn fresh_start(browser: &Browser, url: &str) -> Result<()> {
    browser.client.goto(url).await?;
    browser.eval("localStorage.clear(); sessionStorage.clear(); return true;").await?;
    browser.client.goto(url).await?;
    wait_for(browser, "prices in every row", ALL_PRICED, Duration::from_secs(15)).await?;
    Ok(())
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
