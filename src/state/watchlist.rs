//! The watchlist: which symbols the dashboard shows.

use market::Symbol;

/// The seed article's five tickers, shown until the user picks their own.
pub const DEFAULT_SYMBOLS: [&str; 5] = ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA"];

/// [`DEFAULT_SYMBOLS`] as parsed symbols.
pub fn default_watchlist() -> Vec<Symbol> {
    DEFAULT_SYMBOLS.iter().filter_map(|s| Symbol::parse(s).ok()).collect()
}
