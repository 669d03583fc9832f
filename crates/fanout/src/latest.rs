//! Latest wins: per key, a newer batch supersedes an older one, and a
//! superseded batch's answers are never delivered (the seed's race conditions).

use std::{cell::RefCell, collections::HashMap, hash::Hash, rc::Rc};

use crate::CancelToken;

/// One slot per key. Clones share the slots.
///
/// ```
/// use fanout::LatestWins;
/// let slots: LatestWins<&str> = LatestWins::new();
/// let old = slots.begin("AAPL 1y");
/// let new = slots.begin("AAPL 1y");
/// assert!(old.cancel_token().is_cancelled() && !old.is_current());
/// assert!(new.deliver(|| ()).is_some());
/// assert!(old.deliver(|| ()).is_none(), "a superseded answer is dropped");
/// ```
#[derive(Debug)]
pub struct LatestWins<K> {
    slots: Rc<RefCell<HashMap<K, (u64, CancelToken)>>>,
}

impl<K> Clone for LatestWins<K> {
    fn clone(&self) -> Self {
        LatestWins { slots: self.slots.clone() }
    }
}

impl<K: Eq + Hash + Clone> Default for LatestWins<K> {
    fn default() -> Self {
        LatestWins { slots: Rc::default() }
    }
}

/// A batch's claim on its key's slot.
#[derive(Debug)]
pub struct Ticket<K: Eq + Hash> {
    slots: Rc<RefCell<HashMap<K, (u64, CancelToken)>>>,
    key: K,
    generation: u64,
    cancel: CancelToken,
}

impl<K: Eq + Hash + Clone> LatestWins<K> {
    /// Empty slots.
    pub fn new() -> Self {
        LatestWins::default()
    }

    /// Starts a batch for `key`: the batch before it (if any) is cancelled and
    /// can no longer deliver.
    pub fn begin(&self, key: K) -> Ticket<K> {
        let mut slots = self.slots.borrow_mut();
        let generation = slots.get(&key).map_or(1, |(g, previous)| {
            previous.cancel();
            g + 1
        });
        let cancel = CancelToken::new();
        slots.insert(key.clone(), (generation, cancel.clone()));
        Ticket { slots: self.slots.clone(), key, generation, cancel }
    }
}

impl<K: Eq + Hash> Ticket<K> {
    /// Whether no newer batch has started for this key.
    pub fn is_current(&self) -> bool {
        self.slots.borrow().get(&self.key).is_some_and(|(g, _)| *g == self.generation)
    }

    /// The token to run this batch with; a newer batch cancels it.
    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    /// Runs `deliver` (e.g. writes the answer to the screen) only if this
    /// batch is still the latest for its key.
    pub fn deliver<T>(&self, deliver: impl FnOnce() -> T) -> Option<T> {
        self.is_current().then(deliver)
    }
}
