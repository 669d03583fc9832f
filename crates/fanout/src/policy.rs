//! How a batch runs: concurrency, timeouts, retries — and how the caller tells
//! the engine which of its errors are worth retrying.

use std::time::Duration;

use crate::{CreditWindow, RateLimit};

/// What to do after a failed attempt, as the caller's error type says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retryable {
    /// Permanent (4xx, bad data): report it, do not try again.
    No,
    /// Transient (network, 5xx, 408): try again after a backoff.
    Yes,
    /// The server said when (`429` / `503` with `Retry-After`): pause every
    /// request of the batch for this long, then try again.
    After(Duration),
}

/// Implemented by the caller's error type, so the engine knows what to retry.
///
/// ```
/// use std::time::Duration;
/// use fanout::{Classify, Retryable};
///
/// /// An HTTP failure: its status and the `Retry-After` it carried, in seconds.
/// struct HttpError { status: u16, retry_after: Option<u64> }
///
/// impl Classify for HttpError {
///     fn classify(&self) -> Retryable {
///         match (self.status, self.retry_after) {
///             (429 | 503, Some(seconds)) => Retryable::After(Duration::from_secs(seconds)),
///             (408 | 429 | 500..=599, _) => Retryable::Yes,
///             _ => Retryable::No,
///         }
///     }
/// }
/// assert_eq!(HttpError { status: 429, retry_after: Some(3) }.classify(), Retryable::After(Duration::from_secs(3)));
/// assert_eq!(HttpError { status: 502, retry_after: None }.classify(), Retryable::Yes);
/// assert_eq!(HttpError { status: 404, retry_after: None }.classify(), Retryable::No);
/// ```
pub trait Classify {
    /// Whether (and when) this failure is worth another attempt.
    fn classify(&self) -> Retryable;
}

/// Exponential backoff with full jitter: before retry `n` (1-based) the engine
/// waits a random time in `0..=min(cap, base × 2^(n-1))`.
///
/// ```
/// use std::time::Duration;
/// use fanout::Backoff;
/// let backoff = Backoff { base: Duration::from_millis(200), cap: Duration::from_secs(1) };
/// let ceilings: Vec<_> = (1..=4).map(|retry| backoff.ceiling(retry).as_millis()).collect();
/// assert_eq!(ceilings, [200, 400, 800, 1000]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The first retry's longest wait.
    pub base: Duration,
    /// No wait is longer than this.
    pub cap: Duration,
}

impl Backoff {
    /// The longest wait before retry `retry` (1-based).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.base.saturating_mul(factor).min(self.cap)
    }
}

/// How a batch runs. `Policy::default()` is the seed's plain gather: unbounded,
/// no timeouts, one attempt, no rate limit.
///
/// Timeouts: each attempt may take `attempt_timeout`, the batch `deadline`.
///
/// ```
/// use std::time::Duration;
/// use fanout::{CancelToken, Engine, Failure, Policy, Retryable, VirtualTimer};
///
/// # #[derive(Debug, PartialEq)] struct Never;
/// # impl fanout::Classify for Never { fn classify(&self) -> Retryable { Retryable::No } }
/// let timer = VirtualTimer::new();
/// let policy = Policy {
///     attempt_timeout: Some(Duration::from_secs(1)),
///     max_attempts: 2,
///     deadline: Some(Duration::from_millis(1500)),
///     ..Policy::default()
/// };
/// let engine = Engine::new(timer.clone(), policy);
/// let report = timer.run(async move {
///     // A server that never answers.
///     let hang = |_attempt: u32| futures::future::pending::<Result<(), Never>>();
///     engine.run(vec![hang], &CancelToken::new()).await
/// });
/// let outcome = &report.outcomes()[0];
/// // The first attempt timed out after 1 s; the deadline stopped the second.
/// assert_eq!(outcome.result, Err(Failure::DeadlineExceeded));
/// assert_eq!(outcome.attempts.len(), 2);
/// assert!(report.wall() <= Duration::from_millis(1500));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// At most this many requests in flight; `None` for no limit.
    pub concurrency: Option<usize>,
    /// At most this many attempts per second (a token bucket shared by every
    /// batch of the engine); `None` for no limit.
    pub rate: Option<RateLimit>,
    /// A provider's credit budget: each attempt spends its request's cost
    /// ([`crate::Observer::cost`]) and waits until the window has room.
    pub credits: Option<CreditWindow>,
    /// Each attempt gives up after this long.
    pub attempt_timeout: Option<Duration>,
    /// The whole batch gives up after this long: requests not done by then
    /// report [`crate::Failure::DeadlineExceeded`].
    pub deadline: Option<Duration>,
    /// Attempts per request, the first included (at least 1).
    pub max_attempts: u32,
    /// Waits between attempts.
    pub backoff: Backoff,
    /// Seed of the jitter: the same seed, the same waits.
    pub seed: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            concurrency: None,
            rate: None,
            credits: None,
            attempt_timeout: None,
            deadline: None,
            max_attempts: 1,
            backoff: Backoff { base: Duration::from_millis(200), cap: Duration::from_secs(5) },
            seed: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let backoff = Backoff { base: Duration::from_millis(100), cap: Duration::from_millis(700) };
        let ceilings: Vec<_> = (1..=5).map(|n| backoff.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 200, 400, 700, 700]);
        assert_eq!(backoff.ceiling(200), Duration::from_millis(700), "no overflow");
    }
}
