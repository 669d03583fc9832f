//! The ticker detail — the seed article's `get_trade_decision_data`: quote,
//! history and portfolio loaded together through the engine. A newer load
//! (another period, another symbol) supersedes the one in flight: its fetches
//! are aborted and its answers never shown (latest wins).

use std::time::Duration;

use fanout::{CancelToken, Engine, LatestWins, Timer};
use futures::{FutureExt, StreamExt, future::LocalBoxFuture};
use leptos::prelude::*;
use market::{History, Period, Portfolio, Quote, Symbol};

use crate::{
    api::{ApiClient, FetchError},
    state::{Loadable, chart},
};

/// What the position means at the current price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionFacts {
    /// Shares held (0 if none).
    pub quantity: f64,
    /// What they cost.
    pub cost: f64,
    /// What they are worth now.
    pub value: f64,
    /// Value minus cost.
    pub profit: f64,
    /// Profit as a percentage of cost (`None` with no cost).
    pub profit_percent: Option<f64>,
    /// Whole shares the cash buys at the current price.
    pub cash_buys: u64,
}

/// The position in `symbol` valued at `price`, and what the cash buys.
pub fn position_facts(portfolio: &Portfolio, symbol: &str, price: f64) -> Option<PositionFacts> {
    if !(price.is_finite() && price > 0.0) {
        return None;
    }
    let held = portfolio.positions.iter().find(|p| p.symbol == symbol);
    let (quantity, average_cost) = held.map_or((0.0, 0.0), |p| (p.quantity, p.average_cost));
    let (cost, value) = (quantity * average_cost, quantity * price);
    let cash_buys = if portfolio.cash > 0.0 { (portfolio.cash / price).floor() as u64 } else { 0 };
    Some(PositionFacts {
        quantity,
        cost,
        value,
        profit: value - cost,
        profit_percent: (cost > 0.0).then(|| (value - cost) / cost * 100.0),
        cash_buys,
    })
}

/// One answer of the detail load.
enum Part {
    Quote(Quote),
    History(History),
    Portfolio(Portfolio),
}

type Request = Box<dyn Fn(u32) -> LocalBoxFuture<'static, Result<Part, FetchError>>>;

/// The detail view's state.
#[derive(Debug, Clone, Copy)]
pub struct DetailState {
    /// The symbol's quote.
    pub quote: RwSignal<Loadable<Quote>>,
    /// Its history over [`chart::lookback`] of the period shown.
    pub history: RwSignal<Loadable<History>>,
    /// The account.
    pub portfolio: RwSignal<Loadable<Portfolio>>,
    /// The last load's wall time and the sum of its requests' durations.
    pub timing: RwSignal<Option<(Duration, Duration)>>,
    /// The period shown.
    pub period: RwSignal<Period>,
    slots: StoredValue<LatestWins<&'static str>, LocalStorage>,
    current: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl Default for DetailState {
    fn default() -> Self {
        DetailState {
            quote: RwSignal::new(Loadable::Loading),
            history: RwSignal::new(Loadable::Loading),
            portfolio: RwSignal::new(Loadable::Loading),
            timing: RwSignal::new(None),
            period: RwSignal::new(Period::OneYear),
            slots: StoredValue::new_local(LatestWins::new()),
            current: StoredValue::new_local(None),
        }
    }
}

impl DetailState {
    /// Loads quote, history and portfolio for `symbol` at once; each part
    /// shows as it lands. Supersedes any load in flight.
    pub async fn load<T: Timer + Clone>(&self, client: ApiClient, engine: Engine<T>, symbol: Symbol) {
        let Some(slots) = self.slots.try_get_value() else { return };
        let ticket = slots.begin("detail");
        self.current.try_set_value(Some(ticket.cancel_token().clone()));
        let period = self.period.get_untracked();
        self.history.try_set(Loadable::Loading);
        self.timing.try_set(None);
        let requests: Vec<Request> = vec![
            part(&client, move |client, s: Symbol| async move { client.quote(&s).await.map(Part::Quote) }, &symbol),
            part(
                &client,
                move |client, s: Symbol| async move { client.history(&s, chart::lookback(period)).await.map(Part::History) },
                &symbol,
            ),
            part(&client, |client, _| async move { client.portfolio().await.map(Part::Portfolio) }, &symbol),
        ];
        let mut landing = std::pin::pin!(engine.as_completed_observed(requests, ticket.cancel_token(), Costs));
        let mut durations = Vec::new();
        while let Some((index, outcome)) = landing.next().await {
            durations.push(outcome.timing);
            ticket.deliver(|| match outcome.result {
                Ok(Part::Quote(q)) => _ = self.quote.try_set(Loadable::Ready(q)),
                Ok(Part::History(h)) => _ = self.history.try_set(Loadable::Ready(h)),
                Ok(Part::Portfolio(p)) => _ = self.portfolio.try_set(Loadable::Ready(p)),
                Err(failure) => {
                    let error = FetchError::from(failure);
                    match index {
                        0 => _ = self.quote.try_set(Loadable::Failed(error)),
                        1 => _ = self.history.try_set(Loadable::Failed(error)),
                        _ => _ = self.portfolio.try_set(Loadable::Failed(error)),
                    }
                }
            });
        }
        ticket.deliver(|| {
            let wall = durations.iter().map(|t| t.finished).max().unwrap_or_default();
            let sum = durations.iter().map(|t| t.duration()).sum();
            self.timing.try_set(Some((wall, sum)));
        });
    }

    /// Stops the load in flight (leaving the view): its fetches are aborted.
    pub fn cancel(&self) {
        if let Some(token) = self.current.try_update_value(Option::take).flatten() {
            token.cancel();
        }
    }
}

/// What each part costs a provider's budget: quote and history a credit
/// each; the portfolio (from our API) nothing.
struct Costs;

impl fanout::Observer<FetchError> for Costs {
    fn cost(&self, index: usize) -> u32 {
        u32::from(index < 2)
    }
}

/// One engine request: `call(client, symbol)` afresh on every attempt.
fn part<F, Fut>(client: &ApiClient, call: F, symbol: &Symbol) -> Request
where
    F: Fn(ApiClient, Symbol) -> Fut + 'static,
    Fut: Future<Output = Result<Part, FetchError>> + 'static,
{
    let (client, symbol) = (client.clone(), symbol.clone());
    Box::new(move |_attempt| call(client.clone(), symbol.clone()).boxed_local())
}

#[cfg(test)]
mod tests {
    use market::Position;

    use super::*;

    #[test]
    fn the_position_is_valued_at_the_price_and_the_cash_buys_whole_shares() {
        let portfolio = Portfolio {
            cash: 1000.0,
            positions: vec![Position { symbol: "AAPL".into(), quantity: 10.0, average_cost: 150.0 }],
        };
        let facts = position_facts(&portfolio, "AAPL", 180.0).unwrap();
        assert_eq!((facts.quantity, facts.cost, facts.value, facts.profit), (10.0, 1500.0, 1800.0, 300.0));
        assert_eq!(facts.profit_percent, Some(20.0));
        assert_eq!(facts.cash_buys, 5, "1000 / 180 = 5.55");
        let none = position_facts(&portfolio, "MSFT", 400.0).unwrap();
        assert_eq!((none.quantity, none.profit_percent, none.cash_buys), (0.0, None, 2));
        assert_eq!(position_facts(&portfolio, "AAPL", 0.0), None);
        assert_eq!(position_facts(&portfolio, "AAPL", f64::NAN), None);
    }
}
