//! Deduplication: concurrent requests for the same key share one request in
//! flight, and each gets its answer.

use std::{cell::RefCell, collections::HashMap, future::Future, hash::Hash, rc::Rc};

use futures::future::{FutureExt, LocalBoxFuture, Shared};

/// Shares in-flight requests by key. Clones share one table.
///
/// ```
/// use std::time::Duration;
/// use fanout::{Dedup, Timer, VirtualTimer};
/// let timer = VirtualTimer::new();
/// let dedup: Dedup<&str, u32> = Dedup::new();
/// let t = timer.clone();
/// let (a, b) = timer.run(async move {
///     let slow = |answer: u32| {
///         let t = t.clone();
///         move || async move {
///             t.sleep(Duration::from_millis(100)).await;
///             answer
///         }
///     };
///     futures::join!(dedup.get("AAPL", slow(1)), dedup.get("AAPL", slow(2)))
/// });
/// assert_eq!((a, b), (1, 1), "the second caller shared the first request");
/// ```
#[derive(Debug)]
pub struct Dedup<K, V: Clone> {
    in_flight: Rc<RefCell<HashMap<K, Shared<LocalBoxFuture<'static, V>>>>>,
}

impl<K, V: Clone> Clone for Dedup<K, V> {
    fn clone(&self) -> Self {
        Dedup { in_flight: self.in_flight.clone() }
    }
}

impl<K: Eq + Hash + Clone + 'static, V: Clone + 'static> Default for Dedup<K, V> {
    fn default() -> Self {
        Dedup { in_flight: Rc::default() }
    }
}

impl<K: Eq + Hash + Clone + 'static, V: Clone + 'static> Dedup<K, V> {
    /// An empty table.
    pub fn new() -> Self {
        Dedup::default()
    }

    /// The answer for `key`: joins the request in flight for it, or starts one
    /// with `start`. Once it has answered, the next call starts afresh.
    pub async fn get<F, Fut>(&self, key: K, start: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V> + 'static,
    {
        let existing = self.in_flight.borrow().get(&key).cloned();
        let shared = match existing {
            Some(shared) => shared,
            None => {
                let shared = start().boxed_local().shared();
                self.in_flight.borrow_mut().insert(key.clone(), shared.clone());
                shared
            }
        };
        let value = shared.await;
        self.in_flight.borrow_mut().remove(&key);
        value
    }

    /// How many keys have a request in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.borrow().len()
    }
}
