//! A token bucket per API key: `rate` requests a second on average, bursts of
//! up to `burst`. A refused request is told when to retry. The bucket is
//! `fanout`'s ([`fanout::Bucket`]: pure, the clock passed in); this module
//! keeps one per key on tokio's clock.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use fanout::Bucket;
pub use fanout::RateLimit;
use tokio::time::Instant;

/// One bucket per key.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: RateLimit,
    /// The buckets' clock reads time since this instant.
    origin: Instant,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        RateLimiter { limit, origin: Instant::now(), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for `key`, or says how long until one is there.
    pub(crate) fn take(&self, key: &str) -> Result<(), Duration> {
        let now = self.origin.elapsed();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets.entry(key.to_owned()).or_insert_with(|| Bucket::new(self.limit, now)).take(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_passes_then_the_rate_holds_per_key() {
        let limiter = RateLimiter::new(RateLimit { per_second: 2.0, burst: 3 });
        for _ in 0..3 {
            assert_eq!(limiter.take("a"), Ok(()));
        }
        let wait = limiter.take("a").unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(limiter.take("b"), Ok(()), "each key has its own bucket");
        tokio::time::advance(Duration::from_millis(500)).await;
        assert_eq!(limiter.take("a"), Ok(()));
        assert!(limiter.take("a").is_err());
    }
}
