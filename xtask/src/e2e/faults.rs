//! The fault matrix end to end (issue 8): every fault the server can inject,
//! on every endpoint the dashboard reads, tripped while it runs
//! (`PUT /api/v1/_faults/{endpoint}/{kind}`), against the release build in
//! headless Chromium (seed profile). For each cell: the row or panel the
//! fault belongs to says what happened in its own words, the others carry
//! on, Retry (or the automatic re-fetch) recovers once the fault is lifted,
//! and after a reload the watchlist is intact. The matrix is printed and
//! saved to `target/e2e/fault-matrix.md`; no console entry but the browser's
//! own network lines is allowed in any cell.

use std::{
    sync::{Mutex, PoisonError},
    time::Duration,
};

use anyhow::{Context, Result, ensure};
use serde_json::json;

use super::{
    Console, E2eTrial,
    page::{self, click, store_watchlist, wait_for},
};
use crate::{paths, webdriver::Browser};

/// The faults of the matrix: the server's kinds (transport, then bad data),
/// then a refused connection.
const FAULTS: [&str; 16] = [
    "hang",
    "500",
    "503",
    "429",
    "malformed",
    "wrong-shape",
    "drip",
    "drop",
    "401",
    "nan",
    "infinity",
    "negative",
    "no-price",
    "extra-fields",
    "huge",
    "refused",
];
/// The endpoints the dashboard reads.
const ENDPOINTS: [&str; 4] = ["quote", "batch", "history", "portfolio"];
/// The symbol a quote or batch fault is tripped on: not held, so the
/// portfolio's total never depends on it.
const VICTIM: &str = "NVDA";
/// The symbol that shares the victim's batch call.
const PARTNER: &str = "META";
/// The ticker view whose history fails: a held symbol (the position shows).
const HELD: &str = "MSFT";
/// Five symbols, one request each.
const FIVE: [&str; 5] = ["AAPL", "MSFT", "GOOGL", "AMZN", "NVDA"];
/// Twelve symbols: the refresh asks in six batch calls of two (NVDA with META).
const BATCHED: [&str; 12] = ["NVDA", "META", "AAPL", "MSFT", "GOOGL", "AMZN", "JPM", "V", "XOM", "JNJ", "WMT", "KO"];

/// What the app must say for `fault` (`None`: it arrives, slowly or with
/// fields it does not know).
fn expected(fault: &str) -> Option<&'static str> {
    Some(match fault {
        "hang" => "no answer in time",
        "500" => "server unavailable (500)",
        "503" => "server unavailable (503)",
        "429" => "rate limited by the server",
        "malformed" | "wrong-shape" | "nan" | "infinity" | "no-price" => "the server sent data we could not read",
        "negative" => "the server sent an impossible value",
        "huge" => "the server's answer is too large",
        "drop" => "the connection broke while the answer was arriving",
        "401" => "the API key was refused",
        "refused" => "could not reach the market API",
        _ => return None,
    })
}

/// Faults the refresh re-fetches symbol by symbol when a batch call fails.
fn refetched_after_a_batch(fault: &str) -> bool {
    matches!(fault, "500" | "503" | "429" | "drop")
}

/// The rows a fault on the victim's batch call fails: a bad value in the
/// victim's own entry costs only its row (the batch is read entry by entry);
/// a body that is not JSON, or too large, costs the whole call.
fn batch_victims(fault: &str) -> &'static [&'static str] {
    match fault {
        "negative" | "no-price" => &[VICTIM],
        _ => &[VICTIM, PARTNER],
    }
}

/// Trips or lifts a fault: `_faults` answers 204.
async fn api(browser: &Browser, method: &str, path: &str) -> Result<()> {
    let status = page::api(browser, method, path).await?;
    ensure!(status == 204, "{method} {path} answered {status}");
    Ok(())
}

/// Attempts of 5 s, `retries` automatic retries (none: each fault's own
/// message shows at once), no auto-refresh; `api_base_url` as given.
async fn settings(browser: &Browser, url: &str, api_base_url: &str, retries: u32) -> Result<()> {
    let settings = json!({
        "api_base_url": api_base_url, "remember_key": false, "concurrency": 16,
        "timeout_ms": 5000, "retries": retries, "auto_refresh": "Off",
    });
    browser.client.goto(&format!("{url}settings")).await?;
    browser
        .eval_async(
            "const [settings, done] = arguments; localStorage.setItem('tickerboard.settings', settings); done(true);",
            vec![json!(settings.to_string())],
        )
        .await?;
    Ok(())
}

fn row_text(symbol: &str) -> String {
    format!("document.querySelector('[data-testid=quote-row][data-symbol=\"{symbol}\"]')?.textContent ?? ''")
}

fn priced(symbol: &str) -> String {
    format!(
        "/^[0-9.,]+$/.test(document.querySelector('[data-testid=quote-row][data-symbol=\"{symbol}\"] [data-testid=price]')?.textContent.trim() ?? '')"
    )
}

/// Every row but `except` has a price, and the portfolio has its total.
async fn others_fine(browser: &Browser, symbols: &[&str], except: &[&str], portfolio: bool) -> Result<()> {
    for symbol in symbols.iter().filter(|s| !except.contains(s)) {
        wait_for(browser, &format!("{symbol}'s price"), &priced(symbol), Duration::from_secs(10)).await?;
    }
    if portfolio {
        let total = "/[0-9]/.test(document.querySelector('[data-testid=total-value]')?.textContent ?? '')";
        wait_for(browser, "the portfolio's total", total, Duration::from_secs(10)).await?;
    }
    Ok(())
}

/// Waits for `text` in `expression`'s text (a row or a panel).
async fn says(browser: &Browser, what: &str, expression: &str, text: &str, limit: Duration) -> Result<String> {
    let check = format!("({expression}).includes({}) && ({expression})", json!(text));
    let said = wait_for(browser, &format!("{what} to say {text:?}"), &check, limit).await?;
    Ok(said.as_str().unwrap_or_default().trim().to_owned())
}

/// The fault on NVDA's quote (five symbols, one request each).
async fn quote_cell(browser: &Browser, url: &str, fault: &str) -> Result<String> {
    let symbols = FIVE;
    store_watchlist(browser, &symbols).await?;
    api(browser, "PUT", &format!("/api/v1/_faults/quote/{fault}?symbol={VICTIM}")).await?;
    browser.client.goto(url).await?;
    let said = match expected(fault) {
        Some(text) => says(browser, "NVDA's row", &row_text(VICTIM), text, Duration::from_secs(15)).await?,
        None => wait_for(browser, "NVDA's price", &priced(VICTIM), Duration::from_secs(15)).await?.to_string(),
    };
    others_fine(browser, &symbols, &[VICTIM], true).await?;
    api(browser, "DELETE", "/api/v1/_faults/quote").await?;
    if expected(fault).is_some() {
        click(browser, &format!("[data-testid=quote-row][data-symbol=\"{VICTIM}\"] [data-testid=retry]")).await?;
        wait_for(browser, "NVDA's price after Retry", &priced(VICTIM), Duration::from_secs(10)).await?;
    }
    Ok(said)
}

/// The fault on the batch call that asks for NVDA (twelve symbols, six
/// calls of two): its two rows say so — or, for a passing fault, are
/// fetched again one by one — and the other ten are priced.
async fn batch_cell(browser: &Browser, url: &str, fault: &str) -> Result<String> {
    store_watchlist(browser, &BATCHED).await?;
    api(browser, "PUT", &format!("/api/v1/_faults/batch/{fault}?symbol={VICTIM}")).await?;
    browser.client.goto(url).await?;
    let said = match expected(fault) {
        Some(text) if !refetched_after_a_batch(fault) => {
            let said = says(browser, "NVDA's row", &row_text(VICTIM), text, Duration::from_secs(15)).await?;
            if batch_victims(fault).contains(&PARTNER) {
                says(browser, "META's row", &row_text(PARTNER), text, Duration::from_secs(5)).await?;
            }
            said
        }
        Some(text) => {
            // Recovered on its own: the waterfall keeps the batch call's error.
            wait_for(browser, "NVDA's price (fetched again)", &priced(VICTIM), Duration::from_secs(15)).await?;
            click(browser, "nav a[href='/requests']").await?;
            let errors = "document.querySelector('ul.errors')?.textContent ?? ''";
            let said = says(browser, "the waterfall's errors", errors, text, Duration::from_secs(5)).await?;
            click(browser, "nav a[href='/']").await?;
            said
        }
        None => wait_for(browser, "NVDA's price", &priced(VICTIM), Duration::from_secs(15)).await?.to_string(),
    };
    others_fine(browser, &BATCHED, batch_victims(fault), true).await?;
    api(browser, "DELETE", "/api/v1/_faults/batch").await?;
    if expected(fault).is_some() && !refetched_after_a_batch(fault) {
        click(browser, "[data-testid=refresh]").await?;
        wait_for(browser, "NVDA's price after a refresh", &priced(VICTIM), Duration::from_secs(10)).await?;
    }
    others_fine(browser, &BATCHED, &[], false).await?;
    Ok(said)
}

/// The fault on MSFT's history: the ticker view's chart says so, its quote
/// and position are shown; choosing the period again recovers.
async fn history_cell(browser: &Browser, url: &str, fault: &str) -> Result<String> {
    api(browser, "PUT", &format!("/api/v1/_faults/history/{fault}?symbol={HELD}")).await?;
    browser.client.goto(&format!("{url}t/{HELD}")).await?;
    let article = "document.querySelector('[data-testid=ticker]')?.textContent ?? ''";
    let said = match expected(fault) {
        Some(text) => says(browser, "the ticker view", article, text, Duration::from_secs(15)).await?,
        None => wait_for(
            browser,
            "the chart",
            "document.querySelector('[data-testid=price-line]')",
            Duration::from_secs(15),
        )
        .await?
        .to_string(),
    };
    let price = "/[0-9]/.test(document.querySelector('[data-testid=detail-price]')?.textContent ?? '')";
    wait_for(browser, "the ticker's price", price, Duration::from_secs(10)).await?;
    wait_for(browser, "the position", "document.querySelector('[data-testid=shares-held]')", Duration::from_secs(10))
        .await?;
    api(browser, "DELETE", "/api/v1/_faults/history").await?;
    if expected(fault).is_some() {
        click(browser, "[data-testid=period-3m]").await?;
        wait_for(
            browser,
            "the chart after trying again",
            "document.querySelector('[data-testid=price-line]')",
            Duration::from_secs(10),
        )
        .await?;
    }
    Ok(said)
}

/// The fault on the portfolio: its panel says so, every row is priced; the
/// next refresh recovers it.
async fn portfolio_cell(browser: &Browser, url: &str, fault: &str) -> Result<String> {
    let symbols = FIVE;
    store_watchlist(browser, &symbols).await?;
    api(browser, "PUT", &format!("/api/v1/_faults/portfolio/{fault}")).await?;
    browser.client.goto(url).await?;
    let panel = "document.querySelector('[data-testid=portfolio]')?.textContent ?? ''";
    let said = match expected(fault) {
        Some(text) => says(browser, "the portfolio panel", panel, text, Duration::from_secs(15)).await?,
        None => "arrived".to_owned(),
    };
    others_fine(browser, &symbols, &[], expected(fault).is_none()).await?;
    api(browser, "DELETE", "/api/v1/_faults/portfolio").await?;
    click(browser, "[data-testid=refresh]").await?;
    others_fine(browser, &symbols, &[], true).await?;
    Ok(said)
}

/// A refused connection (the API address pointed at a closed port): every
/// row and the portfolio say so; the right address recovers them.
async fn refused_everywhere(browser: &Browser, url: &str) -> Result<String> {
    let symbols = FIVE;
    store_watchlist(browser, &symbols).await?;
    settings(browser, url, "http://127.0.0.1:9", 0).await?;
    browser.client.goto(url).await?;
    let text = expected("refused").context("a message")?;
    let said = says(browser, "NVDA's row", &row_text(VICTIM), text, Duration::from_secs(15)).await?;
    let panel = "document.querySelector('[data-testid=portfolio]')?.textContent ?? ''";
    says(browser, "the portfolio panel", panel, text, Duration::from_secs(5)).await?;
    settings(browser, url, "", 0).await?;
    browser.client.goto(url).await?;
    others_fine(browser, &symbols, &[], true).await?;
    Ok(said)
}

/// With retries on (the default), a passing fault is announced while the
/// engine waits — "NVDA: server busy (503) — retrying in 2 s", "the
/// portfolio: rate limited — retrying after 2 s" — and once it is lifted the
/// next automatic attempt fills the row and the panel, with no click.
pub async fn retries_are_announced_and_recover_on_their_own(browser: &Browser, url: &str) -> Result<String> {
    let symbols = FIVE;
    settings(browser, url, "", 10).await?;
    store_watchlist(browser, &symbols).await?;
    api(browser, "PUT", &format!("/api/v1/_faults/quote/503?symbol={VICTIM}")).await?;
    api(browser, "PUT", "/api/v1/_faults/portfolio/429").await?;
    browser.client.goto(url).await?;
    let row =
        says(browser, "NVDA's row", &row_text(VICTIM), "NVDA: server busy (503) — retrying ", Duration::from_secs(10))
            .await?;
    let panel = "document.querySelector('[data-testid=portfolio]')?.textContent ?? ''";
    let limited = "the portfolio: rate limited — retrying after ";
    let portfolio = says(browser, "the portfolio panel", panel, limited, Duration::from_secs(10)).await?;
    others_fine(browser, &symbols, &[VICTIM], false).await?;
    api(browser, "DELETE", "/api/v1/_faults/quote").await?;
    api(browser, "DELETE", "/api/v1/_faults/portfolio").await?;
    // No click: the engine's own next attempt recovers both.
    wait_for(browser, "NVDA's price, retried on its own", &priced(VICTIM), Duration::from_secs(20)).await?;
    others_fine(browser, &symbols, &[], true).await?;
    let leftover = "document.querySelectorAll('.retrying').length";
    let left = browser.eval(&format!("return {leftover};")).await?;
    ensure!(left == json!(0), "{left} retry notes are still shown after recovering");
    settings(browser, url, "", 0).await?;
    let from = |text: &str, marker: &str| text.find(marker).map(|at| text[at..].to_owned()).unwrap_or_default();
    Ok(format!("{:?}; {:?}", from(&row, "NVDA: server busy"), from(&portfolio, "the portfolio:")))
}

/// After a reload, the watchlist is the one the cell started with.
async fn watchlist_intact(browser: &Browser, url: &str, symbols: &[&str]) -> Result<()> {
    browser.client.goto(url).await?;
    let rows = "Array.from(document.querySelectorAll('[data-testid=quote-row]')).map(r => r.dataset.symbol).join(',')";
    let want = symbols.join(",");
    wait_for(browser, "the watchlist after a reload", &format!("({rows}) == {}", json!(want)), Duration::from_secs(10))
        .await?;
    Ok(())
}

/// The cells that ran, as (fault, endpoint, passed), for the saved matrix.
static CELLS: Mutex<Vec<(&str, &str, bool)>> = Mutex::new(Vec::new());

/// The fault trials: the retries, then one trial per cell of the matrix.
/// A refused connection is one address for every endpoint, so it has one
/// cell, in the quote column. Each cell leaves no console entry but the
/// browser's own lines about failed loads.
pub fn trials() -> Vec<E2eTrial> {
    let mut trials = vec![E2eTrial::new("fault_retries_are_announced_and_recover_on_their_own", |lane| {
        lane.run(async {
            let announced = retries_are_announced_and_recover_on_their_own(&lane.browser, &lane.url).await;
            let _ = page::api(&lane.browser, "DELETE", "/api/v1/_faults/quote").await;
            let _ = page::api(&lane.browser, "DELETE", "/api/v1/_faults/portfolio").await;
            announced
        })
    })];
    for fault in FAULTS {
        for endpoint in ENDPOINTS {
            if fault == "refused" && endpoint != "quote" {
                continue;
            }
            let trial = E2eTrial::new(format!("fault_matrix_{endpoint}_{fault}"), move |lane| {
                let result = lane.run(cell(&lane.browser, &lane.url, fault, endpoint));
                CELLS.lock().unwrap_or_else(PoisonError::into_inner).push((fault, endpoint, result.is_ok()));
                result
            });
            trials.push(trial.console(Console::NetworkOnly));
        }
    }
    trials
}

/// One cell: trips `fault` on `endpoint`, checks what the app says and that
/// it recovers, lifts the fault, and (where the cell changes the watchlist's
/// rows) checks that a reload shows the list intact.
async fn cell(browser: &Browser, url: &str, fault: &'static str, endpoint: &'static str) -> Result<String> {
    settings(browser, url, "", 0).await.context("setting up the cell")?;
    let result = match (fault, endpoint) {
        ("refused", _) => refused_everywhere(browser, url).await,
        (_, "quote") => quote_cell(browser, url, fault).await,
        (_, "batch") => batch_cell(browser, url, fault).await,
        (_, "history") => history_cell(browser, url, fault).await,
        _ => portfolio_cell(browser, url, fault).await,
    };
    // Whatever happened, lift the fault.
    let _ = page::api(browser, "DELETE", &format!("/api/v1/_faults/{endpoint}")).await;
    let symbols: &[&str] = if endpoint == "batch" { &BATCHED } else { &FIVE };
    match (result, fault, endpoint) {
        (Ok(said), _, "history") => Ok(said),
        (Ok(said), _, _) => watchlist_intact(browser, url, symbols).await.map(|()| said),
        (Err(err), _, _) => Err(err),
    }
}

/// Prints the matrix of the cells that ran and saves it to
/// `target/e2e/fault-matrix.md` (nothing when no cell ran).
pub fn save_matrix() {
    let cells = std::mem::take(&mut *CELLS.lock().unwrap_or_else(PoisonError::into_inner));
    if cells.is_empty() {
        return;
    }
    let matrix: Vec<(&str, Vec<Option<bool>>)> = FAULTS
        .iter()
        .map(|fault| {
            let row = ENDPOINTS
                .iter()
                .map(|endpoint| cells.iter().find(|(f, e, _)| f == fault && e == endpoint).map(|(_, _, ok)| *ok))
                .collect();
            (*fault, row)
        })
        .collect();
    let table = table(&matrix);
    println!("\n{table}");
    let path = paths::target().join("e2e").join("fault-matrix.md");
    if let Err(err) = std::fs::write(&path, &table) {
        eprintln!("e2e: saving {}: {err}", path.display());
    }
}

/// The matrix as Markdown: pass, **FAIL**, or a dash for a cell that did not
/// run (filtered out, or a refused connection past the quote column).
fn table(matrix: &[(&str, Vec<Option<bool>>)]) -> String {
    let mut out = format!("| fault | {} |\n|---|{}\n", ENDPOINTS.join(" | "), "---|".repeat(ENDPOINTS.len()));
    for (fault, row) in matrix {
        let cells: Vec<&str> = row
            .iter()
            .map(|ok| match ok {
                Some(true) => "pass",
                Some(false) => "**FAIL**",
                None => "—",
            })
            .collect();
        out.push_str(&format!("| {fault} | {} |\n", cells.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_prints_every_cell() {
        let table = table(&[("hang", vec![Some(true), Some(true), Some(false), None])]);
        assert!(
            table.starts_with("| fault | quote | batch | history | portfolio |\n|---|---|---|---|---|\n"),
            "{table}"
        );
        assert!(table.ends_with("| hang | pass | pass | **FAIL** | — |\n"), "{table}");
        let arrive: Vec<_> = FAULTS.iter().filter(|f| expected(f).is_none()).collect();
        assert_eq!(arrive, [&"drip", &"extra-fields"], "only the drip and unknown fields arrive");
    }
}
