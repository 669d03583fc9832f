//! Alpaca Market Data v2 (`https://data.alpaca.markets`), through the server
//! only: its secret is also a trading credential. Headers
//! `APCA-API-KEY-ID` and `APCA-API-SECRET-KEY`; snapshots and daily bars for
//! many symbols a call; 200 requests a minute, and a 429 carries
//! `X-Ratelimit-Reset` (Unix seconds). A symbol it does not know is left out
//! of a snapshots answer.

use std::time::Duration;

use market::{Bar, Quote};
use serde::Deserialize;
use serde_json::Value;

use crate::{Cost, HttpGet, Limits, PerSymbol, ProviderError, ProviderId, shorten, time};

/// Where the real API lives.
pub const BASE_URL: &str = "https://data.alpaca.markets";

/// The free plan: 200 requests a minute; we ask for up to 100 symbols a call.
pub const LIMITS: Limits = Limits { batch: 100, per_minute: 200, per_day: None, cost: Cost::PerRequest };

const ID: ProviderId = ProviderId::Alpaca;

/// The key pair.
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    /// `APCA-API-KEY-ID`.
    pub id: String,
    /// `APCA-API-SECRET-KEY`.
    pub secret: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys { .. }")
    }
}

fn get(base: &str, keys: &Keys, path_and_query: String) -> HttpGet {
    HttpGet {
        url: format!("{}{path_and_query}", base.trim_end_matches('/')),
        headers: vec![("APCA-API-KEY-ID", keys.id.clone()), ("APCA-API-SECRET-KEY", keys.secret.clone())],
    }
}

/// `GET /v2/stocks/snapshots?symbols=A,B,…&feed=iex` (the free plan's feed).
pub fn snapshots_request(base: &str, keys: &Keys, symbols: &[String]) -> HttpGet {
    get(base, keys, format!("/v2/stocks/snapshots?symbols={}&feed=iex", symbols.join(",")))
}

/// `GET /v2/stocks/bars?symbols=A,B,…&timeframe=1Day&start=YYYY-MM-DD…`, a
/// page at a time (`page_token` from the last page's [`BarsPage::next_page_token`]).
pub fn bars_request(base: &str, keys: &Keys, symbols: &[String], start: &str, page_token: Option<&str>) -> HttpGet {
    let page = page_token.map(|t| format!("&page_token={}", percent_encoded(t))).unwrap_or_default();
    get(
        base,
        keys,
        format!(
            "/v2/stocks/bars?symbols={}&timeframe=1Day&start={start}&limit=10000&adjustment=raw&feed=iex{page}",
            symbols.join(",")
        ),
    )
}

/// `text` with everything but unreserved characters percent-encoded (a
/// page token is base64: `+`, `/` and `=` must not reach the query raw).
fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, Deserialize)]
struct Trade {
    /// RFC 3339 with nanoseconds, UTC.
    t: String,
    p: f64,
}

#[derive(Debug, Deserialize)]
struct DayBar {
    t: String,
    o: f64,
    h: f64,
    l: f64,
    c: f64,
    #[serde(default)]
    v: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    latest_trade: Option<Trade>,
    daily_bar: Option<DayBar>,
    prev_daily_bar: Option<DayBar>,
}

/// The answer's headers that matter: `X-Ratelimit-Reset`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: &'a str,
    /// `X-Ratelimit-Reset`: when the minute's budget renews, Unix seconds.
    pub ratelimit_reset: Option<u64>,
    /// Now, milliseconds since the Unix epoch.
    pub now_ms: u64,
}

fn unreadable(detail: impl Into<String>) -> ProviderError {
    ProviderError::Unreadable { provider: ID, detail: detail.into() }
}

/// The whole request's error, if its status says so.
fn refused(answer: &Answer<'_>, symbols: &[String]) -> Option<ProviderError> {
    let message = serde_json::from_str::<Value>(answer.body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| shorten(answer.body));
    Some(match answer.status {
        200..=299 => return None,
        401 | 403 => ProviderError::BadKey { provider: ID },
        429 => {
            let reset_ms = answer.ratelimit_reset.map(|s| s.saturating_mul(1000));
            let wait =
                reset_ms.map_or(Duration::from_secs(60), |at| Duration::from_millis(at.saturating_sub(answer.now_ms)));
            ProviderError::RateLimited { provider: ID, retry_after: wait.max(Duration::from_secs(1)) }
        }
        // "invalid symbol: X" fails the whole request; it names the culprit.
        400 | 422 if message.to_ascii_lowercase().contains("symbol") => ProviderError::UnknownSymbol {
            provider: ID,
            symbol: match (message.split_once("symbol: "), symbols) {
                (Some((_, named)), _) => named.trim().to_owned(),
                (None, [only]) => only.clone(),
                (None, _) => "one of the symbols".to_owned(),
            },
        },
        status => ProviderError::Down { provider: ID, status, message: shorten(&message) },
    })
}

/// Reads a snapshots answer for `symbols` into our quotes: the price is the
/// latest trade, the change is against the previous day's close, the volume
/// today's.
pub fn read_snapshots(answer: Answer<'_>, symbols: &[String]) -> Result<PerSymbol<Quote>, ProviderError> {
    if let Some(error) = refused(&answer, symbols) {
        return Err(error);
    }
    let map: serde_json::Map<String, Value> =
        serde_json::from_str(answer.body).map_err(|e| unreadable(e.to_string()))?;
    Ok(symbols
        .iter()
        .map(|symbol| {
            let entry = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(symbol)).map(|(_, v)| v.clone());
            let result = match entry {
                None | Some(Value::Null) => Err(ProviderError::UnknownSymbol { provider: ID, symbol: symbol.clone() }),
                Some(value) => serde_json::from_value::<Snapshot>(value)
                    .map_err(|e| unreadable(format!("{symbol}: {e}")))
                    .and_then(|s| to_quote(symbol, s)),
            };
            (symbol.clone(), result)
        })
        .collect())
}

fn to_quote(symbol: &str, snapshot: Snapshot) -> Result<Quote, ProviderError> {
    let trade = snapshot.latest_trade.ok_or_else(|| unreadable(format!("{symbol}: no latest trade")))?;
    let previous = snapshot.prev_daily_bar.map(|b| b.c).filter(|c| *c > 0.0);
    let change = previous.map_or(0.0, |prev| trade.p - prev);
    Ok(Quote {
        symbol: symbol.to_ascii_uppercase(),
        price: trade.p,
        change: (change * 100.0).round() / 100.0,
        change_percent: previous.map_or(0.0, |prev| (change / prev * 10_000.0).round() / 100.0),
        volume: snapshot.daily_bar.map_or(0, |b| b.v.max(0.0) as u64),
        timestamp: time::whole_seconds_utc(&trade.t).unwrap_or_default(),
    })
}

/// One page of a bars answer.
#[derive(Debug, Clone, PartialEq)]
pub struct BarsPage {
    /// Per symbol asked, its bars on this page, oldest first (empty if none).
    pub bars: PerSymbol<Vec<Bar>>,
    /// Where the next page starts, if there is one.
    pub next_page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawBars {
    #[serde(default)]
    bars: Option<std::collections::BTreeMap<String, Vec<DayBar>>>,
    #[serde(default)]
    next_page_token: Option<String>,
}

/// Reads one page of a bars answer for `symbols`.
pub fn read_bars(answer: Answer<'_>, symbols: &[String]) -> Result<BarsPage, ProviderError> {
    if let Some(error) = refused(&answer, symbols) {
        return Err(error);
    }
    let raw: RawBars = serde_json::from_str(answer.body).map_err(|e| unreadable(e.to_string()))?;
    let all = raw.bars.unwrap_or_default();
    let bars = symbols
        .iter()
        .map(|symbol| {
            let list = all.iter().find(|(k, _)| k.eq_ignore_ascii_case(symbol)).map(|(_, v)| v);
            let mut bars: Vec<Bar> = list
                .into_iter()
                .flatten()
                .map(|b| Bar {
                    date: b.t.chars().take(10).collect(),
                    open: b.o,
                    high: b.h,
                    low: b.l,
                    close: b.c,
                    volume: b.v.max(0.0) as u64,
                })
                .collect();
            bars.sort_by(|a, b| a.date.cmp(&b.date));
            (symbol.clone(), Ok(bars))
        })
        .collect();
    Ok(BarsPage { bars, next_page_token: raw.next_page_token.filter(|t| !t.is_empty()) })
}
