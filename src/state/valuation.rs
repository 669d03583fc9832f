//! Valuing the portfolio from live quotes (the API sends holdings, not values).

use market::{Portfolio, Position};

/// One position valued at the latest price.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuedPosition {
    /// The holding as the API sent it.
    pub position: Position,
    /// The latest price, if a quote for the symbol has arrived.
    pub price: Option<f64>,
}

impl ValuedPosition {
    /// What the holding cost: quantity × average cost.
    pub fn cost(&self) -> f64 {
        self.position.quantity * self.position.average_cost
    }

    /// Market value at the latest price.
    pub fn value(&self) -> Option<f64> {
        self.price.map(|p| p * self.position.quantity)
    }

    /// Profit or loss against cost.
    pub fn profit(&self) -> Option<f64> {
        self.value().map(|v| v - self.cost())
    }
}

/// Values every position with `price_of`; the total is known only once every
/// position has a price.
pub fn value_portfolio(
    portfolio: &Portfolio,
    price_of: impl Fn(&str) -> Option<f64>,
) -> (Vec<ValuedPosition>, Option<f64>) {
    let valued: Vec<ValuedPosition> = portfolio
        .positions
        .iter()
        .map(|p| ValuedPosition { position: p.clone(), price: price_of(&p.symbol) })
        .collect();
    let total =
        valued.iter().map(ValuedPosition::value).sum::<Option<f64>>().map(|positions| positions + portfolio.cash);
    (valued, total)
}
