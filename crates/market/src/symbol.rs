//! Ticker symbols: how user input is normalised and what is accepted.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest symbol accepted, in characters.
pub const MAX_SYMBOL_LEN: usize = 10;

/// A normalised ticker symbol: 1–10 characters of `A-Z`, `0-9`, `.` and `-`
/// (for example `AAPL` or `BRK.B`).
///
/// ```
/// use market::Symbol;
/// assert_eq!(Symbol::parse("  brk.b ").unwrap().as_str(), "BRK.B");
/// assert!(Symbol::parse("AA PL").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Symbol(String);

/// Why a piece of text is not a ticker symbol, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    /// Nothing but whitespace was given.
    #[error("enter a ticker symbol, for example AAPL")]
    Empty,
    /// More than [`MAX_SYMBOL_LEN`] characters.
    #[error("{0:?} is too long: a symbol has at most 10 characters")]
    TooLong(String),
    /// A character outside `A-Z 0-9 . -`.
    #[error("{text:?} contains {bad:?}: a symbol uses only letters, digits, '.' and '-'")]
    BadCharacter {
        /// The normalised text.
        text: String,
        /// The first character that is not allowed.
        bad: char,
    },
}

impl Symbol {
    /// Normalises (trims, upper-cases) and validates `input`.
    pub fn parse(input: &str) -> Result<Symbol, SymbolError> {
        Symbol::parse_exact(input.trim())
    }

    /// Validates `text` as it is, untrimmed (the API's symbols: a space is a
    /// bad character there), and upper-cases it.
    pub fn parse_exact(text: &str) -> Result<Symbol, SymbolError> {
        // Checked before upper-casing, and upper-cased as ASCII only: `ı`
        // and `ſ` would otherwise become `I` and `S` and pass.
        if text.is_empty() {
            return Err(SymbolError::Empty);
        }
        if let Some(bad) = text.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-')) {
            return Err(SymbolError::BadCharacter { text: shortened(&text.to_uppercase()), bad });
        }
        let text = text.to_ascii_uppercase();
        if text.chars().count() > MAX_SYMBOL_LEN {
            return Err(SymbolError::TooLong(shortened(&text)));
        }
        Ok(Symbol(text))
    }

    /// The symbol's text, always normalised.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text as a message quotes it: at most 16 characters, then "…" (a
/// pasted paragraph should not fill the screen).
fn shortened(text: &str) -> String {
    const SHOWN: usize = 16;
    if text.chars().count() > SHOWN {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    } else {
        text.to_owned()
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Symbol {
    type Error = SymbolError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Symbol::parse(&value)
    }
}

impl From<Symbol> for String {
    fn from(value: Symbol) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_trimmed_and_upper_cased() {
        assert_eq!(Symbol::parse(" aapl\t").unwrap().as_str(), "AAPL");
        assert_eq!(Symbol::parse("brk-b").unwrap().as_str(), "BRK-B");
    }

    #[test]
    fn bad_input_is_rejected_with_a_reason() {
        assert_eq!(Symbol::parse("   "), Err(SymbolError::Empty));
        assert_eq!(Symbol::parse("ABCDEFGHIJK"), Err(SymbolError::TooLong("ABCDEFGHIJK".into())));
        assert_eq!(Symbol::parse("AA/PL"), Err(SymbolError::BadCharacter { text: "AA/PL".into(), bad: '/' }));
        assert_eq!(
            Symbol::parse("ÄPPLE").unwrap_err().to_string(),
            "\"ÄPPLE\" contains 'Ä': a symbol uses only letters, digits, '.' and '-'"
        );
    }

    #[test]
    fn a_long_paste_is_quoted_short_in_the_message() {
        let message = Symbol::parse(&"x".repeat(1000)).unwrap_err().to_string();
        assert_eq!(message, "\"XXXXXXXXXXXXXXXX…\" is too long: a symbol has at most 10 characters");
        let html = Symbol::parse("<img src=x onerror=alert(1)>").unwrap_err().to_string();
        assert_eq!(html, "\"<IMG SRC=X ONERR…\" contains '<': a symbol uses only letters, digits, '.' and '-'");
    }

    #[test]
    fn exact_parsing_refuses_spaces() {
        assert_eq!(Symbol::parse_exact("aapl").unwrap().as_str(), "AAPL");
        assert_eq!(Symbol::parse_exact(" AAPL"), Err(SymbolError::BadCharacter { text: " AAPL".into(), bad: ' ' }));
    }

    #[test]
    fn letters_that_upper_case_into_ascii_are_refused() {
        // 'ı'.to_uppercase() is "I", 'ſ'.to_uppercase() is "S", 'K' (Kelvin) lower-cases to 'k'.
        for (text, bad) in [("aapı", 'ı'), ("ſpy", 'ſ'), ("\u{212A}O", '\u{212A}')] {
            assert_eq!(
                Symbol::parse(text),
                Err(SymbolError::BadCharacter { text: text.to_uppercase(), bad }),
                "{text}"
            );
        }
    }

    #[test]
    fn ten_characters_is_the_limit() {
        assert!(Symbol::parse("ABCDEFGHIJ").is_ok());
    }

    #[test]
    fn json_is_validated_on_the_way_in() {
        assert_eq!(serde_json::from_str::<Symbol>("\"msft\"").unwrap().as_str(), "MSFT");
        assert!(serde_json::from_str::<Symbol>("\"no way\"").is_err());
    }
}
