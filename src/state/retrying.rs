//! What a row says while the engine waits to try a request again: the
//! failure, and a countdown to the next attempt ("AAPL: server busy (503) —
//! retrying in 2 s"), so a transient failure is visible while it is handled,
//! not only once every attempt is spent.

use fanout::Retry;

use crate::api::FetchError;

/// A request that failed an attempt and will be sent again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNote {
    /// What the request asks for: a symbol, or "the portfolio".
    pub what: String,
    /// The attempt's error; `None` when it ran out of time.
    pub error: Option<FetchError>,
    /// When the next attempt goes out (`Date.now()`, ms).
    pub at_ms: f64,
}

impl RetryNote {
    /// The note for `retry` of the request about `what`, heard at `now_ms`.
    pub fn new(what: &str, retry: &Retry<'_, FetchError>, now_ms: f64) -> Self {
        RetryNote { what: what.to_owned(), error: retry.error.cloned(), at_ms: now_ms + retry.wait.as_secs_f64() * 1e3 }
    }

    /// The sentence at `now_ms`: the failure in a few words, then the countdown.
    pub fn sentence(&self, now_ms: f64) -> String {
        let seconds = ((self.at_ms - now_ms) / 1e3).ceil().max(0.0) as u64;
        let when =
            |word: &str| if seconds == 0 { "retrying now".to_owned() } else { format!("retrying {word} {seconds} s") };
        let what = &self.what;
        match &self.error {
            None => format!("{what}: no answer in time — {}", when("in")),
            Some(FetchError::Unavailable { status, .. }) => format!("{what}: server busy ({status}) — {}", when("in")),
            Some(FetchError::RateLimited { .. }) => format!("{what}: rate limited — {}", when("after")),
            Some(FetchError::Network(_)) => format!("{what}: could not reach the market API — {}", when("in")),
            Some(FetchError::Incomplete(_)) => format!("{what}: the connection broke mid-answer — {}", when("in")),
            Some(FetchError::Refused { status, .. }) => format!("{what}: refused ({status}) — {}", when("in")),
            Some(other) => format!("{what}: {other} — {}", when("in")),
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
}
