//! The dashboard's state and its refresh: every quote and the portfolio are
//! requested at once through the `fanout` engine (bounded, timed out, retried,
//! cancellable), and each answer is shown the moment it lands.
//!
//! - [`rows`]: what a row holds, and how an answer lands in it;
//! - `targets`: what each request of a refresh asks for, and how it is sent;
//! - `watcher`: what the rows hear from the engine while they wait.

mod rows;
mod targets;
mod watcher;

use std::{collections::HashMap, time::Duration};

use fanout::{BrowserTimer, CancelToken, Engine, Policy};
use futures::StreamExt;
use leptos::prelude::*;
use market::{Portfolio, Quote, Symbol};

pub use rows::{Loadable, QuoteRow};
pub use targets::first_visit_paths;
use targets::{Request, Target, plan, request};
use watcher::Watcher;

use crate::{
    api::ApiClient,
    state::{
        batching::{self, batches},
        retrying::RetryNote,
        valuation::Live,
        waterfall::{self, BatchView},
    },
};

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

/// Everything the dashboard shows. Cheap to clone: signals and stored values
/// are handles.
#[derive(Debug, Clone)]
pub struct DashboardState {
    /// The owner rows are created under (the app's, not a handler's): a row
    /// added from a view's event must outlive that view.
    owner: Option<Owner>,
    client: StoredValue<ApiClient>,
    /// One row per watched symbol, in watchlist order.
    pub rows: RwSignal<Vec<QuoteRow>>,
    /// Quotes of held symbols that are not on the watchlist (to value them).
    pub held_quotes: RwSignal<HashMap<String, Quote>>,
    /// The account, as the API sent it.
    pub portfolio: RwSignal<Loadable<Portfolio>>,
    /// Set while the engine waits to ask for the portfolio again.
    pub portfolio_retry: RwSignal<Option<RetryNote>>,
    /// The last finished refresh.
    pub last_refresh: RwSignal<Option<RefreshSummary>>,
    /// The last finished refresh, request by request (the waterfall).
    pub last_batch: RwSignal<Option<BatchView>>,
    /// Whether a refresh is in flight.
    pub refreshing: RwSignal<bool>,
    /// Requests of the refresh in flight: (done, total).
    pub progress: RwSignal<(usize, usize)>,
    /// The engine every refresh runs on (kept on this thread: it is not `Send`).
    engine: StoredValue<Engine<BrowserTimer>, LocalStorage>,
    /// Cancels the refresh in flight, if any.
    cancel: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl DashboardState {
    /// State for `symbols`, all rows loading, refreshing under `policy`.
    pub fn new(client: ApiClient, symbols: Vec<Symbol>, policy: Policy) -> Self {
        DashboardState {
            owner: Owner::current(),
            client: StoredValue::new(client),
            rows: RwSignal::new(symbols.into_iter().map(QuoteRow::new).collect()),
            held_quotes: RwSignal::new(HashMap::new()),
            portfolio: RwSignal::new(Loadable::Loading),
            portfolio_retry: RwSignal::new(None),
            last_refresh: RwSignal::new(None),
            last_batch: RwSignal::new(None),
            refreshing: RwSignal::new(false),
            progress: RwSignal::new((0, 0)),
            engine: StoredValue::new_local(Engine::new(BrowserTimer::new(), policy)),
            cancel: StoredValue::new_local(None),
        }
    }

    /// Points the dashboard at another API or policy; a refresh in flight is cancelled.
    pub fn configure(&self, client: ApiClient, policy: Policy) {
        self.cancel();
        self.client.try_set_value(client);
        self.engine.try_set_value(Engine::new(BrowserTimer::new(), policy));
    }

    /// The policy refreshes run under.
    pub fn policy(&self) -> Option<Policy> {
        self.engine.try_with_value(|engine| *engine.policy())
    }

    /// Makes the rows follow `symbols` (in that order): rows kept keep their
    /// state; new rows start loading. Returns the symbols that are new.
    pub fn set_symbols(&self, symbols: &[Symbol]) -> Vec<Symbol> {
        let mut added = Vec::new();
        self.rows.try_update(|rows| {
            let mut old: HashMap<Symbol, QuoteRow> = rows.drain(..).map(|r| (r.symbol.clone(), r)).collect();
            for symbol in symbols {
                rows.push(old.remove(symbol).unwrap_or_else(|| {
                    added.push(symbol.clone());
                    match &self.owner {
                        Some(owner) => owner.with(|| QuoteRow::new(symbol.clone())),
                        None => QuoteRow::new(symbol.clone()),
                    }
                }));
            }
        });
        added
    }

    /// The latest price of `symbol`, from its row or the held symbols' quotes.
    pub fn price_of(&self, symbol: &str) -> Option<f64> {
        self.live_of(symbol).map(|live| live.price)
    }

    /// The latest price and day change of `symbol`, from its row or the held
    /// symbols' quotes (reactive: a view reading it follows both).
    pub fn live_of(&self, symbol: &str) -> Option<Live> {
        let live = |q: &Quote| Live { price: q.price, change: q.change };
        let from_row = self.rows.try_with(|rows| {
            rows.iter().find(|row| row.symbol.as_str() == symbol).and_then(|row| {
                row.quote.try_with(|q| match q {
                    Loadable::Ready(quote) => Some(live(quote)),
                    _ => None,
                })?
            })
        });
        from_row.flatten().or_else(|| self.held_quotes.try_with(|held| held.get(symbol).map(live)).flatten())
    }

    /// Starts the first refresh if none has run or is running (a view that
    /// shows quotes calls this when it mounts; a deep link to another view
    /// does not compete with it for the browser's connections).
    pub fn ensure_loaded(&self) {
        let idle = self.last_refresh.try_with_untracked(Option::is_none).unwrap_or(false)
            && !self.refreshing.try_get_untracked().unwrap_or(true);
        if idle {
            let state = self.clone();
            leptos::task::spawn_local(async move {
                state.refresh().await;
            });
        }
    }

    /// Stops the refresh in flight: its fetches are aborted, and rows that
    /// had no value yet say "cancelled".
    pub fn cancel(&self) {
        if let Some(token) = self.cancel.try_update_value(Option::take).flatten() {
            token.cancel();
            self.mark_cancelled();
        }
        self.refreshing.try_set(false);
    }

    /// Keeps this refresh's requests for the next page load to send early
    /// (src/api/early.rs); none when a provider is called directly.
    fn remember_plan(&self, targets: &[Target], direct: bool) {
        use crate::api::early;
        let Some(policy) = self.policy() else { return };
        // A provider called directly, or a rate limit: the engine alone
        // decides when each request may go.
        if direct || policy.rate.is_some() || policy.credits.is_some() {
            early::forget();
            return;
        }
        let Some(base) = self.client.try_with_value(|c| c.base_url().to_owned()) else { return };
        let paths = targets.iter().map(Target::path).collect();
        early::remember(early::Plan::from_storage(base, paths, policy.concurrency));
    }

    /// Requests every quote (the watchlist's and the held symbols') and the
    /// portfolio at once through the engine — up to six symbols quote by
    /// quote, more in calls of the batch endpoint sized to fly in one round
    /// ([`batches`]). Each row updates the moment its own answer lands; a
    /// failed request (or a symbol a batch failed on) marks only its own
    /// rows, and a symbol a batch failed on for a passing reason is asked
    /// for again on its own. A newer
    /// refresh cancels this one (latest wins), so a superseded answer is never
    /// shown.
    pub async fn refresh(&self) -> Option<RefreshSummary> {
        let token = CancelToken::new();
        let previous = self.cancel.try_update_value(|slot| slot.replace(token.clone())).flatten();
        if let Some(previous) = previous {
            previous.cancel();
        }
        let mut symbols: Vec<Symbol> =
            self.rows.try_with_untracked(|rows| rows.iter().map(|r| r.symbol.clone()).collect())?;
        symbols.extend(self.held_elsewhere());
        let direct = self.client.try_with_value(|c| c.direct().map(|d| d.limits.batch_size())).flatten();
        let groups = match direct {
            Some(size) => batching::batches_of(symbols, size),
            None => batches(symbols),
        };
        let targets = plan(groups);
        self.remember_plan(&targets, direct.is_some());
        let batched: Vec<Symbol> =
            targets.iter().filter(|t| matches!(t, Target::Quotes(_))).flat_map(|t| t.symbols().to_vec()).collect();
        self.refreshing.try_set(true);
        let batch = self.run(targets, &token, true).await;
        // What web/start.js sent and this refresh did not ask for is not needed.
        crate::api::early::discard_unclaimed();
        // Cancelled: by the Cancel button (which marked the rows) or by a
        // newer refresh (which owns the rows now); either way, hands off.
        if token.is_cancelled() {
            return None;
        }
        let batch = batch?;
        // A symbol the batch answer failed on for a passing reason (a 503)
        // gets its own request, with the engine's retries.
        let retry: Vec<Symbol> = batched.into_iter().filter(|s| self.failed_transiently(s)).collect();
        let summary = RefreshSummary {
            requests: batch.requests.len(),
            failures: batch.requests.iter().filter(|r| r.error.is_some()).count(),
            wall: batch.wall,
            sum: batch.sum,
        };
        // The component may be gone (navigated away, test unmounted): `try_`
        // writes do nothing then.
        self.last_refresh.try_set(Some(summary));
        self.last_batch.try_set(Some(batch));
        self.refreshing.try_set(false);
        self.cancel.try_set_value(None);
        // Held symbols first seen in this portfolio are valued at once.
        let mut missing: Vec<Symbol> =
            self.held_elsewhere().into_iter().filter(|s| self.price_of(s.as_str()).is_none()).collect();
        for symbol in retry {
            if !missing.contains(&symbol) {
                missing.push(symbol);
            }
        }
        self.load(missing).await;
        crate::diagnostics::refresh_finished();
        Some(summary)
    }

    /// Fetches just `symbols` (rows just added, or a Retry), beside any
    /// refresh in flight.
    pub async fn load(&self, symbols: Vec<Symbol>) {
        if symbols.is_empty() {
            return;
        }
        let targets = symbols.into_iter().map(Target::Quote).collect();
        self.run(targets, &CancelToken::new(), false).await;
    }

    /// Whether `symbol`'s row shows an error worth another try.
    fn failed_transiently(&self, symbol: &Symbol) -> bool {
        use fanout::{Classify, Retryable};
        let mut transient = false;
        self.with_row(symbol, |row| {
            transient = row.quote.with_untracked(|q| matches!(q, Loadable::Failed(e) if e.classify() != Retryable::No));
        });
        transient
    }

    /// Held symbols that have no row of their own.
    fn held_elsewhere(&self) -> Vec<Symbol> {
        let held: Vec<String> = self
            .portfolio
            .try_with_untracked(|p| match p {
                Loadable::Ready(p) => p.positions.iter().map(|pos| pos.symbol.clone()).collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        let on_rows = |symbol: &str| {
            self.rows.try_with_untracked(|rows| rows.iter().any(|r| r.symbol.as_str() == symbol)).unwrap_or(true)
        };
        held.iter().filter(|s| !on_rows(s)).filter_map(|s| Symbol::parse(s).ok()).collect()
    }

    /// Runs `targets` through the engine, showing each answer as it lands (and
    /// counting progress, for a refresh); returns the batch for the waterfall
    /// (`None` if the state is gone).
    async fn run(&self, targets: Vec<Target>, token: &CancelToken, counted: bool) -> Option<BatchView> {
        let engine = self.engine.try_get_value()?;
        let client = self.client.try_get_value()?;
        let requests: Vec<Request> = targets.iter().map(|target| request(&client, target)).collect();
        let total = targets.len();
        if counted {
            self.progress.try_set((0, total));
        }
        for symbol in targets.iter().flat_map(Target::symbols) {
            self.with_row(symbol, |row| row.pending.set(true));
        }
        let start = BrowserTimer::new();
        let origin_ms = web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
        let mut outcomes = Vec::with_capacity(total);
        // While the engine waits to send a request (again), its rows say why and when.
        let observer = Watcher { state: self, targets: &targets, token, direct: client.direct().map(|d| d.provider) };
        let mut landing = std::pin::pin!(engine.as_completed_observed(requests, token, observer));
        while let Some((index, outcome)) = landing.next().await {
            if !token.is_cancelled() {
                self.show(&targets[index], &outcome);
                if counted {
                    self.progress.try_update(|(done, _)| *done += 1);
                }
            }
            outcomes.push((index, outcome));
        }
        // A cancelled batch leaves the rows to whoever cancelled it.
        if !token.is_cancelled() {
            for symbol in targets.iter().flat_map(Target::symbols) {
                self.with_row(symbol, |row| row.pending.set(false));
            }
        }
        let wall = fanout::Clock::now(&start);
        outcomes.sort_by_key(|(index, _)| *index);
        // Requests web/start.js sent before the app started count from then.
        let base = client.base_url();
        let any_early = crate::api::early::any_claimed();
        let landed = outcomes.into_iter().map(|(index, outcome)| {
            let early = any_early
                .then(|| format!("{base}{}", targets[index].path()))
                .and_then(|url| crate::api::early::claimed_start(&url))
                .map(|started| Duration::from_secs_f64((origin_ms - started).max(0.0) / 1e3));
            waterfall::Landed { label: targets[index].label(), outcome, early }
        });
        Some(waterfall::batch_view(landed.collect(), wall, engine.policy().concurrency))
    }

    /// The engine refreshes run on (the ticker view shares it, and with it the
    /// provider's budget and any `Retry-After` pause).
    pub fn engine(&self) -> Option<Engine<BrowserTimer>> {
        self.engine.try_get_value()
    }

    /// Credits left in the direct provider's budget this minute, if one is used.
    pub fn credits_left(&self) -> Option<u32> {
        self.engine.try_with_value(Engine::credits_left).flatten()
    }

    /// Credits left today and the day's limit, for a provider called
    /// directly whose plan counts days.
    pub fn day_credits_left(&self) -> Option<(u32, u32)> {
        self.client.try_with_value(|c| c.direct().and_then(crate::api::Direct::day_left)).flatten()
    }
}
