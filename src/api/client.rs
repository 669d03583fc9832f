//! [`ApiClient`]: one method per endpoint over `gloo-net`'s `fetch`.

use gloo_net::http::Request;
use market::{BatchQuotes, ErrorResponse, History, Period, Portfolio, Quote, ServerStats, Symbol, SymbolSearch};
use serde::de::DeserializeOwned;
use web_sys::RequestCache;

use crate::api::FetchError;

/// The key the local market API accepts out of the box.
pub const DEMO_KEY: &str = "demo";

/// Where the market API lives and the key to call it with. Cheap to clone.
///
/// The key travels only in the `Authorization` header, never in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    base_url: String,
    api_key: String,
    extra_headers: Vec<(String, String)>,
}

impl ApiClient {
    /// A client for the API at `base_url` (e.g. `http://127.0.0.1:8787`; empty
    /// for the page's own origin).
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        ApiClient { base_url, api_key: api_key.into(), extra_headers: Vec::new() }
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
        self.get_json(&format!("/api/v1/quotes/{symbol}"), symbol.as_str()).await
    }

    /// `GET /api/v1/quotes?symbols=A,B,…`: up to 100 quotes in one call, with
    /// per-symbol errors beside them.
    pub async fn quotes(&self, symbols: &[Symbol]) -> Result<BatchQuotes, FetchError> {
        let list = symbols.iter().map(Symbol::as_str).collect::<Vec<_>>().join(",");
        self.get_json(&format!("/api/v1/quotes?symbols={list}"), "the batch of quotes").await
    }

    /// `GET /api/v1/symbols?all=true`: every listed symbol, sorted.
    pub async fn all_symbols(&self) -> Result<SymbolSearch, FetchError> {
        self.get_json("/api/v1/symbols?all=true", "the list of symbols").await
    }

    /// `GET /api/v1/history/{symbol}?period=…`.
    pub async fn history(&self, symbol: &Symbol, period: Period) -> Result<History, FetchError> {
        self.get_json(&format!("/api/v1/history/{symbol}?period={period}"), symbol.as_str()).await
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
        self.get_json("/api/v1/portfolio", "the portfolio").await
    }

    /// Sends one authorised GET and decodes the JSON answer; `what` names the
    /// subject in error messages. Dropping the future aborts the fetch (its
    /// `AbortController` fires), so cancelling a batch really stops it.
    /// Market data is live: the browser's HTTP cache is bypassed (`no-store`),
    /// so no answer is stale and identical requests in flight never wait on
    /// one another behind the cache's lock.
    async fn get_json<T: DeserializeOwned>(&self, path: &str, what: &str) -> Result<T, FetchError> {
        let url = format!("{}{path}", self.base_url);
        let abort = AbortOnDrop::new();
        let mut request = Request::get(&url)
            .header("Authorization", &format!("Bearer {}", self.api_key))
            .cache(RequestCache::NoStore)
            .abort_signal(abort.signal().as_ref());
        for (name, value) in &self.extra_headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|err| FetchError::Network(err.to_string()))?;
        let status = response.status();
        let retry_after = response.headers().get("retry-after");
        let body = response.text().await.map_err(|err| FetchError::Incomplete(err.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&body).map_err(|err| FetchError::Decode(err.to_string()));
        }
        let message = serde_json::from_str::<ErrorResponse>(&body).ok().map(|e| e.error);
        // The wall clock (not `performance.now()`): an HTTP-date Retry-After is absolute.
        let now = std::time::Duration::from_secs_f64(js_sys::Date::now() / 1e3);
        Err(FetchError::from_status(status, what, message).with_retry_after(retry_after.as_deref(), now))
    }
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
