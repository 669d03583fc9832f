//! A data provider called straight from the browser with the user's own key
//! (Twelve Data): for a statically hosted app, no server of ours in between.
//! Requests and answers are mapped by the `providers` crate, the same code
//! the server uses; the provider's batch size and credit budget go into the
//! engine's policy (see `Settings::policy` and `batching::batches`); its day
//! budget is counted here, before each call ([`super::day_budget`]).

use std::time::Duration;

use market::{History, Period, Symbol};
use providers::{DayBudget, Limits, PerSymbol, ProviderError, ProviderId, twelvedata};

use super::day_budget::DayCount;

use crate::api::{
    Batch, FetchError,
    client::{Answer, Unanswered, checked, fetch_text},
};

/// A provider the browser calls itself. `Debug` leaves the key out.
#[derive(Clone, PartialEq, Eq)]
pub struct Direct {
    /// Which provider (Twelve Data: Alpaca's secret must stay on a server).
    pub provider: ProviderId,
    /// Its address (the real one, or an emulator's).
    pub base_url: String,
    /// The user's key, sent only in the provider's header.
    pub key: String,
    /// The provider's minute: 60 s, shorter against an emulator.
    pub minute: Duration,
    /// What the user's plan allows (the free plan's, unless the settings say more).
    pub limits: Limits,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .field("minute", &self.minute)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Direct {
    /// Twelve Data at `base_url` with `key`, its minute `minute` long, on
    /// the free plan.
    pub fn twelve_data(base_url: &str, key: &str, minute: Duration) -> Direct {
        Direct {
            provider: ProviderId::TwelveData,
            base_url: base_url.trim().trim_end_matches('/').to_owned(),
            key: key.trim().to_owned(),
            minute,
            limits: twelvedata::LIMITS,
        }
    }

    /// The same provider on a plan with these limits.
    pub fn with_limits(mut self, limits: Limits) -> Direct {
        self.limits = limits;
        self
    }

    /// The plan's day count at this address, if the plan counts days.
    pub fn day_count(&self) -> Option<DayCount> {
        let budget = self.limits.per_day.map(|limit| DayBudget { provider: self.provider, limit, minute: self.minute });
        budget.map(|budget| DayCount::new(budget, &self.base_url))
    }

    /// Credits left today and the day's limit, if the plan counts days.
    pub fn day_left(&self) -> Option<(u32, u32)> {
        self.day_count().map(|count| (count.left(), count.budget.limit))
    }

    /// Spends `symbols`' credits from the day budget before a call.
    fn spend_day(&self, symbols: usize) -> Result<(), FetchError> {
        match self.day_count() {
            Some(count) => Ok(count.spend(self.limits.cost_of(symbols))?),
            None => Ok(()),
        }
    }

    /// Notes how a call of `symbols` symbols failed (or, with 0, one symbol
    /// in it): refused for the day, nothing more is asked today; refused
    /// whole for the minute or the key, failed by the provider (5xx) or never
    /// answered, it is not counted (were it charged after all, the provider's
    /// own refusal for the day still stops the calls).
    fn heard(&self, error: &FetchError, symbols: usize) {
        let Some(count) = self.day_count() else { return };
        match error {
            FetchError::Provider(ProviderError::DayBudgetSpent { .. }) => count.spent_up(),
            FetchError::Provider(
                ProviderError::RateLimited { .. }
                | ProviderError::BadKey { .. }
                | ProviderError::Down { status: 500.., .. },
            )
            | FetchError::ProviderUnreachable { .. }
                if symbols > 0 =>
            {
                count.refund(self.limits.cost_of(symbols))
            }
            _ => {}
        }
    }

    fn clock(&self) -> twelvedata::Clock {
        twelvedata::Clock { now_ms: js_sys::Date::now() as u64, minute: self.minute }
    }

    async fn send(&self, get: providers::HttpGet, what: &str) -> Result<Answer, FetchError> {
        let headers: Vec<(&str, &str)> = get.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        fetch_text(&get.url, &headers, what).await.map_err(|failure| match failure {
            Unanswered::Network(detail) => FetchError::ProviderUnreachable { provider: self.provider, detail },
            Unanswered::Other(error) => error,
        })
    }

    /// One call for `names`: spends the day's credits first, sends `get`,
    /// and reads the answer with `read`; the day's count hears how the call,
    /// and each symbol in it, went.
    async fn call<T>(
        &self,
        names: &[String],
        get: providers::HttpGet,
        what: &str,
        read: Reader<T>,
    ) -> Result<PerSymbol<T>, FetchError> {
        self.spend_day(names.len())?;
        let read =
            self.send(get, what).await.and_then(|answer| Ok(read(answer.status, &answer.body, names, self.clock())?));
        match &read {
            Err(error) => self.heard(error, names.len()),
            Ok(per_symbol) => {
                for error in per_symbol.iter().filter_map(|(_, result)| result.as_ref().err()) {
                    self.heard(&FetchError::Provider(error.clone()), 0);
                }
            }
        }
        read
    }

    /// Quotes of `symbols`, in one call, each with its own result.
    pub(crate) async fn quotes(&self, symbols: &[Symbol]) -> Result<Batch, FetchError> {
        #[cfg(feature = "split")]
        let call = quotes_call(self.clone(), symbols.to_vec()).await?;
        #[cfg(not(feature = "split"))]
        let call = quotes_call(self.clone(), symbols.to_vec())?;
        call.await
    }

    /// `symbol`'s daily bars over `period`.
    pub(crate) async fn history(&self, symbol: &Symbol, period: Period) -> Result<History, FetchError> {
        #[cfg(feature = "split")]
        let call = history_call(self.clone(), symbol.clone(), period).await?;
        #[cfg(not(feature = "split"))]
        let call = history_call(self.clone(), symbol.clone(), period)?;
        call.await
    }

    async fn quotes_now(&self, symbols: &[Symbol]) -> Result<Batch, FetchError> {
        let names: Vec<String> = symbols.iter().map(Symbol::to_string).collect();
        let get = twelvedata::quotes_request(&self.base_url, &self.key, &names);
        Ok(split(self.call(&names, get, "the batch of quotes", twelvedata::read_quotes).await?))
    }

    async fn history_now(&self, symbol: &Symbol, period: Period) -> Result<History, FetchError> {
        let names = vec![symbol.to_string()];
        let get = twelvedata::history_request(&self.base_url, &self.key, &names, period.trading_days());
        let mut read = self.call(&names, get, symbol.as_str(), twelvedata::read_history).await?;
        let (_, bars) = read.pop().ok_or_else(|| FetchError::Decode(format!("no history of {symbol}")))?;
        Ok(History { symbol: symbol.to_string(), period, bars: bars? })
    }
}

/// A call to the provider, whose code (the requests, the readers of every
/// answer: the `providers` crate) is a chunk of its own in the release
/// build, fetched the first time a provider is called directly: the first
/// screen of the Tickerboard API never loads it.
type Call<T> = futures::future::LocalBoxFuture<'static, Result<T, FetchError>>;

#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(direct, fallible))]
fn quotes_call(direct: Direct, symbols: Vec<Symbol>) -> Result<Call<Batch>, FetchError> {
    Ok(Box::pin(async move { direct.quotes_now(&symbols).await }))
}

#[cfg_attr(feature = "split", wasm_split_helpers::wasm_split(direct, fallible))]
fn history_call(direct: Direct, symbol: Symbol, period: Period) -> Result<Call<History>, FetchError> {
    Ok(Box::pin(async move { direct.history_now(&symbol, period).await }))
}

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for FetchError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        FetchError::CodeMissing
    }
}

/// The `providers` function that reads one kind of answer (status, body,
/// the symbols asked for, the clock).
type Reader<T> = fn(u16, &str, &[String], twelvedata::Clock) -> Result<PerSymbol<T>, ProviderError>;

/// A provider's per-symbol answer as the app's batch: plausible quotes, and
/// each other symbol's reason.
fn split(read: PerSymbol<market::Quote>) -> Batch {
    let mut batch = Batch { quotes: Vec::new(), errors: Vec::new() };
    for (symbol, result) in read {
        match result.map_err(FetchError::from).and_then(checked) {
            Ok(quote) => batch.quotes.push(quote),
            Err(error) => batch.errors.push((symbol, error)),
        }
    }
    batch
}

impl From<ProviderError> for FetchError {
    fn from(error: ProviderError) -> Self {
        FetchError::Provider(error)
    }
}
