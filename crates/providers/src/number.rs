//! Numbers as providers send them: JSON numbers, or strings holding one
//! (Twelve Data writes `"148.85001"`). Written by hand rather than with
//! `serde_with`: two small visitors, and the error names the field.

use serde::{Deserialize, Deserializer, de::Error};

/// A number or a string of one, as `f64`; `null` or `""` is missing.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Number(f64),
    Text(String),
}

/// Reads a required number (or a string of one).
pub fn float<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    match Loose::deserialize(deserializer)? {
        Loose::Number(n) => Ok(n),
        Loose::Text(text) => {
            text.trim().parse::<f64>().map_err(|_| D::Error::custom(format!("{text:?} is not a number")))
        }
    }
}

/// Reads an optional number (or a string of one); `null`, `""` and absence are `None`.
pub fn float_opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    match Option::<Loose>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Loose::Number(n)) => Ok(Some(n)),
        Some(Loose::Text(text)) if text.trim().is_empty() => Ok(None),
        Some(Loose::Text(text)) => {
            text.trim().parse::<f64>().map(Some).map_err(|_| D::Error::custom(format!("{text:?} is not a number")))
        }
    }
}
