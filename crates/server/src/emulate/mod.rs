//! Provider emulation: Twelve Data and Alpaca Market Data answering in their
//! own formats, with their own errors and budgets, from the simulated market —
//! so the app's direct mode and the server's provider mode can be tested
//! end to end without a key or the network.
//!
//! - `GET /emulate/twelvedata/quote?symbol=A,B` and
//!   `GET /emulate/twelvedata/time_series?symbol=A,B&interval=1day&outputsize=N`
//!   ([`twelvedata`]): every error in the body with HTTP 200; each symbol a
//!   credit, 8 a minute and 800 a day (`--emulate-twelvedata-per-day`).
//! - `GET /emulate/alpaca/v2/stocks/snapshots?symbols=A,B` and
//!   `GET /emulate/alpaca/v2/stocks/bars?symbols=A,B&timeframe=1Day&start=…`
//!   ([`alpaca`]): 200 requests a minute, `X-RateLimit-*` on every answer.
//! - `GET /emulate/_stats` (credits asked and served per window) and
//!   `DELETE /emulate/_stats`.
//!
//! Windows are fixed, aligned to multiples of the emulated minute
//! (`--emulate-minute-ms`) since the Unix epoch ([`window`]). No Bearer key:
//! each provider checks its own.

mod alpaca;
mod day;
mod twelvedata;
mod window;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::{
    Json, Router,
    extract::{OriginalUri, Query, State},
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;

use window::{Account, Allowance, EmulatorClock};
pub use window::{EmulatorStats, ProviderStats, WindowStats};

use crate::{config::Config, state::AppState};

/// The emulator's state: its clock and each provider's budget and counters.
#[derive(Debug)]
pub(crate) struct Emulator {
    clock: EmulatorClock,
    twelvedata: Mutex<Account>,
    alpaca: Mutex<Account>,
}

impl Emulator {
    pub(crate) fn new(config: &Config) -> Self {
        let minute_ms = (config.emulate.minute.as_millis() as u64).max(1);
        let twelvedata = providers::twelvedata::LIMITS;
        Emulator {
            clock: EmulatorClock::new(config.frozen_time),
            twelvedata: Mutex::new(Account::new(Allowance {
                minute_ms,
                per_minute: twelvedata.per_minute,
                per_day: Some(config.emulate.twelvedata_per_day.max(1)),
            })),
            alpaca: Mutex::new(Account::new(Allowance {
                minute_ms,
                per_minute: config.emulate.alpaca_per_minute.max(1),
                per_day: None,
            })),
        }
    }

    fn twelvedata(&self) -> MutexGuard<'_, Account> {
        self.twelvedata.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn alpaca(&self) -> MutexGuard<'_, Account> {
        self.alpaca.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stats(&self) -> EmulatorStats {
        EmulatorStats { twelvedata: self.twelvedata().stats(), alpaca: self.alpaca().stats() }
    }

    fn reset_stats(&self) {
        self.twelvedata().reset_stats();
        self.alpaca().reset_stats();
    }
}

/// The emulator's routes, to nest under `/emulate`.
pub(crate) fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/twelvedata/quote", get(twelvedata::quote_show))
        .route("/twelvedata/time_series", get(twelvedata::time_series_show))
        .route("/alpaca/v2/stocks/snapshots", get(alpaca::snapshots_show))
        .route("/alpaca/v2/stocks/bars", get(alpaca::bars_show))
        .route("/_stats", get(stats_show).delete(stats_reset))
        .fallback(emulate_not_found)
        .with_state(state)
}

/// `GET /emulate/_stats`.
async fn stats_show(State(state): State<Arc<AppState>>) -> Json<EmulatorStats> {
    Json(state.emulator.stats())
}

/// `DELETE /emulate/_stats`: counters start afresh; what was spent still
/// counts against the budgets, as a real provider would not forget it.
async fn stats_reset(State(state): State<Arc<AppState>>) -> StatusCode {
    state.emulator.reset_stats();
    StatusCode::NO_CONTENT
}

/// Any other path under `/emulate`.
async fn emulate_not_found(OriginalUri(uri): OriginalUri) -> Response {
    let path: String = uri.path().chars().take(100).collect();
    (StatusCode::NOT_FOUND, Json(json!({ "message": format!("no such emulated endpoint: {path}") }))).into_response()
}

/// A request's query parameters, names in lower case (Twelve Data's are
/// case-insensitive); the first of a repeated name wins.
#[derive(Debug, Default)]
struct Params(Vec<(String, String)>);

impl Params {
    fn of(uri: &Uri) -> Params {
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        Params(pairs.into_iter().map(|(name, value)| (name.to_ascii_lowercase(), value)).collect())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The comma-separated symbols of `list`, trimmed and upper-cased, each once,
/// in the order asked.
fn symbol_list(list: &str) -> Vec<String> {
    let mut symbols: Vec<String> = Vec::new();
    for symbol in list.split(',').map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty()) {
        if !symbols.contains(&symbol) {
            symbols.push(symbol);
        }
    }
    symbols
}

/// The listing the simulated market has for `symbol`, if it is a valid one.
fn listing(symbol: &str) -> Option<&'static market::universe::Listing> {
    market::Symbol::parse(symbol).ok().and_then(|s| market::universe::find(s.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_lists_are_trimmed_upper_cased_and_deduplicated() {
        assert_eq!(symbol_list(" aapl, MSFT,,aapl ,brk.b"), ["AAPL", "MSFT", "BRK.B"]);
        assert!(symbol_list(" , ").is_empty());
    }

    #[test]
    fn parameter_names_are_case_insensitive() {
        let params = Params::of(&"/q?Symbol=AAPL&symbol=MSFT&apikey=a%2Bb".parse().unwrap());
        assert_eq!(params.get("symbol"), Some("AAPL"));
        assert_eq!(params.get("apikey"), Some("a+b"));
        assert_eq!(params.get("interval"), None);
    }
}
