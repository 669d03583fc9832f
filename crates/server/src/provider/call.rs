//! Calls to the provider: the `providers` crate's requests sent with
//! reqwest (each key in a header marked sensitive), its answers read back
//! with the crate's readers.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use market::{Bar, Quote};
use providers::{
    HttpGet, PerSymbol, ProviderError, ProviderId,
    alpaca::{self, BarsPage},
    twelvedata,
};
use reqwest::header::{HeaderName, HeaderValue};

use crate::config::{ProviderConfig, ProviderKeys};

/// How long one call may take, answer included.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a call gave no data.
#[derive(Debug, Clone)]
pub(crate) enum CallError {
    /// The provider answered, with an error.
    Provider(ProviderError),
    /// No answer: the connection failed or timed out.
    Unreachable(String),
}

impl From<ProviderError> for CallError {
    fn from(error: ProviderError) -> Self {
        CallError::Provider(error)
    }
}

/// An answer: status, body, and Alpaca's `X-RateLimit-Reset`.
struct Reply {
    status: u16,
    body: String,
    ratelimit_reset: Option<u64>,
}

/// The provider, its keys, and the client to call it with.
#[derive(Debug)]
pub(crate) struct Caller {
    config: ProviderConfig,
    http: reqwest::Client,
}

impl Caller {
    pub(crate) fn new(config: ProviderConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .user_agent(concat!("tickerboard-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client (rustls with ring) builds");
        Caller { config, http }
    }

    pub(crate) fn id(&self) -> ProviderId {
        self.config.id
    }

    /// Quotes for `symbols` (at most a batch of the plan).
    pub(crate) async fn quotes(&self, symbols: &[String]) -> Result<PerSymbol<Quote>, CallError> {
        let url = &self.config.url;
        match &self.config.keys {
            ProviderKeys::TwelveData(key) => {
                let reply = self.send(twelvedata::quotes_request(url, key, symbols)).await?;
                Ok(twelvedata::read_quotes(reply.status, &reply.body, symbols, self.twelvedata_clock())?)
            }
            ProviderKeys::Alpaca(keys) => {
                let reply = self.send(alpaca::snapshots_request(url, keys, symbols)).await?;
                Ok(alpaca::read_snapshots(self.alpaca_answer(&reply), symbols)?)
            }
        }
    }

    /// Twelve Data: the last `days` daily bars of `symbol`.
    pub(crate) async fn twelvedata_history(&self, key: &str, symbol: &str, days: usize) -> Result<Vec<Bar>, CallError> {
        let symbols = [symbol.to_owned()];
        let reply = self.send(twelvedata::history_request(&self.config.url, key, &symbols, days)).await?;
        let read = twelvedata::read_history(reply.status, &reply.body, &symbols, self.twelvedata_clock())?;
        let (_, bars) = read.into_iter().next().ok_or_else(|| unreadable(self.id(), "no answer for the symbol"))?;
        Ok(bars?)
    }

    /// Alpaca: one page of `symbol`'s daily bars from `start`.
    pub(crate) async fn alpaca_bars(
        &self,
        keys: &alpaca::Keys,
        symbol: &str,
        start: &str,
        page_token: Option<&str>,
    ) -> Result<BarsPage, CallError> {
        let symbols = [symbol.to_owned()];
        let reply = self.send(alpaca::bars_request(&self.config.url, keys, &symbols, start, page_token)).await?;
        Ok(alpaca::read_bars(self.alpaca_answer(&reply), &symbols)?)
    }

    pub(crate) fn keys(&self) -> &ProviderKeys {
        &self.config.keys
    }

    async fn send(&self, get: HttpGet) -> Result<Reply, CallError> {
        let mut request = self.http.get(&get.url);
        for (name, value) in get.headers {
            let mut value = HeaderValue::from_str(&value)
                .map_err(|_| unreadable(self.id(), "a key holds characters a header cannot"))?;
            value.set_sensitive(true);
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| unreadable(self.id(), "the provider crate named an invalid header"))?;
            request = request.header(name, value);
        }
        let unreachable = |err: reqwest::Error| CallError::Unreachable(err.without_url().to_string());
        let response = request.send().await.map_err(unreachable)?;
        let status = response.status().as_u16();
        let ratelimit_reset = response
            .headers()
            .get("x-ratelimit-reset")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse().ok());
        let body = response.bytes().await.map_err(unreachable)?;
        Ok(Reply { status, body: String::from_utf8_lossy(&body).into_owned(), ratelimit_reset })
    }

    fn twelvedata_clock(&self) -> twelvedata::Clock {
        twelvedata::Clock { now_ms: now_ms(), minute: self.config.minute }
    }

    fn alpaca_answer<'a>(&self, reply: &'a Reply) -> alpaca::Answer<'a> {
        alpaca::Answer {
            status: reply.status,
            body: &reply.body,
            ratelimit_reset: reply.ratelimit_reset,
            now_ms: now_ms(),
        }
    }
}

fn unreadable(provider: ProviderId, detail: &str) -> CallError {
    CallError::Provider(ProviderError::Unreadable { provider, detail: detail.to_owned() })
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}
