//! Twelve Data, emulated: `quote` and `time_series` in its own format
//! (numbers as strings with five decimals; one symbol a bare object, two or
//! more an object keyed by symbol), every error as
//! `{"code", "message", "status": "error"}` in the body of an HTTP 200, and
//! its credit budget: each symbol a credit, a request that does not fit the
//! minute (or the day) refused whole.

use std::sync::Arc;

use axum::{
    Json,
    extract::{OriginalUri, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use market::{Bar, Period, sim::Market, universe::Listing};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::{Params, day::Day, listing, symbol_list, window::Refusal};
use crate::state::AppState;

/// The only interval emulated.
const DAILY: &str = "1day";
/// `outputsize` when none is given, and the most allowed.
const DEFAULT_OUTPUTSIZE: usize = 30;
const MAX_OUTPUTSIZE: usize = 5000;
/// Every listing of the simulated market is presented as this exchange's.
const EXCHANGE: &str = "NASDAQ";
const MIC_CODE: &str = "XNAS";
/// Days for `average_volume` (Twelve Data's `volume_time_period` default).
const AVERAGE_VOLUME_DAYS: usize = 9;

/// `GET /emulate/twelvedata/quote?symbol=A,B,…`.
pub(super) async fn quote_show(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let params = Params::of(&uri);
    let answer = admit(&state, &headers, &params).and_then(|symbols| {
        match params.get("interval") {
            None | Some(DAILY) => Ok(()),
            Some(other) => Err(bad_interval(other)),
        }?;
        spend(&state, &symbols)?;
        let now = state.now();
        Ok(per_symbol(&symbols, |listing| quote(&state.market, listing, now)))
    });
    reply(answer)
}

/// `GET /emulate/twelvedata/time_series?symbol=A,B,…&interval=1day&outputsize=N&order=asc|desc`.
pub(super) async fn time_series_show(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let params = Params::of(&uri);
    let answer = admit(&state, &headers, &params).and_then(|symbols| {
        match params.get("interval") {
            Some(DAILY) => Ok(()),
            other => Err(bad_interval(other.unwrap_or(""))),
        }?;
        let outputsize = match params.get("outputsize") {
            None => DEFAULT_OUTPUTSIZE,
            Some(text) => {
                text.trim().parse::<usize>().ok().filter(|n| (1..=MAX_OUTPUTSIZE).contains(n)).ok_or_else(|| {
                    error(400, format!("**outputsize** must be from 1 to {MAX_OUTPUTSIZE}; got {text}"))
                })?
            }
        };
        let newest_first = match params.get("order").map(str::to_ascii_lowercase).as_deref() {
            None | Some("desc") => true,
            Some("asc") => false,
            Some(other) => return Err(error(400, format!("**order** must be asc or desc; got {other}"))),
        };
        spend(&state, &symbols)?;
        let now = state.now();
        Ok(per_symbol(&symbols, |listing| series(&state.market, listing, now, outputsize, newest_first)))
    });
    reply(answer)
}

/// Every answer is an HTTP 200; an error is told by its body.
fn reply(answer: Result<Value, Value>) -> Response {
    Json(answer.unwrap_or_else(|error| error)).into_response()
}

/// A Twelve Data error body.
fn error(code: u16, message: String) -> Value {
    json!({ "code": code, "message": message, "status": "error" })
}

fn bad_interval(asked: &str) -> Value {
    error(400, format!("Invalid **interval** provided: {asked}. Supported intervals (emulated): {DAILY}"))
}

fn unknown_symbol(symbol: &str) -> Value {
    error(404, format!("**symbol** not found: {symbol}. Please specify it correctly according to API Documentation."))
}

/// Counts the request, checks its key (`Authorization: apikey KEY` or
/// `?apikey=`) and reads its symbols.
fn admit(state: &AppState, headers: &HeaderMap, params: &Params) -> Result<Vec<String>, Value> {
    state.emulator.twelvedata().arrive();
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("apikey"))
        .map(|(_, key)| key.trim());
    let key = from_header.or_else(|| params.get("apikey").map(str::trim));
    if key != Some(state.config.emulate.key.as_str()) {
        return Err(error(
            401,
            "**apikey** parameter is incorrect or not specified. You can get your free API key instantly following \
             this link: https://twelvedata.com/pricing. If you believe that everything is correct, you can contact us \
             at https://twelvedata.com/contact/customer"
                .to_owned(),
        ));
    }
    let symbols = symbol_list(params.get("symbol").unwrap_or(""));
    if symbols.is_empty() {
        return Err(error(
            400,
            "**symbol** or **figi** parameter is missing or invalid. Please provide a valid symbol according to API \
             documentation: https://twelvedata.com/docs#reference-data"
                .to_owned(),
        ));
    }
    Ok(symbols)
}

/// Spends a credit per symbol, or refuses the whole request.
fn spend(state: &AppState, symbols: &[String]) -> Result<(), Value> {
    let now_ms = state.emulator.clock.now_ms();
    state.emulator.twelvedata().ask(now_ms, symbols.len() as u32).map_err(|refusal| {
        let (span, next, used, limit) = match refusal {
            Refusal::Minute { used, limit } => ("the current minute", "minute", used, limit),
            Refusal::Day { used, limit } => ("the day", "day", used, limit),
        };
        error(
            429,
            format!(
                "You have run out of API credits for {span}. {used} API credits were used, with the current limit \
                 being {limit}. Wait for the next {next} or consider switching to a higher tier plan at \
                 https://twelvedata.com/pricing"
            ),
        )
    })
}

/// One symbol: its bare answer; more: an object keyed by symbol, an unknown
/// one's error under its key.
fn per_symbol(symbols: &[String], answer: impl Fn(&Listing) -> Value) -> Value {
    let one = |symbol: &str| listing(symbol).map_or_else(|| unknown_symbol(symbol), &answer);
    match symbols {
        [only] => one(only),
        many => Value::Object(many.iter().map(|symbol| (symbol.clone(), one(symbol))).collect::<Map<_, _>>()),
    }
}

/// A number as Twelve Data writes it: a string, five decimals.
fn dp5(number: f64) -> String {
    format!("{number:.5}")
}

/// A `quote` answer: the day's candle so far (`timestamp` is its opening,
/// as documented; `last_quote_at` the last minute's).
fn quote(market: &Market, listing: &Listing, now: OffsetDateTime) -> Value {
    let day = Day::of(market, listing, now);
    let year = market.history(listing, Period::OneYear, now).bars;
    let (year_low, year_high) =
        year.iter().fold((day.low, day.high), |(low, high), bar| (low.min(bar.low), high.max(bar.high)));
    let recent = &year[year.len().saturating_sub(AVERAGE_VOLUME_DAYS)..];
    let average_volume = recent.iter().map(|bar| bar.volume).sum::<u64>() / recent.len().max(1) as u64;
    let price = day.quote.price;
    let last_minute = now.unix_timestamp() - now.unix_timestamp().rem_euclid(60);
    json!({
        "symbol": listing.symbol,
        "name": listing.name,
        "exchange": EXCHANGE,
        "mic_code": MIC_CODE,
        "currency": "USD",
        "datetime": day.opened_at.date().to_string(),
        "timestamp": day.opened_at.unix_timestamp(),
        "last_quote_at": last_minute,
        "open": dp5(day.open),
        "high": dp5(day.high),
        "low": dp5(day.low),
        "close": dp5(price),
        "volume": day.quote.volume.to_string(),
        "previous_close": dp5(day.previous_close()),
        "change": dp5(day.quote.change),
        "percent_change": dp5(day.quote.change_percent),
        "average_volume": average_volume.to_string(),
        "is_market_open": !matches!(now.weekday(), time::Weekday::Saturday | time::Weekday::Sunday),
        "fifty_two_week": {
            "low": dp5(year_low),
            "high": dp5(year_high),
            "low_change": dp5(price - year_low),
            "high_change": dp5(price - year_high),
            "low_change_percent": dp5((price - year_low) / year_low * 100.0),
            "high_change_percent": dp5((price - year_high) / year_high * 100.0),
            "range": format!("{year_low} - {year_high}"),
        },
    })
}

/// A `time_series` answer: the last `outputsize` daily bars before today.
fn series(market: &Market, listing: &Listing, now: OffsetDateTime, outputsize: usize, newest_first: bool) -> Value {
    let bars = market.history(listing, Period::FiveYears, now).bars;
    let mut bars: Vec<&Bar> = bars.iter().skip(bars.len().saturating_sub(outputsize)).collect();
    if newest_first {
        bars.reverse();
    }
    let values: Vec<Value> = bars
        .into_iter()
        .map(|bar| {
            json!({
                "datetime": bar.date,
                "open": dp5(bar.open),
                "high": dp5(bar.high),
                "low": dp5(bar.low),
                "close": dp5(bar.close),
                "volume": bar.volume.to_string(),
            })
        })
        .collect();
    json!({
        "meta": {
            "symbol": listing.symbol,
            "interval": DAILY,
            "currency": "USD",
            "exchange_timezone": "America/New_York",
            "exchange": EXCHANGE,
            "mic_code": MIC_CODE,
            "type": "Common Stock",
        },
        "values": values,
        "status": "ok",
    })
}
