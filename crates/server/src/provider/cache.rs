//! Answers kept for a few seconds, so many tabs asking the same thing cost
//! the provider one call.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use tokio::time::Instant;

/// Entries beyond which expired ones are swept out on the next insert.
const SWEEP_ABOVE: usize = 1024;

/// What a provider said about a key: its data, or that it does not know it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Known<T> {
    Found(T),
    Unknown,
}

/// Values that expire `ttl` after they were put.
#[derive(Debug)]
pub(crate) struct Cache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Cache { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// The value under `key`, if it is still fresh.
    pub(crate) fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, value)| value.clone())
    }

    pub(crate) fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() > SWEEP_ABOVE {
            entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
        }
        entries.insert(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn values_expire_after_their_time() {
        let cache = Cache::new(Duration::from_secs(5));
        cache.put("AAPL", Known::Found(1));
        cache.put("NOPE", Known::Unknown);
        tokio::time::advance(Duration::from_millis(4_999)).await;
        assert_eq!(cache.get(&"AAPL"), Some(Known::Found(1)));
        assert_eq!(cache.get(&"NOPE"), Some(Known::Unknown));
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(cache.get(&"AAPL"), None);
    }
}
