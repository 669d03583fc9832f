//! Valuing the portfolio from live quotes (the API sends holdings, not values).

use market::{Portfolio, Position};

/// A symbol's live figures: the price and today's change per share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Live {
    /// The latest price.
    pub price: f64,
    /// Today's change per share.
    pub change: f64,
}

/// One position valued at the latest price.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuedPosition {
    /// The holding as the API sent it.
    pub position: Position,
    /// The live figures, if a quote for the symbol has arrived.
    pub live: Option<Live>,
}

impl ValuedPosition {
    /// What the holding cost: quantity × average cost.
    pub fn cost(&self) -> f64 {
        self.position.quantity * self.position.average_cost
    }

    /// Market value at the latest price.
    pub fn value(&self) -> Option<f64> {
        self.live.map(|l| l.price * self.position.quantity)
    }

    /// Profit or loss against cost.
    pub fn profit(&self) -> Option<f64> {
        self.value().map(|v| v - self.cost())
    }

    /// How much the holding moved today.
    pub fn day_change(&self) -> Option<f64> {
        self.live.map(|l| l.change * self.position.quantity)
    }
}

/// A valued portfolio: positions, and totals once every position has a price.
#[derive(Debug, Clone, PartialEq)]
pub struct Valuation {
    /// Every position, in the account's order.
    pub positions: Vec<ValuedPosition>,
    /// Cash plus every position's value.
    pub total: Option<f64>,
    /// Every position's day change added up.
    pub day_change: Option<f64>,
}

impl Valuation {
    /// Each position's share of the invested value (0–1), in order; `None`
    /// until every position has a price.
    pub fn allocation(&self) -> Option<Vec<(String, f64)>> {
        let values: Option<Vec<f64>> = self.positions.iter().map(ValuedPosition::value).collect();
        let values = values?;
        let invested: f64 = values.iter().sum();
        (invested > 0.0).then(|| {
            self.positions.iter().zip(values).map(|(p, v)| (p.position.symbol.clone(), v / invested)).collect()
        })
    }
}

/// Values every position with `live_of`.
pub fn value_portfolio(portfolio: &Portfolio, live_of: impl Fn(&str) -> Option<Live>) -> Valuation {
    let positions: Vec<ValuedPosition> =
        portfolio.positions.iter().map(|p| ValuedPosition { position: p.clone(), live: live_of(&p.symbol) }).collect();
    let total = positions.iter().map(ValuedPosition::value).sum::<Option<f64>>().map(|v| v + portfolio.cash);
    let day_change = positions.iter().map(ValuedPosition::day_change).sum::<Option<f64>>();
    Valuation { positions, total, day_change }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portfolio() -> Portfolio {
        Portfolio {
            cash: 1_000.0,
            positions: vec![
                Position { symbol: "AAPL".into(), quantity: 10.0, average_cost: 100.0 },
                Position { symbol: "MSFT".into(), quantity: 2.0, average_cost: 300.0 },
            ],
        }
    }

    #[test]
    fn positions_are_valued_and_totalled_only_when_all_are_known() {
        let aapl = Live { price: 110.0, change: 1.5 };
        let partial = value_portfolio(&portfolio(), |s| (s == "AAPL").then_some(aapl));
        assert_eq!(partial.positions[0].value(), Some(1_100.0));
        assert_eq!(partial.positions[0].profit(), Some(100.0));
        assert_eq!(partial.positions[0].day_change(), Some(15.0));
        assert_eq!(partial.positions[1].value(), None);
        assert_eq!((partial.total, partial.day_change), (None, None), "MSFT has no price yet");
        assert_eq!(partial.allocation(), None);

        let msft = Live { price: 250.0, change: -2.0 };
        let whole = value_portfolio(&portfolio(), |s| Some(if s == "AAPL" { aapl } else { msft }));
        assert_eq!(whole.total, Some(1_000.0 + 1_100.0 + 500.0));
        assert_eq!(whole.day_change, Some(15.0 - 4.0));
        let allocation = whole.allocation().unwrap();
        assert_eq!(allocation[0].0, "AAPL");
        assert!((allocation[0].1 - 1_100.0 / 1_600.0).abs() < 1e-12);
        assert!((allocation.iter().map(|a| a.1).sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
