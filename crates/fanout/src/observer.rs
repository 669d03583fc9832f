//! What the owner of an engine batch hears while it runs (a retry coming, a
//! wait for credits), and what each request costs the credit budget.

use std::time::Duration;

#[cfg(doc)]
use crate::{Engine, Policy};

/// A request about to be tried again, as [`Engine::as_completed_observed`]
/// tells its observer (so a view can say "busy — retrying in 2 s" while the
/// engine waits, not only after the last attempt).
#[derive(Debug)]
pub struct Retry<'a, E> {
    /// The attempt that just failed (1-based).
    pub attempt: u32,
    /// Its error; `None` when it ran out of time.
    pub error: Option<&'a E>,
    /// How long until the next attempt: the backoff, or the host's
    /// `Retry-After` (shared by every request of the engine).
    pub wait: Duration,
}

/// What the owner of a batch hears while it runs, and what each request
/// costs. Every method has a default; a closure `Fn(usize, Retry<'_, E>)` is
/// an observer of retries alone.
pub trait Observer<E> {
    /// Request `index` failed an attempt and will be tried again after `retry.wait`.
    fn retrying(&self, index: usize, retry: Retry<'_, E>) {
        let _ = (index, retry);
    }

    /// Request `index` waits `wait` for room in the policy's credit budget.
    fn waiting_for_credits(&self, index: usize, wait: Duration) {
        let _ = (index, wait);
    }

    /// What each attempt of request `index` costs under [`Policy::credits`].
    fn cost(&self, index: usize) -> u32 {
        let _ = index;
        1
    }
}

impl<E, F: Fn(usize, Retry<'_, E>)> Observer<E> for F {
    fn retrying(&self, index: usize, retry: Retry<'_, E>) {
        self(index, retry);
    }
}
