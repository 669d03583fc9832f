//! The market API's contract, shared by the app and the server.
//!
//! - [`types`]: the JSON bodies of `/api/v1` (quotes, history, portfolio, errors).
//! - [`symbol`]: what a ticker symbol may look like, and how input is normalised.
//! - [`period`]: the history periods and how many daily bars each holds.
//! - [`indicators`]: moving averages, the 52-week range, returns.
//!
//! Behind the `sim` feature (the server's, never the app's): [`universe`], the fixed
//! list of known symbols, and [`sim`], a deterministic simulated market.

pub mod indicators;
pub mod period;
pub mod plausible;
pub mod symbol;
pub mod types;

#[cfg(feature = "sim")]
pub mod sim;
#[cfg(feature = "sim")]
pub mod universe;

pub use period::{Period, PeriodError};
pub use plausible::Plausible;
pub use symbol::{Symbol, SymbolError};
pub use types::{
    Bar, BatchQuotes, ErrorBody, ErrorResponse, History, Portfolio, Position, Quote, ServerStats, SymbolFailure,
    SymbolMatch, SymbolSearch,
};
