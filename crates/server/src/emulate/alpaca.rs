//! Alpaca Market Data v2, emulated: multi-symbol `snapshots` and daily
//! `bars` in its own format (JSON numbers, RFC 3339 stamps, bars paged by
//! `next_page_token`), keys in `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`
//! (403 otherwise), a malformed symbol failing the whole request (400), and
//! its request budget with `X-RateLimit-*` on every answer (429 beyond).

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    Json,
    extract::{OriginalUri, State},
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use market::{Bar, Period, sim::Market, sim::splitmix, universe::Listing};
use serde_json::{Map, Value, json};
use time::{Date, Duration, OffsetDateTime, format_description::well_known::Iso8601};

use super::{
    Params,
    day::{Day, rfc3339_nanos},
    listing, symbol_list,
};
use crate::state::AppState;

/// `limit` when none is given, and the most allowed.
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 10_000;
/// IEX, the free plan's exchange, and the tape of a NASDAQ listing.
const EXCHANGE: &str = "V";
const TAPE: &str = "C";

/// `GET /emulate/alpaca/v2/stocks/snapshots?symbols=A,B&feed=iex`.
pub(super) async fn snapshots_show(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let params = Params::of(&uri);
    let answer = admit(&state, &headers, &params).map(|symbols| {
        let now = state.now();
        let body: Map<String, Value> = symbols
            .into_iter()
            .map(|symbol| {
                let snapshot = listing(&symbol).map_or(Value::Null, |listing| snapshot(&state.market, listing, now));
                (symbol, snapshot)
            })
            .collect();
        Json(Value::Object(body)).into_response()
    });
    with_rate_headers(&state, answer.unwrap_or_else(IntoResponse::into_response))
}

/// `GET /emulate/alpaca/v2/stocks/bars?symbols=A,B&timeframe=1Day&start=YYYY-MM-DD[&end=…]&limit=N&page_token=…`.
pub(super) async fn bars_show(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let params = Params::of(&uri);
    let answer = admit(&state, &headers, &params).and_then(|symbols| {
        let query = BarsQuery::read(&params, state.now().date())?;
        Ok(Json(bars_page(&state.market, &symbols, &query, state.now())).into_response())
    });
    with_rate_headers(&state, answer.unwrap_or_else(IntoResponse::into_response))
}

/// An Alpaca error: `{"code"?, "message"}` with its HTTP status.
#[derive(Debug)]
struct Refused {
    status: StatusCode,
    code: Option<u32>,
    message: String,
}

fn refuse(status: StatusCode, code: Option<u32>, message: impl Into<String>) -> Refused {
    Refused { status, code, message: message.into() }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let body = match self.code {
            Some(code) => json!({ "code": code, "message": self.message }),
            None => json!({ "message": self.message }),
        };
        (self.status, Json(body)).into_response()
    }
}

/// Counts the request, checks both keys, spends a request of the minute's
/// budget and validates the symbols (one malformed fails them all).
fn admit(state: &AppState, headers: &HeaderMap, params: &Params) -> Result<Vec<String>, Refused> {
    state.emulator.alpaca().arrive();
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    let keys = &state.config.emulate;
    if header("apca-api-key-id") != Some(keys.key.as_str())
        || header("apca-api-secret-key") != Some(keys.secret.as_str())
    {
        return Err(refuse(StatusCode::FORBIDDEN, None, "forbidden."));
    }
    let now_ms = state.emulator.clock.now_ms();
    if state.emulator.alpaca().ask(now_ms, 1).is_err() {
        return Err(refuse(StatusCode::TOO_MANY_REQUESTS, Some(42_910_000), "too many requests"));
    }
    let raw = params.get("symbols").unwrap_or("");
    if let Some(bad) = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .find(|s| s.contains(':') || market::Symbol::parse(s).is_err())
    {
        return Err(refuse(StatusCode::BAD_REQUEST, None, format!("invalid symbol: {bad}")));
    }
    let symbols = symbol_list(raw);
    if symbols.is_empty() {
        return Err(refuse(StatusCode::BAD_REQUEST, None, "missing symbols"));
    }
    Ok(symbols)
}

/// Adds `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix seconds when the
/// current window ends).
fn with_rate_headers(state: &AppState, mut response: Response) -> Response {
    let now_ms = state.emulator.clock.now_ms();
    let (remaining, ends_ms) = state.emulator.alpaca().remaining(now_ms);
    let limit = state.config.emulate.alpaca_per_minute.max(1);
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(limit)),
        ("x-ratelimit-remaining", u64::from(remaining)),
        ("x-ratelimit-reset", ends_ms.div_ceil(1000)),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
    response
}

/// A stable number for `symbol` and `purpose` (sizes, trade ids).
fn draw(symbol: &str, purpose: u64) -> u64 {
    splitmix(symbol.bytes().fold(purpose, |hash, byte| splitmix(hash ^ u64::from(byte))))
}

/// A daily bar's stamp: midnight in New York, in UTC.
fn day_stamp(date: &str) -> String {
    format!("{date}T05:00:00Z")
}

/// An Alpaca bar: `t`, `o`, `h`, `l`, `c`, `v`, `n` (trades), `vw` (VWAP).
fn bar(t: String, open: f64, high: f64, low: f64, close: f64, volume: u64) -> Value {
    let vwap = ((high + low + close) / 3.0 * 10_000.0).round() / 10_000.0;
    json!({ "t": t, "o": open, "h": high, "l": low, "c": close, "v": volume, "n": (volume / 150).max(1), "vw": vwap })
}

fn daily(b: &Bar) -> Value {
    bar(day_stamp(&b.date), b.open, b.high, b.low, b.close, b.volume)
}

/// One symbol's snapshot now.
fn snapshot(market: &Market, listing: &Listing, now: OffsetDateTime) -> Value {
    let day = Day::of(market, listing, now);
    let symbol = listing.symbol.as_str();
    let price = day.quote.price;
    let half_spread = (price * 0.0001).max(0.01);
    let cents = |dollars: f64| (dollars * 100.0).round() / 100.0;
    let stamp = rfc3339_nanos(now);
    let second = now.unix_timestamp().max(0) as u64;
    let minute_start =
        now - Duration::seconds(i64::from(now.second())) - Duration::nanoseconds(i64::from(now.nanosecond()));
    let minute = minute_bar(market, listing, minute_start - Duration::MINUTE);
    json!({
        "latestTrade": {
            "t": stamp, "x": EXCHANGE, "p": price, "s": 1 + draw(symbol, second) % 300, "c": ["@"],
            "i": second % 1_000_000_000 * 1000 + draw(symbol, 1) % 1000, "z": TAPE,
        },
        "latestQuote": {
            "t": stamp, "ax": EXCHANGE, "ap": cents(price + half_spread), "as": 1 + draw(symbol, second ^ 2) % 9,
            "bx": EXCHANGE, "bp": cents(price - half_spread), "bs": 1 + draw(symbol, second ^ 3) % 9,
            "c": ["R"], "z": TAPE,
        },
        "minuteBar": minute,
        "dailyBar": bar(day_stamp(&day.opened_at.date().to_string()), day.open, day.high, day.low, price, day.quote.volume),
        "prevDailyBar": day.previous.as_ref().map_or(Value::Null, daily),
    })
}

/// The bar of the minute starting at `start`, sampled every five seconds.
fn minute_bar(market: &Market, listing: &Listing, start: OffsetDateTime) -> Value {
    let quotes: Vec<market::Quote> = (0..12).map(|i| market.quote(listing, start + Duration::seconds(i * 5))).collect();
    let end = market.quote(listing, start + Duration::seconds(59));
    let prices = quotes.iter().map(|q| q.price).chain([end.price]);
    let (high, low) = prices.fold((f64::MIN, f64::MAX), |(h, l), p| (h.max(p), l.min(p)));
    let stamp = format!("{}Z", rfc3339_nanos(start).split('.').next().unwrap_or_default());
    bar(stamp, quotes[0].price, high, low, end.price, end.volume.saturating_sub(quotes[0].volume))
}

/// What a bars request asks for.
#[derive(Debug)]
struct BarsQuery {
    start: String,
    end: Option<String>,
    limit: usize,
    /// The first (symbol, date) of this page.
    from: Option<(String, String)>,
}

impl BarsQuery {
    fn read(params: &Params, today: Date) -> Result<BarsQuery, Refused> {
        let invalid =
            |what: &str| refuse(StatusCode::UNPROCESSABLE_ENTITY, Some(42_210_000), format!("invalid {what}"));
        match params.get("timeframe") {
            Some("1Day" | "1D") => {}
            _ => return Err(invalid("timeframe (the emulator serves 1Day)")),
        }
        if !matches!(params.get("sort"), None | Some("asc")) {
            return Err(invalid("sort (the emulator serves asc)"));
        }
        let date = |text: &str| {
            let day = text.get(..10).unwrap_or(text);
            Date::parse(day, &Iso8601::DATE).map(|d| d.to_string())
        };
        let start = match params.get("start") {
            // Alpaca's default: the start of the current day.
            None => today.to_string(),
            Some(text) => date(text).map_err(|_| invalid("start"))?,
        };
        let end = params.get("end").map(|text| date(text).map_err(|_| invalid("end"))).transpose()?;
        let limit = match params.get("limit") {
            None => DEFAULT_LIMIT,
            Some(text) => text.parse().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| invalid("limit"))?,
        };
        let from =
            params.get("page_token").map(|token| read_token(token).ok_or_else(|| invalid("page_token"))).transpose()?;
        Ok(BarsQuery { start, end, limit, from })
    }
}

/// A page token as Alpaca writes one: base64 of `SYMBOL|D|<stamp>`.
fn write_token(symbol: &str, date: &str) -> String {
    STANDARD.encode(format!("{symbol}|D|{date}T05:00:00.000000000Z"))
}

fn read_token(token: &str) -> Option<(String, String)> {
    let text = String::from_utf8(STANDARD.decode(token.trim()).ok()?).ok()?;
    let mut parts = text.split('|');
    let (symbol, _, stamp) = (parts.next()?, parts.next()?, parts.next()?);
    Some((symbol.to_owned(), stamp.get(..10)?.to_owned()))
}

/// One page of bars: sorted by symbol, then time; at most `limit` in all;
/// unknown symbols left out.
fn bars_page(market: &Market, symbols: &[String], query: &BarsQuery, now: OffsetDateTime) -> Value {
    let mut known: Vec<&Listing> = symbols.iter().filter_map(|symbol| listing(symbol)).collect();
    known.sort_by(|a, b| a.symbol.cmp(&b.symbol));
    let in_range = |b: &Bar| b.date >= query.start && query.end.as_ref().is_none_or(|end| b.date <= *end);
    let after_token = |symbol: &str, b: &Bar| {
        query
            .from
            .as_ref()
            .is_none_or(|(from_symbol, from_date)| (symbol, &b.date) >= (from_symbol.as_str(), from_date))
    };
    let mut all = known.into_iter().flat_map(|listing| {
        let bars = market.history(listing, Period::FiveYears, now).bars;
        bars.into_iter()
            .filter(|b| in_range(b) && after_token(&listing.symbol, b))
            .map(|b| (listing.symbol.as_str(), b))
    });
    let mut page: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (symbol, b) in all.by_ref().take(query.limit) {
        page.entry(symbol).or_default().push(daily(&b));
    }
    let next = all.next().map(|(symbol, b)| write_token(symbol, &b.date));
    json!({ "bars": page, "next_page_token": next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_read_back() {
        let token = write_token("AAPL", "2026-01-02");
        assert_eq!(read_token(&token), Some(("AAPL".to_owned(), "2026-01-02".to_owned())));
        assert_eq!(read_token("not base64!"), None);
    }
}
