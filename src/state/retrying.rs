//! What a row says while the engine waits to send its request: after a
//! failure, the failure and a countdown to the next attempt ("AAPL: server
//! busy (503) — retrying in 2 s"); waiting for a provider's credit budget,
//! when its turn comes ("AAPL: rate limited by Twelve Data's budget — next
//! try at 16:58:03"). A transient failure or a spent budget is visible while
//! it is handled, not only once every attempt is spent.

use fanout::Retry;
use providers::ProviderId;

use crate::{api::FetchError, format};

/// Why a request waits.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Its last attempt failed.
    Failed(FetchError),
    /// Its last attempt ran out of time.
    TimedOut,
    /// The provider's credit budget has no room until then.
    Budget(ProviderId),
}

/// A request that waits to be sent (again).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNote {
    /// What the request asks for: a symbol, or "the portfolio".
    pub what: String,
    /// Why it waits.
    pub reason: Reason,
    /// When it goes out (`Date.now()`, ms).
    pub at_ms: f64,
}

impl RetryNote {
    /// The note for `retry` of the request about `what`, heard at `now_ms`.
    pub fn new(what: &str, retry: &Retry<'_, FetchError>, now_ms: f64) -> Self {
        let reason = retry.error.map_or(Reason::TimedOut, |e| Reason::Failed(e.clone()));
        RetryNote { what: what.to_owned(), reason, at_ms: now_ms + retry.wait.as_secs_f64() * 1e3 }
    }

    /// The note of a request about `what` that waits `wait` for `provider`'s budget.
    pub fn budget(what: &str, provider: ProviderId, wait: std::time::Duration, now_ms: f64) -> Self {
        RetryNote { what: what.to_owned(), reason: Reason::Budget(provider), at_ms: now_ms + wait.as_secs_f64() * 1e3 }
    }

    /// The sentence at `now_ms`: why, then the countdown (or the clock time
    /// of the next try, for a budget that renews by the minute).
    pub fn sentence(&self, now_ms: f64) -> String {
        let seconds = ((self.at_ms - now_ms) / 1e3).ceil().max(0.0) as u64;
        let when =
            |word: &str| if seconds == 0 { "retrying now".to_owned() } else { format!("retrying {word} {seconds} s") };
        let what = &self.what;
        match &self.reason {
            Reason::Budget(provider) => {
                format!("{what}: rate limited by {provider}'s budget — next try at {}", format::clock_time(self.at_ms))
            }
            Reason::TimedOut => format!("{what}: no answer in time — {}", when("in")),
            Reason::Failed(FetchError::Unavailable { status, .. }) => {
                format!("{what}: server busy ({status}) — {}", when("in"))
            }
            Reason::Failed(FetchError::RateLimited { .. }) => format!("{what}: rate limited — {}", when("after")),
            Reason::Failed(FetchError::Provider(providers::ProviderError::RateLimited { provider, .. })) => {
                format!("{what}: rate limited by {provider} — next try at {}", format::clock_time(self.at_ms))
            }
            Reason::Failed(FetchError::Network(_)) => {
                format!("{what}: could not reach the market API — {}", when("in"))
            }
            Reason::Failed(FetchError::Incomplete(_)) => {
                format!("{what}: the connection broke mid-answer — {}", when("in"))
            }
            Reason::Failed(FetchError::Refused { status, .. }) => {
                format!("{what}: refused ({status}) — {}", when("in"))
            }
            Reason::Failed(other) => format!("{what}: {other} — {}", when("in")),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn note(error: Option<FetchError>, wait_ms: u64) -> RetryNote {
        let retry = Retry { attempt: 1, error: error.as_ref(), wait: Duration::from_millis(wait_ms) };
        RetryNote::new("AAPL", &retry, 10_000.0)
    }

    #[test]
    fn each_passing_failure_says_what_happened_and_when_the_next_try_is() {
        let busy = note(Some(FetchError::Unavailable { what: "AAPL".into(), status: 503 }), 1_500);
        assert_eq!(busy.sentence(10_000.0), "AAPL: server busy (503) — retrying in 2 s");
        assert_eq!(busy.sentence(10_600.0), "AAPL: server busy (503) — retrying in 1 s");
        assert_eq!(busy.sentence(11_500.0), "AAPL: server busy (503) — retrying now");
        assert_eq!(busy.sentence(20_000.0), "AAPL: server busy (503) — retrying now", "never a negative count");
        let limited = note(Some(FetchError::RateLimited { what: "AAPL".into(), retry_after_seconds: 3 }), 3_000);
        assert_eq!(limited.sentence(10_000.0), "AAPL: rate limited — retrying after 3 s");
        assert_eq!(note(None, 400).sentence(10_000.0), "AAPL: no answer in time — retrying in 1 s");
        let broke = note(Some(FetchError::Incomplete("reset".into())), 2_000);
        assert_eq!(broke.sentence(10_000.0), "AAPL: the connection broke mid-answer — retrying in 2 s");
        let unreachable = note(Some(FetchError::Network("refused".into())), 1_000);
        assert_eq!(unreachable.sentence(10_000.0), "AAPL: could not reach the market API — retrying in 1 s");
    }

    #[test]
    fn a_spent_budget_says_when_the_turn_comes() {
        // 16:57:45 UTC, 18 s to wait.
        let now = ((16 * 60 + 57) * 60 + 45) as f64 * 1e3;
        let waiting = RetryNote::budget("NVDA", ProviderId::TwelveData, Duration::from_secs(18), now);
        assert_eq!(waiting.sentence(now), "NVDA: rate limited by Twelve Data's budget — next try at 16:58:03");
    }
}
