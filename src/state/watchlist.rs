//! The watchlist: which symbols the dashboard shows, in the user's order.
//! Adding validates and normalises with `market`'s symbol rules.

use market::{Symbol, SymbolError};

/// The seed article's five tickers, shown until the user picks their own.
pub const DEFAULT_SYMBOLS: [&str; 5] = ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA"];

/// The most symbols a watchlist holds.
pub const MAX_SYMBOLS: usize = 500;

/// [`DEFAULT_SYMBOLS`] as parsed symbols.
pub fn default_watchlist() -> Vec<Symbol> {
    DEFAULT_SYMBOLS.iter().filter_map(|s| Symbol::parse(s).ok()).collect()
}

/// Why a symbol was not added, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    /// The text is not a symbol.
    #[error(transparent)]
    Invalid(#[from] SymbolError),
    /// The symbol is on the list already.
    #[error("{0} is already on the watchlist")]
    Duplicate(Symbol),
    /// The list is at [`MAX_SYMBOLS`].
    #[error("the watchlist is full: it holds at most {MAX_SYMBOLS} symbols; remove one first")]
    Full,
}

/// An ordered list of distinct symbols, at most [`MAX_SYMBOLS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watchlist {
    symbols: Vec<Symbol>,
}

impl Default for Watchlist {
    fn default() -> Self {
        Watchlist { symbols: default_watchlist() }
    }
}

impl Watchlist {
    /// An empty watchlist.
    pub fn empty() -> Self {
        Watchlist { symbols: Vec::new() }
    }

    /// The symbols, in order.
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }

    /// How many symbols it holds.
    pub fn len(&self) -> usize {
        self.symbols.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    /// Whether `symbol` is on the list.
    pub fn contains(&self, symbol: &Symbol) -> bool {
        self.symbols.contains(symbol)
    }

    /// Normalises `input` and appends it; returns the symbol added.
    pub fn add(&mut self, input: &str) -> Result<Symbol, AddError> {
        let symbol = Symbol::parse(input)?;
        self.push(symbol.clone())?;
        Ok(symbol)
    }

    /// Appends an already parsed symbol.
    pub fn push(&mut self, symbol: Symbol) -> Result<(), AddError> {
        if self.contains(&symbol) {
            return Err(AddError::Duplicate(symbol));
        }
        if self.symbols.len() >= MAX_SYMBOLS {
            return Err(AddError::Full);
        }
        self.symbols.push(symbol);
        Ok(())
    }

    /// Removes `symbol`; whether it was there.
    pub fn remove(&mut self, symbol: &Symbol) -> bool {
        let before = self.symbols.len();
        self.symbols.retain(|s| s != symbol);
        self.symbols.len() != before
    }

    /// Moves `symbol` one place up (`-1`) or down (`+1`); whether it moved.
    pub fn shift(&mut self, symbol: &Symbol, by: isize) -> bool {
        let Some(from) = self.symbols.iter().position(|s| s == symbol) else { return false };
        let Some(to) = from.checked_add_signed(by).filter(|to| *to < self.symbols.len()) else { return false };
        self.symbols.swap(from, to);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &Watchlist) -> Vec<&str> {
        list.symbols().iter().map(Symbol::as_str).collect()
    }

    #[test]
    fn adding_normalises_and_refuses_duplicates_and_bad_text() {
        let mut list = Watchlist::empty();
        assert_eq!(list.add("  brk.b ").map(|s| s.to_string()), Ok("BRK.B".to_owned()));
        assert_eq!(list.add("BRK.B").unwrap_err().to_string(), "BRK.B is already on the watchlist");
        assert_eq!(list.add("   ").unwrap_err().to_string(), "enter a ticker symbol, for example AAPL");
        assert!(matches!(list.add("<img src=x onerror=alert(1)>"), Err(AddError::Invalid(_))));
        assert!(matches!(list.add(&"A".repeat(1000)), Err(AddError::Invalid(SymbolError::TooLong(_)))));
        assert_eq!(names(&list), ["BRK.B"]);
    }

    #[test]
    fn the_list_holds_at_most_five_hundred() {
        let mut list = Watchlist::empty();
        for i in 0..MAX_SYMBOLS {
            list.add(&format!("S{i}")).unwrap();
        }
        assert_eq!(list.add("ONEMORE"), Err(AddError::Full));
        assert_eq!(list.len(), MAX_SYMBOLS);
        assert!(AddError::Full.to_string().contains("at most 500"));
    }

    #[test]
    fn symbols_move_remove_and_stay_in_bounds() {
        let mut list = Watchlist::default();
        let goog = Symbol::parse("GOOG").unwrap();
        assert!(list.shift(&goog, -1));
        assert_eq!(names(&list), ["GOOG", "AAPL", "MSFT", "AMZN", "TSLA"]);
        assert!(!list.shift(&goog, -1), "already first");
        let tsla = Symbol::parse("TSLA").unwrap();
        assert!(!list.shift(&tsla, 1), "already last");
        assert!(list.remove(&goog));
        assert!(!list.remove(&goog));
        assert_eq!(names(&list), ["AAPL", "MSFT", "AMZN", "TSLA"]);
    }
}
