//! Whether an answer that decoded can be right: prices are positive, a day's
//! low is under its open and close and its high over them, money is finite.
//! JSON that parses can still carry a negative price or a bar whose low is
//! above its high (a provider's bug, a unit mix-up); the app shows such a
//! value as an error of its own rather than drawing nonsense.

use crate::{Bar, History, Portfolio, Quote};

/// Why a value cannot be right, as a phrase ("AAPL's price is -187.42").
pub type Implausible = String;

/// A decoded answer that can be checked for sense.
pub trait Plausible {
    /// `Err` with the first thing that cannot be right.
    fn plausible(&self) -> Result<(), Implausible>;
}

fn positive(what: &str, value: f64) -> Result<(), Implausible> {
    if value.is_finite() && value > 0.0 { Ok(()) } else { Err(format!("{what} is {value}")) }
}

fn finite(what: &str, value: f64) -> Result<(), Implausible> {
    if value.is_finite() { Ok(()) } else { Err(format!("{what} is {value}")) }
}

impl Plausible for Quote {
    fn plausible(&self) -> Result<(), Implausible> {
        let symbol = &self.symbol;
        if symbol.trim().is_empty() {
            return Err("a quote has no symbol".to_owned());
        }
        positive(&format!("{symbol}'s price"), self.price)?;
        finite(&format!("{symbol}'s change"), self.change)?;
        finite(&format!("{symbol}'s change %"), self.change_percent)
    }
}

impl Plausible for Bar {
    fn plausible(&self) -> Result<(), Implausible> {
        let day = &self.date;
        for (name, value) in [("open", self.open), ("high", self.high), ("low", self.low), ("close", self.close)] {
            positive(&format!("the {name} of {day}"), value)?;
        }
        if self.low > self.open.min(self.close) || self.high < self.open.max(self.close) {
            return Err(format!(
                "the bar of {day} has its low {} or high {} outside its open {} and close {}",
                self.low, self.high, self.open, self.close
            ));
        }
        Ok(())
    }
}

impl Plausible for History {
    fn plausible(&self) -> Result<(), Implausible> {
        self.bars.iter().try_for_each(|bar| bar.plausible().map_err(|why| format!("{}: {why}", self.symbol)))
    }
}

impl Plausible for Portfolio {
    fn plausible(&self) -> Result<(), Implausible> {
        finite("the cash", self.cash)?;
        for position in &self.positions {
            finite(&format!("the quantity of {}", position.symbol), position.quantity)?;
            let cost = position.average_cost;
            if !(cost.is_finite() && cost >= 0.0) {
                return Err(format!("the average cost of {} is {cost}", position.symbol));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(price: f64) -> Quote {
        Quote {
            symbol: "AAPL".into(),
            price,
            change: 1.0,
            change_percent: 0.5,
            volume: 10,
            timestamp: "2026-11-26T14:30:05Z".into(),
        }
    }

    fn bar(open: f64, high: f64, low: f64, close: f64) -> Bar {
        Bar { date: "2026-11-25".into(), open, high, low, close, volume: 1 }
    }

    #[test]
    fn prices_must_be_positive_and_finite() {
        assert_eq!(quote(187.42).plausible(), Ok(()));
        assert_eq!(quote(-187.42).plausible(), Err("AAPL's price is -187.42".to_owned()));
        assert_eq!(quote(0.0).plausible(), Err("AAPL's price is 0".to_owned()));
        assert_eq!(quote(f64::NAN).plausible(), Err("AAPL's price is NaN".to_owned()));
        let mut q = quote(1.0);
        q.change = f64::INFINITY;
        assert!(q.plausible().unwrap_err().contains("change"));
    }

    #[test]
    fn a_bar_holds_its_open_and_close_between_low_and_high() {
        assert_eq!(bar(10.0, 12.0, 9.0, 11.0).plausible(), Ok(()));
        assert!(bar(10.0, 12.0, 10.5, 11.0).plausible().unwrap_err().contains("outside"));
        assert!(bar(10.0, 10.5, 9.0, 11.0).plausible().unwrap_err().contains("outside"));
        assert_eq!(bar(-10.0, 12.0, 9.0, 11.0).plausible(), Err("the open of 2026-11-25 is -10".to_owned()));
        let history =
            History { symbol: "MSFT".into(), period: crate::Period::OneMonth, bars: vec![bar(1.0, 2.0, 3.0, 1.5)] };
        assert!(history.plausible().unwrap_err().starts_with("MSFT: the bar of 2026-11-25"));
    }

    #[test]
    fn a_portfolio_has_finite_money_and_no_negative_cost() {
        let position = |quantity, average_cost| crate::Position { symbol: "AAPL".into(), quantity, average_cost };
        let portfolio = |cash, positions| Portfolio { cash, positions };
        assert_eq!(portfolio(100.0, vec![position(2.0, 150.0)]).plausible(), Ok(()));
        assert_eq!(portfolio(-5.0, vec![]).plausible(), Ok(()), "a margin account may owe cash");
        assert!(portfolio(100.0, vec![position(2.0, -1.0)]).plausible().unwrap_err().contains("average cost"));
    }
}
