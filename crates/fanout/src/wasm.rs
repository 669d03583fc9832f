//! The browser's side of the engine: time from `performance.now()` and sleeps
//! from `setTimeout`. The only platform code in the crate.

use std::{cell::Cell, time::Duration};

use futures::future::{FutureExt, LocalBoxFuture};

use crate::{Clock, SystemClock, Timer};

/// The browser's clock and `setTimeout`, for [`crate::Engine`] in a page
/// (its sleeps need a browser: natively they panic; use [`crate::VirtualTimer`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserTimer {
    clock: SystemClock,
}

impl BrowserTimer {
    /// A timer whose clock starts now.
    pub fn new() -> Self {
        BrowserTimer::default()
    }

    /// Sleeps of this thread not yet finished or dropped: a number that grows
    /// without bound is a leak (the app's soak test watches it).
    pub fn pending_sleeps() -> usize {
        PENDING.with(Cell::get)
    }
}

thread_local! {
    static PENDING: Cell<usize> = const { Cell::new(0) };
}

/// Counts one sleep in [`PENDING`] from its creation to its drop.
struct Pending;

impl Pending {
    fn new() -> Self {
        PENDING.with(|n| n.set(n.get() + 1));
        Pending
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        PENDING.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

impl Clock for BrowserTimer {
    fn now(&self) -> Duration {
        self.clock.now()
    }
}

impl Timer for BrowserTimer {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        // setTimeout takes whole milliseconds; round up so a wait is never short.
        let ms = duration.as_micros().div_ceil(1000).min(u128::from(u32::MAX)) as u32;
        let pending = Pending::new();
        async move {
            let _pending = pending;
            gloo_timers::future::TimeoutFuture::new(ms).await;
        }
        .boxed_local()
    }
}
