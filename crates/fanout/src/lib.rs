//! The concurrency engine: run many requests at once, keep every request's own
//! result and timing.
//!
//! - [`gather`]: the seed article's `asyncio.gather(..., return_exceptions=True)` —
//!   all requests in flight together, results in input order, one failure never
//!   hides another. [`sequential`] is the same batch one after another, the
//!   baseline every measurement is compared with.
//! - [`limited`]: at most `k` requests in flight (the seed's `asyncio.Semaphore`).
//! - [`Engine`]: a batch under a [`Policy`] — concurrency limit, per-attempt
//!   timeout, overall deadline, a token-bucket [`RateLimit`] (its [`Bucket`] is
//!   public, pure), retries with exponential backoff and full
//!   jitter for what the caller [`Classify`]s as transient, a host-wide pause
//!   on `Retry-After`, and cancellation by [`CancelToken`] (graceful shutdown).
//! - [`LatestWins`]: per key, a newer batch cancels the older, whose answers
//!   are never delivered (the seed's race conditions).
//! - [`Dedup`]: concurrent requests for the same key share one in flight.
//! - [`Report`] and [`Timing`]: when each request started and finished, the
//!   batch's wall time, and the sum of the requests' own durations (what one after
//!   another would have cost).
//! - [`Clock`] and [`Timer`]: time is injected. [`SystemClock`] reads the
//!   platform's monotonic clock (`performance.now()` in the browser);
//!   [`ManualClock`] and [`VirtualTimer`] are virtual time for tests.
//!
//! The engine names no runtime and no browser API: a request is any future.
//! It is for single-threaded executors (the browser's event loop, a
//! current-thread runtime, `futures::executor`): the engine and its handles
//! ([`Engine`], [`CancelToken`], [`LatestWins`], [`Dedup`], [`VirtualTimer`])
//! share state through `Rc`, `Cell` and `RefCell`, so they are not `Send`.
//! `BrowserTimer`, the engine's timer in a web page (the browser's
//! `setTimeout`), is behind the `browser` feature.
//!
//! ```
//! use fanout::{gather, ManualClock};
//! use futures::future::ready;
//! let clock = ManualClock::new();
//! let report = futures::executor::block_on(gather(&clock, [
//!     ready(Ok::<_, String>(1)),
//!     ready(Err("down".to_string())),
//! ]));
//! assert_eq!(report.outcomes()[0].result, Ok(1));
//! assert_eq!(report.outcomes()[1].result, Err("down".to_string()));
//! ```

mod cancel;
mod clock;
mod credits;
mod dedup;
mod engine;
mod error;
mod gather;
mod jitter;
mod latest;
mod limit;
mod observer;
mod policy;
mod rate;
mod report;
mod timer;
#[cfg(feature = "browser")]
mod wasm;

pub use cancel::{CancelToken, Cancelled};
pub use clock::{Clock, ManualClock, SystemClock};
pub use credits::{CreditWindow, Ledger};
pub use dedup::Dedup;
pub use engine::Engine;
pub use error::Failure;
pub use gather::{gather, sequential};
pub use latest::{LatestWins, Ticket};
pub use limit::limited;
pub use observer::{Observer, Retry};
pub use policy::{Backoff, Classify, Policy, Retryable};
pub use rate::{Bucket, RateLimit};
pub use report::{Attempt, AttemptOutcome, Outcome, Report, Timing};
pub use timer::{Timer, VirtualTimer};
#[cfg(feature = "browser")]
pub use wasm::BrowserTimer;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
