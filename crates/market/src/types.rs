//! The JSON bodies of the market API (`/api/v1`).
//!
//! Conventions, the same on every type:
//! - field names are `snake_case`;
//! - money is a JSON number in US dollars, rounded to cents (`187.42`);
//! - volumes and share counts of whole units are JSON integers;
//! - instants are RFC 3339 strings in UTC with a `Z` suffix (`2026-11-26T14:30:05Z`),
//!   dates are ISO 8601 calendar dates (`2026-11-25`).

use serde::{Deserialize, Serialize};

use crate::Period;

/// `GET /api/v1/quotes/{symbol}`: the latest price of one symbol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The normalised symbol, e.g. `"AAPL"`.
    pub symbol: String,
    /// Last traded price, in dollars.
    pub price: f64,
    /// `price` minus the previous trading day's close, in dollars.
    pub change: f64,
    /// `change` as a percentage of the previous close (`1.25` means +1.25 %).
    pub change_percent: f64,
    /// Shares traded so far today.
    pub volume: u64,
    /// When this price was current: RFC 3339, UTC (`2026-11-26T14:30:05Z`).
    pub timestamp: String,
}

/// One trading day of price history (OHLCV).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// The trading day, `YYYY-MM-DD`.
    pub date: String,
    /// First price of the day, in dollars.
    pub open: f64,
    /// Highest price of the day, in dollars.
    pub high: f64,
    /// Lowest price of the day, in dollars.
    pub low: f64,
    /// Last price of the day, in dollars.
    pub close: f64,
    /// Shares traded that day.
    pub volume: u64,
}

/// `GET /api/v1/history/{symbol}?period=1y`: daily bars, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The normalised symbol.
    pub symbol: String,
    /// The period asked for; `bars` holds [`Period::trading_days`] bars.
    pub period: Period,
    /// Daily bars, oldest first, ending with the last full trading day.
    pub bars: Vec<Bar>,
}

/// One holding in the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// The normalised symbol.
    pub symbol: String,
    /// Shares held (whole shares in the simulated market; fractional elsewhere).
    pub quantity: f64,
    /// Average price paid per share, in dollars.
    pub average_cost: f64,
}

/// `GET /api/v1/portfolio`: cash and positions. Its market value is not sent:
/// whoever shows it computes it from live quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Portfolio {
    /// Uninvested cash, in dollars.
    pub cash: f64,
    /// Holdings, in the order the account lists them.
    pub positions: Vec<Position>,
}

/// `GET /api/v1/quotes?symbols=A,B,…`: the quotes that could be answered, and
/// beside them one error per symbol that could not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchQuotes {
    /// Quotes in the order the symbols were asked for (duplicates once).
    pub quotes: Vec<Quote>,
    /// One entry per symbol without a quote.
    pub errors: Vec<SymbolFailure>,
}

/// Why one symbol of a batch has no quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolFailure {
    /// The symbol as asked for (normalised when it could be).
    pub symbol: String,
    /// The same shape as a whole-request error.
    pub error: ErrorBody,
}

/// One match of `GET /api/v1/symbols?q=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolMatch {
    /// The symbol.
    pub symbol: String,
    /// The company's name.
    pub name: String,
    /// Its sector.
    pub sector: String,
}

/// `GET /api/v1/symbols?q=…`: matches, best first, at most 20.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymbolSearch {
    /// The matches, best first.
    pub results: Vec<SymbolMatch>,
}

/// `GET /api/v1/_stats`: what the server has seen since it started or was
/// last reset (`DELETE /api/v1/_stats`). For tests and the lab.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerStats {
    /// Requests per endpoint name (`quote`, `batch`, `history`, `portfolio`,
    /// `symbols`), counted when they arrive.
    pub requests: std::collections::BTreeMap<String, u64>,
    /// Requests being answered right now (this one included).
    pub in_flight: u64,
    /// The most requests in flight at once.
    pub max_in_flight: u64,
    /// Requests whose client went away before the answer was complete.
    pub aborted: u64,
}

/// Every error the API returns: `{ "error": { "code", "message" } }`, with a
/// matching HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// What went wrong.
    pub error: ErrorBody,
}

/// The inside of an [`ErrorResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable, machine-readable code: `bad_request`, `unauthorized`,
    /// `unknown_symbol`, `not_found`, `rate_limited`, `internal`, `unavailable`,
    /// `uri_too_long`, `payload_too_large`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

impl ErrorResponse {
    /// Builds an error body from a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorResponse { error: ErrorBody { code: code.into(), message: message.into() } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_has_the_documented_json_shape() {
        let quote = Quote {
            symbol: "AAPL".into(),
            price: 187.42,
            change: -1.08,
            change_percent: -0.57,
            volume: 1_234_567,
            timestamp: "2026-11-26T14:30:05Z".into(),
        };
        let json = serde_json::to_value(&quote).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "symbol": "AAPL", "price": 187.42, "change": -1.08,
                "change_percent": -0.57, "volume": 1234567,
                "timestamp": "2026-11-26T14:30:05Z"
            })
        );
        assert_eq!(serde_json::from_value::<Quote>(json).unwrap(), quote);
    }

    #[test]
    fn errors_nest_code_and_message() {
        let json = serde_json::to_value(ErrorResponse::new("unknown_symbol", "no such symbol")).unwrap();
        assert_eq!(json, serde_json::json!({"error": {"code": "unknown_symbol", "message": "no such symbol"}}));
    }
}
