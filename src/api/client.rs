//! [`ApiClient`]: one method per endpoint over `gloo-net`'s `fetch`.

use gloo_net::http::Request;
use market::{
    ErrorResponse, History, Period, Plausible, Portfolio, Quote, ServerStats, Symbol, SymbolFailure, SymbolSearch,
};
use serde::{Deserialize, de::DeserializeOwned};
use web_sys::RequestCache;

use crate::api::{Direct, FetchError};

/// The largest answer the app reads: the biggest real one (five years of
/// daily bars, or 100 quotes) is well under 200 KB, and a runaway body must
/// not take the tab's memory with it.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// `GET /api/v1/quotes/{symbol}`'s path.
pub fn quote_path(symbol: &Symbol) -> String {
    format!("/api/v1/quotes/{symbol}")
}

/// `GET /api/v1/quotes?symbols=A,B,…`'s path.
pub fn batch_path(symbols: &[Symbol]) -> String {
    let list = symbols.iter().map(Symbol::as_str).collect::<Vec<_>>().join(",");
    format!("/api/v1/quotes?symbols={list}")
}

/// `GET /api/v1/portfolio`'s path.
pub const PORTFOLIO_PATH: &str = "/api/v1/portfolio";

/// The key the local market API accepts out of the box.
pub const DEMO_KEY: &str = "demo";

/// Where the market API lives and the key to call it with, and the data
/// provider quotes and history come from when the browser calls one itself.
/// Cheap to clone.
///
/// Keys travel only in headers, never in a URL (nor in `Debug`).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiClient {
    base_url: String,
    api_key: String,
    extra_headers: Vec<(String, String)>,
    direct: Option<Direct>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.base_url)
            .field("direct", &self.direct)
            .finish_non_exhaustive()
    }
}

impl ApiClient {
    /// A client for the API at `base_url` (e.g. `http://127.0.0.1:8787`; empty
    /// for the page's own origin).
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        ApiClient { base_url, api_key: api_key.into(), extra_headers: Vec::new(), direct: None }
    }

    /// The same client, taking quotes and history from `direct` (the
    /// portfolio still comes from the API).
    pub fn with_direct(mut self, direct: Direct) -> Self {
        self.direct = Some(direct);
        self
    }

    /// The provider called directly, if any.
    pub fn direct(&self) -> Option<&Direct> {
        self.direct.as_ref()
    }

    /// The same client, sending `name: value` with every request (the lab and
    /// tests use the server's `x-tickerboard-latency-ms` and `-fault`).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.extra_headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The API's base URL (empty for the page's own origin).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The API on the page's own origin (served beside the app, or proxied by
    /// `trunk serve`), with the demo key.
    pub fn same_origin() -> Self {
        ApiClient::new("", DEMO_KEY)
    }

    /// `GET /api/v1/quotes/{symbol}`.
    pub async fn quote(&self, symbol: &Symbol) -> Result<Quote, FetchError> {
        if let Some(direct) = &self.direct {
            return direct.quotes(std::slice::from_ref(symbol)).await?.only(symbol);
        }
        self.get_json(&quote_path(symbol), symbol.as_str()).await.and_then(checked)
    }

    /// `GET /api/v1/quotes?symbols=A,B,…`: up to 100 quotes in one call, with
    /// per-symbol errors beside them. Each quote is read and checked on its
    /// own: one unreadable or impossible quote costs only its own row.
    pub async fn quotes(&self, symbols: &[Symbol]) -> Result<Batch, FetchError> {
        if let Some(direct) = &self.direct {
            return direct.quotes(symbols).await;
        }
        let raw: RawBatch = self.get_json(&batch_path(symbols), "the batch of quotes").await?;
        Ok(Batch::read(raw))
    }

    /// `GET /api/v1/symbols?all=true`: every listed symbol, sorted.
    pub async fn all_symbols(&self) -> Result<SymbolSearch, FetchError> {
        self.get_json("/api/v1/symbols?all=true", "the list of symbols").await
    }

    /// `GET /api/v1/history/{symbol}?period=…`.
    pub async fn history(&self, symbol: &Symbol, period: Period) -> Result<History, FetchError> {
        if let Some(direct) = &self.direct {
            return direct.history(symbol, period).await.and_then(checked);
        }
        self.get_json(&format!("/api/v1/history/{symbol}?period={period}"), symbol.as_str()).await.and_then(checked)
    }

    /// `GET /api/v1/symbols?q=…`: listed symbols matching `query`, best first.
    pub async fn search(&self, query: &str) -> Result<SymbolSearch, FetchError> {
        let query: String = js_sys::encode_uri_component(query.trim()).into();
        self.get_json(&format!("/api/v1/symbols?q={query}"), "the symbol search").await
    }

    /// `GET /api/v1/_stats`: the server's counters (tests and the lab).
    pub async fn server_stats(&self) -> Result<ServerStats, FetchError> {
        self.get_json("/api/v1/_stats", "the server's statistics").await
    }

    /// `GET /api/v1/portfolio`.
    pub async fn portfolio(&self) -> Result<Portfolio, FetchError> {
        self.get_json(PORTFOLIO_PATH, "the portfolio").await.and_then(checked)
    }

    /// Sends one authorised GET and decodes the JSON answer; `what` names the
    /// subject in error messages. Dropping the future aborts the fetch (its
    /// `AbortController` fires), so cancelling a batch really stops it.
    /// Market data is live: the browser's HTTP cache is bypassed (`no-store`),
    /// so no answer is stale and identical requests in flight never wait on
    /// one another behind the cache's lock.
    async fn get_json<T: DeserializeOwned>(&self, path: &str, what: &str) -> Result<T, FetchError> {
        let url = format!("{}{path}", self.base_url);
        let authorization = format!("Bearer {}", self.api_key);
        let mut headers = vec![("Authorization", authorization.as_str())];
        headers.extend(self.extra_headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let answer = fetch_text(&url, &headers, what).await.map_err(|failure| match failure {
            Unanswered::Network(message) => FetchError::Network(message),
            Unanswered::Other(error) => error,
        })?;
        let Answer { status, retry_after, body } = answer;
        if (200..300).contains(&status) {
            return serde_json::from_str(&body).map_err(|err| FetchError::Decode(err.to_string()));
        }
        let message = serde_json::from_str::<ErrorResponse>(&body).ok().map(|e| e.error);
        // The wall clock (not `performance.now()`): an HTTP-date Retry-After is absolute.
        let now = std::time::Duration::from_secs_f64(js_sys::Date::now() / 1e3);
        Err(FetchError::from_status(status, what, message).with_retry_after(retry_after.as_deref(), now))
    }
}

/// An answer read whole: its status, `Retry-After`, and body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<String>,
    pub(crate) body: String,
}

/// Why a fetch has no answer: none came at all (the caller words it), or
/// the answer could not be read.
pub(crate) enum Unanswered {
    Network(String),
    Other(FetchError),
}

/// Sends one GET with `headers` and reads the answer whole, at most
/// [`MAX_BODY_BYTES`]; `what` names the subject in errors. Dropping the future
/// aborts the fetch (its `AbortController` fires), so cancelling a batch
/// really stops it. Market data is live: the browser's HTTP cache is bypassed
/// (`no-store`), so no answer is stale and identical requests in flight never
/// wait on one another behind the cache's lock.
pub(crate) async fn fetch_text(url: &str, headers: &[(&str, &str)], what: &str) -> Result<Answer, Unanswered> {
    let _in_flight = crate::diagnostics::Registered::new(crate::diagnostics::Kind::Fetch);
    // The first screen's requests may already be on their way (web/start.js
    // sent them before the app's code arrived): such an answer is read here
    // like any other, once.
    let early = match headers {
        [("Authorization", authorization)] => crate::api::early::take(url, authorization),
        _ => None,
    };
    // Kept to the end: dropping it aborts the fetch.
    let (_abort, response) = match early {
        Some(early) => {
            let abort = AbortOnDrop(early.controller);
            let response = wasm_bindgen_futures::JsFuture::from(early.response)
                .await
                .map_err(|err| Unanswered::Network(crate::api::early::describe(&err)))?;
            (abort, gloo_net::http::Response::from(web_sys::Response::from(response)))
        }
        None => {
            let abort = AbortOnDrop::new();
            let mut request = Request::get(url).cache(RequestCache::NoStore).abort_signal(abort.signal().as_ref());
            for (name, value) in headers {
                request = request.header(name, value);
            }
            (abort, request.send().await.map_err(|err| Unanswered::Network(err.to_string()))?)
        }
    };
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    // Too large by its own account: refused before the body is read (the
    // fetch is aborted when this returns).
    let declared = response.headers().get("content-length").and_then(|n| n.trim().parse::<usize>().ok());
    if let Some(size) = declared.filter(|&n| n > MAX_BODY_BYTES) {
        return Err(Unanswered::Other(too_large(what, megabytes(size))));
    }
    // A body without a length is checked once read. (Reading it in
    // pieces to stop at the limit would need the stream reader by hand;
    // a server that hides its length is the rare case.)
    let body = response.text().await.map_err(|err| Unanswered::Other(FetchError::Incomplete(err.to_string())))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(Unanswered::Other(too_large(what, megabytes(body.len()))));
    }
    Ok(Answer { status, retry_after, body })
}

/// A batch answer (`GET /api/v1/quotes?symbols=…`), read entry by entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The quotes that were readable and plausible.
    pub quotes: Vec<Quote>,
    /// Per symbol, why it has no quote: the server's own error, or an entry
    /// that could not be read or cannot be right.
    pub errors: Vec<(String, FetchError)>,
}

/// The batch body with its quotes not yet read, so each can fail alone.
#[derive(Deserialize)]
struct RawBatch {
    quotes: Vec<serde_json::Value>,
    errors: Vec<SymbolFailure>,
}

impl Batch {
    /// The quote of `symbol`, or why there is none.
    pub fn only(self, symbol: &Symbol) -> Result<Quote, FetchError> {
        if let Some(quote) = self.quotes.into_iter().find(|q| q.symbol == symbol.as_str()) {
            return Ok(quote);
        }
        match self.errors.into_iter().find(|(s, _)| s == symbol.as_str()) {
            Some((_, error)) => Err(error),
            None => Err(FetchError::Decode(format!("the answer left out {symbol}"))),
        }
    }

    fn read(raw: RawBatch) -> Batch {
        let mut errors: Vec<(String, FetchError)> = raw
            .errors
            .into_iter()
            .map(|e| (e.symbol.clone(), FetchError::from_batch_entry(&e.symbol, e.error)))
            .collect();
        let mut quotes = Vec::with_capacity(raw.quotes.len());
        for entry in raw.quotes {
            let symbol = entry.get("symbol").and_then(|s| s.as_str()).unwrap_or_default().to_owned();
            let quote = serde_json::from_value::<Quote>(entry)
                .map_err(|err| FetchError::Decode(format!("{symbol}: {err}")))
                .and_then(checked);
            match quote {
                Ok(quote) => quotes.push(quote),
                // An entry without a symbol belongs to no row; its symbol is then
                // missing from the answer, and that row says so.
                Err(error) => errors.push((symbol, error)),
            }
        }
        Batch { quotes, errors }
    }
}

/// A decoded answer, if it can be right.
pub fn checked<T: Plausible>(value: T) -> Result<T, FetchError> {
    value.plausible().map(|()| value).map_err(FetchError::Implausible)
}

fn too_large(what: &str, size: String) -> FetchError {
    FetchError::TooLarge { what: what.to_owned(), size, limit: megabytes(MAX_BODY_BYTES) }
}

/// `bytes` in megabytes, one decimal ("10.5 MB").
fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb.fract() == 0.0 { format!("{mb:.0} MB") } else { format!("{mb:.1} MB") }
}

/// Aborts its fetch when dropped: cancellation follows ownership.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl AbortOnDrop {
    fn new() -> Self {
        AbortOnDrop(web_sys::AbortController::new().ok())
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.0.as_ref().map(web_sys::AbortController::signal)
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        // Aborting a finished fetch does nothing.
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_read_entry_by_entry() {
        let body = r#"{"quotes":[
            {"symbol":"AAPL","price":187.42,"change":1.5,"change_percent":0.8,"volume":10,"timestamp":"2026-11-26T14:30:05Z","x_new":1},
            {"symbol":"NVDA","price":-450.1,"change":1.5,"change_percent":0.3,"volume":10,"timestamp":"2026-11-26T14:30:05Z"},
            {"symbol":"META","change":1.5,"change_percent":0.3,"volume":10,"timestamp":"2026-11-26T14:30:05Z"}
        ],"errors":[{"symbol":"ZZZZ","error":{"code":"unknown_symbol","message":"unknown symbol ZZZZ"}}]}"#;
        let batch = Batch::read(serde_json::from_str(body).unwrap());
        assert_eq!(batch.quotes.len(), 1, "only AAPL is readable and plausible (an unknown field is fine)");
        assert_eq!(batch.quotes[0].symbol, "AAPL");
        let error_of = |symbol: &str| batch.errors.iter().find(|(s, _)| s == symbol).map(|(_, e)| e.clone()).unwrap();
        assert_eq!(error_of("NVDA"), FetchError::Implausible("NVDA's price is -450.1".into()));
        assert!(
            error_of("NVDA").to_string().starts_with("the server sent an impossible value (NVDA's price is -450.1)")
        );
        let unreadable = error_of("META").to_string();
        assert!(unreadable.contains("could not read (META: missing field `price`"), "{unreadable}");
        assert_eq!(error_of("ZZZZ"), FetchError::UnknownSymbol("ZZZZ".into()));
    }

    #[test]
    fn sizes_read_in_megabytes() {
        assert_eq!(megabytes(MAX_BODY_BYTES), "2 MB");
        assert_eq!(megabytes(10 * 1024 * 1024 + 300_000), "10.3 MB");
        let error = too_large("AAPL", megabytes(11 * 1024 * 1024));
        assert_eq!(error.to_string(), "AAPL: the server's answer is too large (11 MB; the app reads at most 2 MB)");
    }
}
