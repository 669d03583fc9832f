//! Provider mode: quotes and history from a real provider (Twelve Data or
//! Alpaca) through the `providers` crate, served in our own `/api/v1`
//! contract so the app needs no change.
//!
//! Every tab shares one [`Budget`] of the provider's plan: a batch is split
//! into calls of the plan's batch size, each call spends its cost before it
//! is sent, and a call that does not fit is not sent — its symbols are
//! answered `rate_limited` with the wait. Answers are cached (quotes 5 s,
//! history 60 s), and one gate lets one request at a time call the provider,
//! so tabs asking the same thing at once cost one call.

mod budget;
mod cache;
mod call;

use std::{collections::HashMap, time::Duration};

use market::{Bar, History, Period, Quote};
use providers::{Limits, ProviderError, ProviderId, alpaca};
use time::Date;

use self::{
    budget::Budget,
    cache::{Cache, Known},
    call::{CallError, Caller},
};
use crate::{
    config::{ProviderConfig, ProviderKeys},
    error::ApiError,
};

/// How long a quote is served from the cache.
const QUOTE_TTL: Duration = Duration::from_secs(5);
/// How long a history is served from the cache.
const HISTORY_TTL: Duration = Duration::from_secs(60);
/// The most pages of Alpaca bars one history follows.
const MAX_PAGES: usize = 10;

/// The provider, its budget and its cache.
#[derive(Debug)]
pub(crate) struct Source {
    caller: Caller,
    limits: Limits,
    budget: Budget,
    quotes: Cache<String, Known<Quote>>,
    histories: Cache<(String, Period), Known<History>>,
    gate: tokio::sync::Mutex<()>,
}

impl Source {
    pub(crate) fn new(config: ProviderConfig) -> Self {
        let limits = config.id.limits();
        Source {
            budget: Budget::new(limits, config.minute),
            caller: Caller::new(config),
            limits,
            quotes: Cache::new(QUOTE_TTL),
            histories: Cache::new(HISTORY_TTL),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    fn id(&self) -> ProviderId {
        self.caller.id()
    }

    /// Quotes for `symbols` (valid, normalised, each once), in their order.
    pub(crate) async fn quotes(&self, symbols: &[String]) -> Vec<Result<Quote, ApiError>> {
        let mut answers: Vec<Option<Result<Quote, ApiError>>> = symbols.iter().map(|s| self.cached_quote(s)).collect();
        if answers.iter().any(Option::is_none) {
            let _gate = self.gate.lock().await;
            // Another request may have fetched some while this one waited.
            for (answer, symbol) in answers.iter_mut().zip(symbols).filter(|(a, _)| a.is_none()) {
                *answer = self.cached_quote(symbol);
            }
            let missing: Vec<String> =
                symbols.iter().zip(&answers).filter(|(_, a)| a.is_none()).map(|(s, _)| s.clone()).collect();
            let mut fetched = HashMap::new();
            for call in missing.chunks(self.limits.batch_size()) {
                self.fetch_quotes(call.to_vec(), &mut fetched).await;
            }
            for (answer, symbol) in answers.iter_mut().zip(symbols).filter(|(a, _)| a.is_none()) {
                *answer = fetched.remove(symbol);
            }
        }
        answers.into_iter().map(|answer| answer.unwrap_or(Err(ApiError::Internal))).collect()
    }

    fn cached_quote(&self, symbol: &str) -> Option<Result<Quote, ApiError>> {
        Some(match self.quotes.get(&symbol.to_owned())? {
            Known::Found(quote) => Ok(quote),
            Known::Unknown => Err(ApiError::UnknownSymbol(symbol.to_owned())),
        })
    }

    /// One call for `symbols` if the budget allows it; a symbol the provider
    /// rejects the whole call for is answered alone and the rest asked again.
    async fn fetch_quotes(&self, mut symbols: Vec<String>, out: &mut HashMap<String, Result<Quote, ApiError>>) {
        while !symbols.is_empty() {
            if let Err(wait) = self.budget.spend(self.limits.cost_of(symbols.len())) {
                for symbol in symbols {
                    out.insert(symbol, Err(ApiError::ProviderBudget { provider: self.id(), wait }));
                }
                return;
            }
            match self.caller.quotes(&symbols).await {
                Ok(per_symbol) => {
                    for (symbol, result) in per_symbol {
                        let answer = match result {
                            Ok(quote) => {
                                self.quotes.put(symbol.clone(), Known::Found(quote.clone()));
                                Ok(quote)
                            }
                            Err(error) => {
                                let error = CallError::Provider(error);
                                self.log(&error);
                                Err(self.failed(error, &symbol))
                            }
                        };
                        out.insert(symbol, answer);
                    }
                    return;
                }
                Err(CallError::Provider(ProviderError::UnknownSymbol { symbol: named, .. }))
                    if symbols.len() > 1 && symbols.contains(&named) =>
                {
                    out.insert(named.clone(), Err(self.failed(unknown(self.id(), &named), &named)));
                    symbols.retain(|symbol| *symbol != named);
                }
                Err(error) => {
                    self.log(&error);
                    for symbol in symbols {
                        let answer = Err(self.failed(error.clone(), &symbol));
                        out.insert(symbol, answer);
                    }
                    return;
                }
            }
        }
    }

    /// `symbol`'s daily bars over `period`, up to `today`.
    pub(crate) async fn history(&self, symbol: &str, period: Period, today: Date) -> Result<History, ApiError> {
        let key = (symbol.to_owned(), period);
        if let Some(hit) = self.cached_history(&key) {
            return hit;
        }
        let _gate = self.gate.lock().await;
        if let Some(hit) = self.cached_history(&key) {
            return hit;
        }
        let days = period.trading_days();
        let bars = match self.caller.keys() {
            ProviderKeys::TwelveData(api_key) => {
                self.spend(1)?;
                self.caller.twelvedata_history(api_key, symbol, days).await
            }
            ProviderKeys::Alpaca(keys) => self.alpaca_history(keys, symbol, days, today).await?,
        };
        let bars = match bars {
            // Alpaca leaves a symbol it does not know out of its bars.
            Ok(bars) if bars.is_empty() && self.id() == ProviderId::Alpaca => Err(unknown(self.id(), symbol)),
            other => other,
        };
        match bars {
            Ok(mut bars) => {
                bars.drain(..bars.len().saturating_sub(days));
                let history = History { symbol: symbol.to_owned(), period, bars };
                self.histories.put(key, Known::Found(history.clone()));
                Ok(history)
            }
            Err(error) => {
                self.log(&error);
                if matches!(error, CallError::Provider(ProviderError::UnknownSymbol { .. })) {
                    self.histories.put(key, Known::Unknown);
                }
                Err(self.failed(error, symbol))
            }
        }
    }

    fn cached_history(&self, key: &(String, Period)) -> Option<Result<History, ApiError>> {
        Some(match self.histories.get(key)? {
            Known::Found(history) => Ok(history),
            Known::Unknown => Err(ApiError::UnknownSymbol(key.0.clone())),
        })
    }

    /// Alpaca's bars from far enough back for `days` trading days, page by
    /// page, each page a request of the budget.
    async fn alpaca_history(
        &self,
        keys: &alpaca::Keys,
        symbol: &str,
        days: usize,
        today: Date,
    ) -> Result<Result<Vec<Bar>, CallError>, ApiError> {
        let start = alpaca_start(today, days);
        let mut bars = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            self.spend(1)?;
            let page = match self.caller.alpaca_bars(keys, symbol, &start, token.as_deref()).await {
                Ok(page) => page,
                Err(error) => return Ok(Err(error)),
            };
            for (_, page_bars) in page.bars {
                bars.extend(page_bars.unwrap_or_default());
            }
            token = page.next_page_token;
            if token.is_none() {
                break;
            }
        }
        Ok(Ok(bars))
    }

    fn spend(&self, cost: u32) -> Result<(), ApiError> {
        self.budget.spend(cost).map_err(|wait| ApiError::ProviderBudget { provider: self.id(), wait })
    }

    /// Our error for `symbol` when the provider gave none of its data; a
    /// symbol it does not know is remembered as such for a while.
    fn failed(&self, error: CallError, symbol: &str) -> ApiError {
        let provider = self.id();
        match error {
            CallError::Provider(ProviderError::UnknownSymbol { .. }) => {
                self.quotes.put(symbol.to_owned(), Known::Unknown);
                ApiError::UnknownSymbol(symbol.to_owned())
            }
            CallError::Provider(
                ProviderError::RateLimited { retry_after: wait, .. }
                | ProviderError::DayBudgetSpent { renews_in: wait, .. }
                | ProviderError::DayBudgetShort { renews_in: wait, .. },
            ) => ApiError::ProviderBudget { provider, wait },
            CallError::Provider(ProviderError::BadKey { .. }) => ApiError::ProviderUnavailable(format!(
                "{provider} refused this server's API key; the server's operator must check it"
            )),
            CallError::Provider(ProviderError::Down { status, .. }) => {
                ApiError::ProviderUnavailable(format!("{provider} could not answer ({status}); try again shortly"))
            }
            CallError::Provider(ProviderError::Unreadable { .. }) => ApiError::ProviderUnavailable(format!(
                "{provider} sent an answer this server could not read; try again shortly"
            )),
            CallError::Unreachable(_) => {
                ApiError::ProviderUnavailable(format!("{provider} could not be reached; try again shortly"))
            }
        }
    }

    /// Logs a failed call (the provider's words, never a key).
    fn log(&self, error: &CallError) {
        match error {
            CallError::Provider(
                ProviderError::UnknownSymbol { .. }
                | ProviderError::RateLimited { .. }
                | ProviderError::DayBudgetSpent { .. }
                | ProviderError::DayBudgetShort { .. },
            ) => {}
            CallError::Provider(error) => tracing::warn!(provider = %self.id(), %error, "provider call failed"),
            CallError::Unreachable(detail) => tracing::warn!(provider = %self.id(), detail, "provider unreachable"),
        }
    }
}

fn unknown(provider: ProviderId, symbol: &str) -> CallError {
    CallError::Provider(ProviderError::UnknownSymbol { provider, symbol: symbol.to_owned() })
}

/// The first day to ask Alpaca's bars from for `days` trading days up to
/// `today`: five trading days a week, plus room for holidays.
fn alpaca_start(today: Date, days: usize) -> String {
    let calendar_days = days * 7 / 5 + days / 20 + 7;
    (today - time::Duration::days(calendar_days as i64)).to_string()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn alpacas_start_leaves_room_for_weekends_and_holidays() {
        assert_eq!(alpaca_start(date!(2026 - 11 - 26), 21), "2026-10-20");
        assert_eq!(alpaca_start(date!(2026 - 11 - 26), 1260), "2021-11-18");
    }
}
