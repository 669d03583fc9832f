//! Where the engine reads the time: the platform's clock or a virtual one.

use std::{cell::Cell, time::Duration};

/// A monotonic clock. Only differences between readings mean anything.
pub trait Clock {
    /// Time elapsed since this clock's own origin.
    fn now(&self) -> Duration;
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Duration {
        (**self).now()
    }
}

/// The platform's monotonic clock: `std::time::Instant` natively and
/// `performance.now()` in the browser (through `web-time`, because
/// `std::time::Instant::now()` panics on wasm32).
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: web_time::Instant,
}

impl SystemClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        SystemClock { origin: web_time::Instant::now() }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A virtual clock that moves only when told to: tests get exact, repeatable
/// timings without sleeping.
///
/// ```
/// use std::time::Duration;
/// use fanout::{Clock, ManualClock};
/// let clock = ManualClock::new();
/// clock.advance(Duration::from_millis(250));
/// assert_eq!(clock.now(), Duration::from_millis(250));
/// ```
#[derive(Debug, Default)]
pub struct ManualClock {
    now: Cell<Duration>,
}

impl ManualClock {
    /// A clock standing at zero.
    pub fn new() -> Self {
        ManualClock::default()
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.now.set(self.now.get() + by);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.now.get()
    }
}
