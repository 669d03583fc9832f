//! History periods (`1m` … `5y`) and the number of daily bars each one holds.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// A span of daily history, as the `period` query parameter spells it.
///
/// A year is 252 trading days, as in the seed article; a month is 21.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Period {
    /// One month: 21 trading days.
    #[serde(rename = "1m")]
    OneMonth,
    /// Three months: 63 trading days.
    #[serde(rename = "3m")]
    ThreeMonths,
    /// Six months: 126 trading days.
    #[serde(rename = "6m")]
    SixMonths,
    /// One year: 252 trading days (the default).
    #[default]
    #[serde(rename = "1y")]
    OneYear,
    /// Five years: 1 260 trading days.
    #[serde(rename = "5y")]
    FiveYears,
}

/// A `period` value that is not one of `1m`, `3m`, `6m`, `1y`, `5y`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown period {0:?}: use one of 1m, 3m, 6m, 1y, 5y")]
pub struct PeriodError(pub String);

impl Period {
    /// Every period, shortest first.
    pub const ALL: [Period; 5] =
        [Period::OneMonth, Period::ThreeMonths, Period::SixMonths, Period::OneYear, Period::FiveYears];

    /// How many daily bars (trading days) this period holds.
    pub fn trading_days(self) -> usize {
        match self {
            Period::OneMonth => 21,
            Period::ThreeMonths => 63,
            Period::SixMonths => 126,
            Period::OneYear => 252,
            Period::FiveYears => 1260,
        }
    }

    /// The spelling used in URLs and JSON (`"1y"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Period::OneMonth => "1m",
            Period::ThreeMonths => "3m",
            Period::SixMonths => "6m",
            Period::OneYear => "1y",
            Period::FiveYears => "5y",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| PeriodError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_252_trading_days_as_in_the_seed() {
        assert_eq!(Period::OneYear.trading_days(), 252);
        assert_eq!(Period::default(), Period::OneYear);
    }

    #[test]
    fn periods_round_trip_through_their_spelling_and_json() {
        for p in Period::ALL {
            assert_eq!(p.as_str().parse::<Period>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{p}\""));
            assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        }
    }

    #[test]
    fn an_unknown_period_names_the_valid_ones() {
        let err = "2y".parse::<Period>().unwrap_err();
        assert_eq!(err.to_string(), "unknown period \"2y\": use one of 1m, 3m, 6m, 1y, 5y");
    }
}
