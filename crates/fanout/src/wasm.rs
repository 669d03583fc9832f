//! The browser's side of the engine: time from `performance.now()` and sleeps
//! from `setTimeout`. The only platform code in the crate.

use std::time::Duration;

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
        gloo_timers::future::TimeoutFuture::new(ms).boxed_local()
    }
}
