//! What one load of a page costs, read in the page itself: the bytes the
//! browser received for it (Resource Timing), when five prices were in the
//! DOM (a `MutationObserver` installed before the page's own scripts), and
//! its first contentful paint. Shared by the end-to-end size check and the
//! benchmark against the React peer.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::{budget::kb, webdriver::Browser};

/// Whether five `[data-testid=price]` cells hold positive numbers (`$`,
/// commas and spaces allowed), as a JavaScript function expression.
pub const FIVE_PRICES_JS: &str = "() => {
    const cells = document.querySelectorAll('[data-testid=price]');
    let priced = 0;
    for (const cell of cells) {
        const value = Number(cell.textContent.trim().replace(/[$,\\s]/g, ''));
        if (cell.textContent.trim() !== '' && Number.isFinite(value) && value > 0) priced++;
    }
    return priced >= 5;
}";

/// Installed with `cdp::add_script_on_new_document`: records in
/// `window.__firstLoad.fivePricesMs` the `performance.now()` (time since the
/// navigation started) at which five prices first parse as numbers.
pub fn five_prices_observer() -> String {
    format!(
        "(() => {{
            const fivePrices = {FIVE_PRICES_JS};
            const probe = window.__firstLoad = {{ fivePricesMs: null }};
            const observer = new MutationObserver(() => {{
                if (probe.fivePricesMs === null && fivePrices()) {{
                    probe.fivePricesMs = performance.now();
                    observer.disconnect();
                }}
            }});
            observer.observe(document, {{ childList: true, subtree: true, characterData: true }});
        }})();"
    )
}

/// One file of the page as Resource Timing saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The path (and query) on the page's origin.
    pub path: String,
    /// Whether it is the navigation (the HTML document) itself.
    pub navigation: bool,
    /// Bytes received: headers and body as sent (0 from the HTTP cache).
    pub transfer: u64,
    /// The body as sent (compressed, if it was).
    pub encoded: u64,
    /// The body once decoded.
    pub decoded: u64,
}

impl Resource {
    /// How it was sent: compressed when its body as sent is smaller than
    /// decoded (Resource Timing does not show `Content-Encoding` itself).
    pub fn encoding(&self) -> &'static str {
        if self.transfer == 0 {
            "from cache"
        } else if self.encoded < self.decoded {
            "compressed"
        } else {
            "identity"
        }
    }
}

/// The page's own files (same origin, not `/api/`) of one load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transfer {
    /// The navigation first, then each resource in the order it started.
    pub resources: Vec<Resource>,
}

impl Transfer {
    /// Bytes received for the page's files, headers included.
    pub fn total(&self) -> u64 {
        self.resources.iter().map(|r| r.transfer).sum()
    }

    /// One line per file: path, transferSize, encodedBodySize, decodedBodySize, encoding.
    pub fn lines(&self) -> Vec<String> {
        self.resources
            .iter()
            .map(|r| {
                format!(
                    "{} {} (transfer {} B, body {} B as sent, {} B decoded, {})",
                    if r.navigation { "navigation" } else { "resource" },
                    r.path,
                    r.transfer,
                    r.encoded,
                    r.decoded,
                    r.encoding()
                )
            })
            .collect()
    }

    /// `total` with the per-file list, for a check's line.
    pub fn describe(&self) -> String {
        let files: Vec<String> = self.resources.iter().map(|r| format!("{} {}", r.path, r.transfer)).collect();
        format!("{} in {} files: {}", kb(self.total()), self.resources.len(), files.join(", "))
    }
}

/// Reads Resource Timing of the current page: the navigation and every
/// resource on its origin that is not an API request.
pub async fn transfer(browser: &Browser) -> Result<Transfer> {
    let script = "const pick = e => { const url = new URL(e.name);
            return { origin: url.origin, path: url.pathname + url.search, navigation: e.entryType === 'navigation',
                     transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize }; };
        return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
            .map(pick).filter(e => e.origin === location.origin && !e.path.startsWith('/api/'));";
    let entries = browser.eval(script).await?;
    let entries = entries.as_array().context("Resource Timing gave no list")?;
    let number = |e: &Value, k: &str| e.get(k).and_then(Value::as_f64).unwrap_or_default() as u64;
    let resources = entries
        .iter()
        .map(|e| Resource {
            path: e.get("path").and_then(Value::as_str).unwrap_or_default().to_owned(),
            navigation: e.get("navigation").and_then(Value::as_bool).unwrap_or_default(),
            transfer: number(e, "transfer"),
            encoded: number(e, "encoded"),
            decoded: number(e, "decoded"),
        })
        .collect();
    Ok(Transfer { resources })
}

/// Waits (up to `limit`) until five price cells hold numbers, polling the DOM.
pub async fn wait_for_five_prices(browser: &Browser, limit: Duration) -> Result<Duration> {
    let start = Instant::now();
    let script = format!("return ({FIVE_PRICES_JS})();");
    loop {
        if browser.eval(&script).await?.as_bool() == Some(true) {
            return Ok(start.elapsed());
        }
        if start.elapsed() > limit {
            let cells = browser
                .eval("return Array.from(document.querySelectorAll('[data-testid=price]')).map(e => e.textContent);")
                .await?;
            bail!("after {limit:?} the price cells read {cells}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What the observer and the paint timing of one load recorded, in ms since
/// the navigation started.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timings {
    /// Five prices in the DOM.
    pub five_prices_ms: f64,
    /// First contentful paint.
    pub fcp_ms: f64,
}

/// Waits (up to `limit`) for the observer of [`five_prices_observer`] to
/// fire and for the first contentful paint to be reported.
pub async fn timings(browser: &Browser, limit: Duration) -> Result<Timings> {
    let start = Instant::now();
    let script = "const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return { five: window.__firstLoad ? window.__firstLoad.fivePricesMs : 'no observer',
                 fcp: fcp ? fcp.startTime : null };";
    loop {
        let seen = browser.eval(script).await?;
        if seen["five"] == "no observer" {
            bail!("the five-prices observer is not in the page (was it installed before the navigation?)");
        }
        if let (Some(five_prices_ms), Some(fcp_ms)) = (seen["five"].as_f64(), seen["fcp"].as_f64()) {
            return Ok(Timings { five_prices_ms, fcp_ms });
        }
        if start.elapsed() > limit {
            bail!("after {limit:?}: five prices at {}, first contentful paint at {}", seen["five"], seen["fcp"]);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, navigation: bool, transfer: u64, encoded: u64, decoded: u64) -> Resource {
        Resource { path: path.to_owned(), navigation, transfer, encoded, decoded }
    }

    #[test]
    fn the_total_counts_what_was_received_and_says_how() {
        let load = Transfer {
            resources: vec![
                file("/", true, 1_300, 1_000, 3_000),
                file("/app.wasm", false, 150_300, 150_000, 600_000),
                file("/style.css", false, 0, 2_000, 8_000),
                file("/start.js", false, 700, 400, 400),
            ],
        };
        assert_eq!(load.total(), 152_300);
        let encodings: Vec<_> = load.resources.iter().map(Resource::encoding).collect();
        assert_eq!(encodings, ["compressed", "compressed", "from cache", "identity"]);
        assert!(load.describe().starts_with("152.3 KB in 4 files: / 1300, /app.wasm 150300"), "{}", load.describe());
        assert_eq!(load.lines()[0], "navigation / (transfer 1300 B, body 1000 B as sent, 3000 B decoded, compressed)");
    }

    #[test]
    fn the_observer_carries_the_price_test() {
        let script = five_prices_observer();
        assert!(script.contains("[data-testid=price]") && script.contains("performance.now()"), "{script}");
        assert!(script.contains(r"/[$,\s]/g"), "the regex survives the Rust string: {script}");
    }
}
