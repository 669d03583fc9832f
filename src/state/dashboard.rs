//! The dashboard's state and its refresh: every quote and the portfolio are
//! requested at once, and each answer is shown the moment it lands.

use std::time::Duration;

use fanout::{SystemClock, gather};
use futures::{FutureExt, future::LocalBoxFuture};
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

/// Everything the dashboard shows. Cheap to clone: signals are handles.
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
    /// Bumped by every refresh; an answer from an older one is dropped.
    generation: StoredValue<u64>,
}

impl DashboardState {
    /// State for `symbols`, all rows loading.
    pub fn new(client: ApiClient, symbols: Vec<Symbol>) -> Self {
        let rows =
            symbols.into_iter().map(|symbol| QuoteRow { symbol, quote: RwSignal::new(Loadable::Loading) }).collect();
        DashboardState {
            client,
            rows,
            portfolio: RwSignal::new(Loadable::Loading),
            last_refresh: RwSignal::new(None),
            refreshing: RwSignal::new(false),
            generation: StoredValue::new(0),
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

    /// Requests every quote and the portfolio at once (`fanout::gather`, i.e.
    /// `join_all`). Each row updates the moment its own answer lands; a failed
    /// request marks only its own row. If a newer refresh starts meanwhile,
    /// this one's answers are dropped (latest wins).
    pub async fn refresh(&self) -> RefreshSummary {
        let generation = self.generation.try_get_value().unwrap_or_default() + 1;
        self.generation.try_set_value(generation);
        self.refreshing.try_set(true);

        let mut requests = Vec::new();
        for row in &self.rows {
            let (client, symbol) = (self.client.clone(), row.symbol.clone());
            let fetch = async move { client.quote(&symbol).await };
            requests.push(deliver(fetch, row.quote, self.generation, generation));
        }
        let client = self.client.clone();
        let fetch = async move { client.portfolio().await };
        requests.push(deliver(fetch, self.portfolio, self.generation, generation));

        let report = gather(SystemClock::new(), requests).await;
        let summary = RefreshSummary {
            requests: report.outcomes().len(),
            failures: report.failures(),
            wall: report.wall(),
            sum: report.sum_of_durations(),
        };
        // The component may be gone (navigated away, test unmounted): `try_`
        // writes do nothing then.
        if self.generation.try_get_value() == Some(generation) {
            self.last_refresh.try_set(Some(summary));
            self.refreshing.try_set(false);
        }
        summary
    }
}

/// Wraps one request so that its answer lands in `into` the moment it arrives,
/// unless a newer refresh (generation) has started since. Its own result, minus
/// the value, goes to the batch report.
fn deliver<T: Send + Sync + 'static>(
    fetch: impl Future<Output = Result<T, FetchError>> + 'static,
    into: RwSignal<Loadable<T>>,
    current: StoredValue<u64>,
    generation: u64,
) -> LocalBoxFuture<'static, Result<(), FetchError>> {
    async move {
        let answer = fetch.await;
        let outcome = answer.as_ref().map(|_| ()).map_err(Clone::clone);
        if current.try_get_value() == Some(generation) {
            into.try_set(loadable(answer));
        }
        outcome
    }
    .boxed_local()
}

fn loadable<T>(answer: Result<T, FetchError>) -> Loadable<T> {
    match answer {
        Ok(value) => Loadable::Ready(value),
        Err(err) => Loadable::Failed(err),
    }
}
