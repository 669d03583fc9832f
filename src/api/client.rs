//! [`ApiClient`]: one method per endpoint over `gloo-net`'s `fetch`.

use gloo_net::http::Request;
use market::{ErrorResponse, History, Period, Portfolio, Quote, Symbol};
use serde::de::DeserializeOwned;

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
}

impl ApiClient {
    /// A client for the API at `base_url` (e.g. `http://127.0.0.1:8787`; empty
    /// for the page's own origin).
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        let base_url = base_url.into().trim_end_matches('/').to_owned();
        ApiClient { base_url, api_key: api_key.into() }
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

    /// `GET /api/v1/history/{symbol}?period=…`.
    pub async fn history(&self, symbol: &Symbol, period: Period) -> Result<History, FetchError> {
        self.get_json(&format!("/api/v1/history/{symbol}?period={period}"), symbol.as_str()).await
    }

    /// `GET /api/v1/portfolio`.
    pub async fn portfolio(&self) -> Result<Portfolio, FetchError> {
        self.get_json("/api/v1/portfolio", "the portfolio").await
    }

    /// Sends one authorised GET and decodes the JSON answer; `what` names the
    /// subject in error messages.
    async fn get_json<T: DeserializeOwned>(&self, path: &str, what: &str) -> Result<T, FetchError> {
        let url = format!("{}{path}", self.base_url);
        let response = Request::get(&url)
            .header("Authorization", &format!("Bearer {}", self.api_key))
            .send()
            .await
            .map_err(|err| FetchError::Network(err.to_string()))?;
        let status = response.status();
        let body = response.text().await.map_err(|err| FetchError::Network(err.to_string()))?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&body).map_err(|err| FetchError::Decode(err.to_string()));
        }
        let message = serde_json::from_str::<ErrorResponse>(&body).ok().map(|e| e.error);
        Err(FetchError::from_status(status, what, message))
    }
}
