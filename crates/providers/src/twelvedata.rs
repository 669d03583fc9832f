//! Twelve Data (`https://api.twelvedata.com`): `quote` and `time_series` for
//! many symbols in one call, each symbol a credit; numbers arrive as strings;
//! the key goes in `Authorization: apikey …`. An error is a JSON body
//! `{"code": 429, "message": …, "status": "error"}` — possibly with HTTP 200,
//! so the body is read, not only the status. A batch answer is an object
//! keyed by symbol, each value a quote or its own error; a one-symbol answer
//! is the bare object.

use std::time::Duration;

use market::{Bar, Quote};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{Cost, HttpGet, Limits, PerSymbol, ProviderError, ProviderId, number, shorten, until_next_window};

/// Where the real API lives.
pub const BASE_URL: &str = "https://api.twelvedata.com";

/// The free ("Basic") plan: 8 credits a minute, 800 a day; up to 120 symbols a
/// call (so on the free plan, 8: a batch never costs more than a minute buys).
pub const LIMITS: Limits = Limits { batch: 120, per_minute: 8, per_day: Some(800), cost: Cost::PerSymbol };

const ID: ProviderId = ProviderId::TwelveData;

fn get(base: &str, key: &str, path_and_query: String) -> HttpGet {
    HttpGet {
        url: format!("{}{path_and_query}", base.trim_end_matches('/')),
        headers: vec![("Authorization", format!("apikey {key}"))],
    }
}

/// `GET /quote?symbol=A,B,…`.
pub fn quotes_request(base: &str, key: &str, symbols: &[String]) -> HttpGet {
    get(base, key, format!("/quote?symbol={}", symbols.join(",")))
}

/// `GET /time_series?symbol=A,B,…&interval=1day&outputsize=N`: the last `days` daily bars.
pub fn history_request(base: &str, key: &str, symbols: &[String], days: usize) -> HttpGet {
    get(base, key, format!("/time_series?symbol={}&interval=1day&outputsize={days}", symbols.join(",")))
}

/// The error body every endpoint uses.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: u16,
    #[serde(default)]
    message: String,
}

/// A quote as Twelve Data writes it (numbers as strings).
#[derive(Debug, Deserialize)]
struct TdQuote {
    symbol: String,
    #[serde(deserialize_with = "number::float")]
    close: f64,
    #[serde(default, deserialize_with = "number::float_opt")]
    previous_close: Option<f64>,
    #[serde(default, deserialize_with = "number::float_opt")]
    change: Option<f64>,
    #[serde(default, deserialize_with = "number::float_opt")]
    percent_change: Option<f64>,
    #[serde(default, deserialize_with = "number::float_opt")]
    volume: Option<f64>,
    /// Unix seconds of the last minute quoted (the quote's own time).
    #[serde(default)]
    last_quote_at: Option<i64>,
    /// Unix seconds of the opening of the current candle (the day's, daily).
    #[serde(default)]
    timestamp: Option<i64>,
    /// `YYYY-MM-DD` (or with a time) of the last price.
    #[serde(default)]
    datetime: Option<String>,
}

/// One bar of a time series.
#[derive(Debug, Deserialize)]
struct TdBar {
    datetime: String,
    #[serde(deserialize_with = "number::float")]
    open: f64,
    #[serde(deserialize_with = "number::float")]
    high: f64,
    #[serde(deserialize_with = "number::float")]
    low: f64,
    #[serde(deserialize_with = "number::float")]
    close: f64,
    #[serde(default, deserialize_with = "number::float_opt")]
    volume: Option<f64>,
}

/// A time series: `values` newest first (unless asked otherwise).
#[derive(Debug, Deserialize)]
struct TdSeries {
    #[serde(default)]
    values: Vec<TdBar>,
}

/// What the clock says, for "rate limited until the next minute": now (ms
/// since the Unix epoch) and the length of the provider's minute.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Milliseconds since the Unix epoch.
    pub now_ms: u64,
    /// The provider's minute (60 s; shorter against the emulator).
    pub minute: Duration,
}

fn unreadable(detail: impl Into<String>) -> ProviderError {
    ProviderError::Unreadable { provider: ID, detail: detail.into() }
}

/// The error `code` and `message` stand for, about `symbol` if one.
fn classify(code: u16, message: &str, symbol: Option<&str>, clock: Clock) -> ProviderError {
    let lower = message.to_ascii_lowercase();
    match code {
        401 | 403 => ProviderError::BadKey { provider: ID },
        // "…for the current minute…" or "…for the day…": the budget renews then.
        429 if lower.contains("for the day") => ProviderError::DayBudgetSpent {
            provider: ID,
            renews_in: until_next_window(clock.now_ms, clock.minute * crate::day::MINUTES_PER_DAY),
        },
        429 => ProviderError::RateLimited { provider: ID, retry_after: until_next_window(clock.now_ms, clock.minute) },
        400 | 404 if lower.contains("symbol") || lower.contains("not found") => ProviderError::UnknownSymbol {
            provider: ID,
            symbol: symbol.map_or_else(|| "the symbol".to_owned(), str::to_owned),
        },
        _ => ProviderError::Down { provider: ID, status: code, message: shorten(message) },
    }
}

/// An error body, if `value` is one: `"status": "error"`, or a numeric
/// `code` beside a string `message`.
fn error_in(value: &Value) -> Option<ErrorBody> {
    let is_error = value.get("status").and_then(Value::as_str) == Some("error")
        || (value.get("code").is_some_and(Value::is_u64) && value.get("message").is_some_and(Value::is_string));
    if !is_error {
        return None;
    }
    serde_json::from_value(value.clone()).ok()
}

/// Reads the body into a JSON object, or the whole request's error (about
/// the one symbol asked, if only one was).
fn whole(status: u16, body: &str, symbols: &[String], clock: Clock) -> Result<Map<String, Value>, ProviderError> {
    let only = match symbols {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let value: Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(_) if status >= 500 => {
            return Err(ProviderError::Down { provider: ID, status, message: shorten(body) });
        }
        Err(err) if status >= 400 => return Err(classify(status, &format!("{err}: {}", shorten(body)), None, clock)),
        Err(err) => return Err(unreadable(err.to_string())),
    };
    if let Some(error) = error_in(&value) {
        return Err(classify(error.code, &error.message, only, clock));
    }
    if status >= 400 {
        return Err(classify(status, "", only, clock));
    }
    match value {
        Value::Object(map) => Ok(map),
        other => Err(unreadable(format!("expected an object, got {}", shorten(&other.to_string())))),
    }
}

/// The answer for each symbol: a one-symbol answer is the bare object; a
/// batch is keyed by symbol. `read` gets each symbol's value, its own error
/// included (it knows which errors mean "nothing", as "no data is available").
fn per_symbol<T>(
    map: Map<String, Value>,
    symbols: &[String],
    read: impl Fn(&str, Value) -> Result<T, ProviderError>,
) -> PerSymbol<T> {
    if let [only] = symbols {
        return vec![(only.clone(), read(only, Value::Object(map)))];
    }
    let find = |symbol: &str| map.iter().find(|(key, _)| key.eq_ignore_ascii_case(symbol)).map(|(_, v)| v.clone());
    symbols
        .iter()
        .map(|symbol| {
            let result = match find(symbol) {
                None => Err(unreadable(format!("the answer left out {symbol}"))),
                Some(value) => read(symbol, value),
            };
            (symbol.clone(), result)
        })
        .collect()
}

/// Reads a `quote` answer for `symbols` (as asked) into our quotes.
pub fn read_quotes(
    status: u16,
    body: &str,
    symbols: &[String],
    clock: Clock,
) -> Result<PerSymbol<Quote>, ProviderError> {
    let map = whole(status, body, symbols, clock)?;
    Ok(per_symbol(map, symbols, |symbol, value| {
        if let Some(error) = error_in(&value) {
            return Err(classify(error.code, &error.message, Some(symbol), clock));
        }
        let quote: TdQuote = serde_json::from_value(value).map_err(|e| unreadable(format!("{symbol}: {e}")))?;
        Ok(to_quote(quote))
    }))
}

fn to_quote(q: TdQuote) -> Quote {
    let change = q.change.or_else(|| q.previous_close.map(|prev| q.close - prev)).unwrap_or(0.0);
    let change_percent = q
        .percent_change
        .or_else(|| q.previous_close.filter(|p| *p != 0.0).map(|prev| change / prev * 100.0))
        .unwrap_or(0.0);
    let timestamp = match (q.last_quote_at.or(q.timestamp), q.datetime.as_deref()) {
        (Some(seconds), _) => crate::time::rfc3339(seconds),
        (None, Some(date)) if date.len() >= 10 => format!("{}T00:00:00Z", &date[..10]),
        _ => String::new(),
    };
    Quote {
        symbol: q.symbol.to_ascii_uppercase(),
        price: q.close,
        change,
        change_percent,
        volume: q.volume.unwrap_or(0.0).max(0.0) as u64,
        timestamp,
    }
}

/// Reads a `time_series` answer for `symbols` into daily bars, oldest first.
/// "No data is available" is an empty history, not an error.
pub fn read_history(
    status: u16,
    body: &str,
    symbols: &[String],
    clock: Clock,
) -> Result<PerSymbol<Vec<Bar>>, ProviderError> {
    let map = match whole(status, body, symbols, clock) {
        Err(ProviderError::Down { message, .. }) if message.to_ascii_lowercase().contains("no data is available") => {
            return Ok(symbols.iter().map(|s| (s.clone(), Ok(Vec::new()))).collect());
        }
        other => other?,
    };
    Ok(per_symbol(map, symbols, |symbol, value| {
        if let Some(error) = error_in(&value) {
            if error.message.to_ascii_lowercase().contains("no data is available") {
                return Ok(Vec::new());
            }
            return Err(classify(error.code, &error.message, Some(symbol), clock));
        }
        let series: TdSeries = serde_json::from_value(value).map_err(|e| unreadable(format!("{symbol}: {e}")))?;
        let mut bars: Vec<Bar> = series
            .values
            .into_iter()
            .map(|b| Bar {
                date: b.datetime.chars().take(10).collect(),
                open: b.open,
                high: b.high,
                low: b.low,
                close: b.close,
                volume: b.volume.unwrap_or(0.0).max(0.0) as u64,
            })
            .collect();
        // Newest first by default; the same day twice is kept once.
        bars.sort_by(|a, b| a.date.cmp(&b.date));
        bars.dedup_by(|a, b| a.date == b.date);
        Ok(bars)
    }))
}
