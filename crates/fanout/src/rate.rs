//! Rate limiting by token bucket: one shared by every request of an
//! [`crate::Engine`], so a batch never sends faster than the API allows; and
//! the bucket itself, pure (the clock's reading is passed in), for whoever
//! keeps buckets of their own (the market API keeps one per key).

use std::time::Duration;

/// At most `per_second` requests a second on average, with bursts of `burst`.
///
/// ```
/// use std::time::Duration;
/// use fanout::{CancelToken, Engine, Policy, RateLimit, Retryable, VirtualTimer};
///
/// # #[derive(Debug)] struct Never;
/// # impl fanout::Classify for Never { fn classify(&self) -> Retryable { Retryable::No } }
/// let timer = VirtualTimer::new();
/// let rate = RateLimit { per_second: 2.0, burst: 1 };
/// let engine = Engine::new(timer.clone(), Policy { rate: Some(rate), ..Policy::default() });
/// let report = timer.run(async move {
///     let requests: Vec<_> = (0..3).map(|i| move |_attempt: u32| async move { Ok::<_, Never>(i) }).collect();
///     engine.run(requests, &CancelToken::new()).await
/// });
/// let sent: Vec<_> = report.outcomes().iter().map(|o| o.attempts[0].started.as_millis()).collect();
/// assert_eq!(sent, [0, 500, 1000], "one at once, then one every 500 ms");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Tokens added per second.
    pub per_second: f64,
    /// Tokens the bucket holds at most (and at the start).
    pub burst: u32,
}

/// A token bucket's state at its last reading of a clock (any clock: a
/// [`Duration`] since an origin of the caller's choosing).
///
/// ```
/// use std::time::Duration;
/// use fanout::{Bucket, RateLimit};
///
/// let mut bucket = Bucket::new(RateLimit { per_second: 2.0, burst: 1 }, Duration::ZERO);
/// assert_eq!(bucket.take(Duration::ZERO), Ok(()));
/// assert_eq!(bucket.take(Duration::ZERO), Err(Duration::from_millis(500)));
/// assert_eq!(bucket.take(Duration::from_millis(500)), Ok(()));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    limit: RateLimit,
    tokens: f64,
    updated: Duration,
}

impl Bucket {
    /// A full bucket at `now`.
    pub fn new(limit: RateLimit, now: Duration) -> Self {
        Bucket { limit, tokens: f64::from(limit.burst.max(1)), updated: now }
    }

    /// Takes a token at `now`, or says how long until one is there.
    pub fn take(&mut self, now: Duration) -> Result<(), Duration> {
        let elapsed = now.saturating_sub(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(f64::from(self.limit.burst.max(1)));
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            // Round up to whole microseconds so the wait is never a hair short.
            let wait = (1.0 - self.tokens) / self.limit.per_second;
            Err(Duration::from_micros((wait * 1e6).ceil() as u64))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_tokens_come_at_the_rate() {
        let mut bucket = Bucket::new(RateLimit { per_second: 2.0, burst: 2 }, Duration::ZERO);
        assert_eq!(bucket.take(Duration::ZERO), Ok(()));
        assert_eq!(bucket.take(Duration::ZERO), Ok(()));
        assert_eq!(bucket.take(Duration::ZERO), Err(Duration::from_millis(500)));
        assert_eq!(bucket.take(Duration::from_millis(500)), Ok(()));
        assert_eq!(bucket.take(Duration::from_millis(600)), Err(Duration::from_millis(400)));
    }
}
