//! A watchlist row and what it holds, and how a request's answer lands in
//! its rows (or in the portfolio).

use fanout::{Failure, Outcome};
use leptos::prelude::*;
use market::{Quote, Symbol};

use super::{
    DashboardState,
    targets::{Answer, Target},
};
use crate::{api::FetchError, state::retrying::RetryNote};

/// Something loaded over the network: not yet, a value, or an error. The last
/// value is kept while a new request is in flight.
#[derive(Debug, Clone, PartialEq)]
pub enum Loadable<T> {
    /// Nothing has arrived yet.
    Loading,
    /// The latest answer.
    Ready(T),
    /// The latest request failed; this is why.
    Failed(FetchError),
}

/// One watchlist row: its symbol and its own quote state.
#[derive(Debug, Clone)]
pub struct QuoteRow {
    /// The row's symbol.
    pub symbol: Symbol,
    /// The row's quote, updated in place by each refresh.
    pub quote: RwSignal<Loadable<Quote>>,
    /// When the quote last arrived (`Date.now()`, ms), for the stale marker.
    pub received_ms: RwSignal<Option<f64>>,
    /// Whether a request for this row is in flight.
    pub pending: RwSignal<bool>,
    /// Set while the engine waits to send this row's request again.
    pub retry: RwSignal<Option<RetryNote>>,
}

impl QuoteRow {
    /// A row for `symbol`, loading.
    pub fn new(symbol: Symbol) -> Self {
        QuoteRow {
            symbol,
            quote: RwSignal::new(Loadable::Loading),
            received_ms: RwSignal::new(None),
            pending: RwSignal::new(false),
            retry: RwSignal::new(None),
        }
    }
}

impl DashboardState {
    pub(super) fn with_row(&self, symbol: &Symbol, f: impl FnOnce(&QuoteRow)) {
        self.rows.try_with_untracked(|rows| rows.iter().find(|r| &r.symbol == symbol).map(f));
    }

    /// Marks `target`'s rows (or the portfolio) with the note `note_for` writes
    /// for what each is called.
    pub(super) fn note_wait(&self, target: &Target, note_for: impl Fn(&str) -> RetryNote) {
        match target {
            Target::Portfolio => {
                self.portfolio_retry.try_set(Some(note_for("the portfolio")));
            }
            Target::Quote(_) | Target::Quotes(_) => {
                for symbol in target.symbols() {
                    self.with_row(symbol, |row| {
                        row.retry.try_set(Some(note_for(symbol.as_str())));
                    });
                }
            }
        }
    }

    /// Puts one request's outcome into its row (or the portfolio).
    pub(super) fn show(&self, target: &Target, outcome: &Outcome<Answer, Failure<FetchError>>) {
        match target {
            Target::Portfolio => {
                self.portfolio_retry.try_set(None);
            }
            _ => {
                for symbol in target.symbols() {
                    self.with_row(symbol, |row| {
                        row.retry.try_set(None);
                    });
                }
            }
        }
        match (target, &outcome.result) {
            (Target::Quote(symbol), Ok(Answer::Quote(quote))) => self.show_quote(symbol, quote),
            (Target::Quotes(symbols), Ok(Answer::Batch(batch))) => {
                for symbol in symbols {
                    if let Some(quote) = batch.quotes.iter().find(|q| q.symbol == symbol.as_str()) {
                        self.show_quote(symbol, quote);
                        continue;
                    }
                    let error = match batch.errors.iter().find(|(s, _)| s == symbol.as_str()) {
                        Some((_, error)) => error.clone(),
                        None => FetchError::Decode(format!("the batch answer left out {symbol}")),
                    };
                    self.with_row(symbol, |row| {
                        row.quote.try_set(Loadable::Failed(error));
                    });
                }
            }
            (Target::Quote(_) | Target::Quotes(_), Err(failure)) => {
                let error = FetchError::from(failure.clone());
                for symbol in target.symbols() {
                    self.with_row(symbol, |row| {
                        row.quote.try_set(Loadable::Failed(error.clone()));
                    });
                }
            }
            (Target::Portfolio, Ok(Answer::Portfolio(portfolio))) => {
                self.portfolio.try_set(Loadable::Ready(portfolio.clone()));
            }
            (Target::Portfolio, Err(failure)) => {
                self.portfolio.try_set(Loadable::Failed(FetchError::from(failure.clone())));
            }
            _ => {}
        }
    }

    /// Puts `quote` into `symbol`'s row, or among the held symbols' quotes.
    fn show_quote(&self, symbol: &Symbol, quote: &Quote) {
        let mut on_row = false;
        self.with_row(symbol, |row| {
            on_row = true;
            row.quote.try_set(Loadable::Ready(quote.clone()));
            row.received_ms.try_set(Some(js_sys::Date::now()));
        });
        let held = self
            .portfolio
            .try_with_untracked(
                |p| matches!(p, Loadable::Ready(p) if p.positions.iter().any(|h| h.symbol == symbol.as_str())),
            )
            .unwrap_or(false);
        if !on_row && held {
            self.held_quotes.try_update(|quotes| quotes.insert(symbol.to_string(), quote.clone()));
        }
    }

    /// After a cancel: rows still waiting for their first value say so; rows
    /// with a value keep it.
    pub(super) fn mark_cancelled(&self) {
        self.rows.try_with_untracked(|rows| {
            for row in rows {
                row.pending.try_set(false);
                row.retry.try_set(None);
                row.quote.try_update(|q| {
                    if matches!(q, Loadable::Loading) {
                        *q = Loadable::Failed(FetchError::Cancelled);
                    }
                });
            }
        });
        self.portfolio_retry.try_set(None);
        self.portfolio.try_update(|p| {
            if matches!(p, Loadable::Loading) {
                *p = Loadable::Failed(FetchError::Cancelled);
            }
        });
    }
}
