//! The dashboard's state and its refresh: every quote and the portfolio are
//! requested at once through the `fanout` engine (bounded, timed out, retried,
//! cancellable), and each answer is shown the moment it lands.

use std::time::Duration;

use fanout::{BrowserTimer, CancelToken, Clock, Engine, Failure, Outcome, Policy, Report};
use futures::{FutureExt, StreamExt, future::LocalBoxFuture};
use leptos::prelude::*;
use market::{Portfolio, Quote, Symbol};

use crate::api::{ApiClient, FetchError};

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
}

/// How the last refresh went: the seed article's timing prints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefreshSummary {
    /// How many requests the refresh sent.
    pub requests: usize,
    /// How many of them failed.
    pub failures: usize,
    /// From the first request to the last answer.
    pub wall: Duration,
    /// The requests' own durations added up: what one after another would cost.
    pub sum: Duration,
}

/// The refresh's default policy: no concurrency limit (the browser's own
/// applies), 10 s per attempt, three attempts for transient failures.
pub fn default_policy() -> Policy {
    Policy { attempt_timeout: Some(Duration::from_secs(10)), max_attempts: 3, ..Policy::default() }
}

/// One answer of a refresh.
enum Answer {
    Quote(Quote),
    Portfolio(Portfolio),
}

type Request = Box<dyn Fn(u32) -> LocalBoxFuture<'static, Result<Answer, FetchError>>>;

/// Everything the dashboard shows. Cheap to clone: signals and stored values
/// are handles.
#[derive(Debug, Clone)]
pub struct DashboardState {
    client: ApiClient,
    /// One row per watched symbol, in watchlist order.
    pub rows: Vec<QuoteRow>,
    /// The account, as the API sent it.
    pub portfolio: RwSignal<Loadable<Portfolio>>,
    /// The last finished refresh.
    pub last_refresh: RwSignal<Option<RefreshSummary>>,
    /// Whether a refresh is in flight.
    pub refreshing: RwSignal<bool>,
    /// The engine every refresh runs on (kept on this thread: it is not `Send`).
    engine: StoredValue<Engine<BrowserTimer>, LocalStorage>,
    /// Cancels the refresh in flight, if any.
    cancel: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl DashboardState {
    /// State for `symbols`, all rows loading, refreshing under `policy`.
    pub fn new(client: ApiClient, symbols: Vec<Symbol>, policy: Policy) -> Self {
        let rows =
            symbols.into_iter().map(|symbol| QuoteRow { symbol, quote: RwSignal::new(Loadable::Loading) }).collect();
        DashboardState {
            client,
            rows,
            portfolio: RwSignal::new(Loadable::Loading),
            last_refresh: RwSignal::new(None),
            refreshing: RwSignal::new(false),
            engine: StoredValue::new_local(Engine::new(BrowserTimer::new(), policy)),
            cancel: StoredValue::new_local(None),
        }
    }

    /// The latest price of `symbol`, if its row has one.
    pub fn price_of(&self, symbol: &str) -> Option<f64> {
        self.rows.iter().find(|row| row.symbol.as_str() == symbol).and_then(|row| {
            row.quote
                .try_with(|q| match q {
                    Loadable::Ready(quote) => Some(quote.price),
                    _ => None,
                })
                .flatten()
        })
    }

    /// Stops the refresh in flight: its fetches are aborted, and rows that
    /// had no value yet say "cancelled".
    pub fn cancel(&self) {
        if let Some(token) = self.cancel.try_update_value(Option::take).flatten() {
            token.cancel();
        }
        self.refreshing.try_set(false);
    }

    /// Requests every quote and the portfolio at once through the engine. Each
    /// row updates the moment its own answer lands; a failed request marks only
    /// its own row. A newer refresh cancels this one (latest wins), so a
    /// superseded answer is never shown.
    pub async fn refresh(&self) -> Option<RefreshSummary> {
        let token = CancelToken::new();
        let previous = self.cancel.try_update_value(|slot| slot.replace(token.clone())).flatten();
        if let Some(previous) = previous {
            previous.cancel();
        }
        let engine = self.engine.try_get_value()?;
        self.refreshing.try_set(true);

        let mut requests: Vec<Request> = Vec::new();
        for row in &self.rows {
            let (client, symbol) = (self.client.clone(), row.symbol.clone());
            requests.push(Box::new(move |_attempt| {
                let (client, symbol) = (client.clone(), symbol.clone());
                async move { client.quote(&symbol).await.map(Answer::Quote) }.boxed_local()
            }));
        }
        let client = self.client.clone();
        requests.push(Box::new(move |_attempt| {
            let client = client.clone();
            async move { client.portfolio().await.map(Answer::Portfolio) }.boxed_local()
        }));

        let clock = BrowserTimer::new();
        let start = clock.now();
        let mut outcomes = Vec::new();
        let mut landing = std::pin::pin!(engine.as_completed(requests, &token));
        while let Some((index, outcome)) = landing.next().await {
            if !token.is_cancelled() {
                self.show(index, &outcome);
            }
            outcomes.push((index, outcome));
        }
        if token.is_cancelled() {
            self.mark_cancelled();
            return None;
        }
        outcomes.sort_by_key(|(index, _)| *index);
        let report = Report::new(outcomes.into_iter().map(|(_, o)| o).collect(), clock.now() - start);
        let summary = RefreshSummary {
            requests: report.outcomes().len(),
            failures: report.failures(),
            wall: report.wall(),
            sum: report.sum_of_durations(),
        };
        // The component may be gone (navigated away, test unmounted): `try_`
        // writes do nothing then.
        self.last_refresh.try_set(Some(summary));
        self.refreshing.try_set(false);
        self.cancel.try_set_value(None);
        Some(summary)
    }

    /// Puts one request's outcome into its row (or the portfolio).
    fn show(&self, index: usize, outcome: &Outcome<Answer, Failure<FetchError>>) {
        fn failed<T>(failure: &Failure<FetchError>) -> Loadable<T> {
            Loadable::Failed(FetchError::from(failure.clone()))
        }
        match (self.rows.get(index), &outcome.result) {
            (Some(row), Ok(Answer::Quote(quote))) => {
                row.quote.try_set(Loadable::Ready(quote.clone()));
            }
            (Some(row), Err(failure)) => {
                row.quote.try_set(failed(failure));
            }
            (None, Ok(Answer::Portfolio(portfolio))) => {
                self.portfolio.try_set(Loadable::Ready(portfolio.clone()));
            }
            (None, Err(failure)) => {
                self.portfolio.try_set(failed(failure));
            }
            _ => {}
        }
    }

    /// After a cancel: rows still waiting for their first value say so; rows
    /// with a value keep it.
    fn mark_cancelled(&self) {
        for row in &self.rows {
            row.quote.try_update(|q| {
                if matches!(q, Loadable::Loading) {
                    *q = Loadable::Failed(FetchError::Cancelled);
                }
            });
        }
        self.portfolio.try_update(|p| {
            if matches!(p, Loadable::Loading) {
                *p = Loadable::Failed(FetchError::Cancelled);
            }
        });
    }
}
