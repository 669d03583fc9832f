//! The in-memory cases of the engine benchmark: N requests that answer at once,
//! run through a bare `join_all`, `gather`, `limited` and the `Engine` (with and
//! without a timeout and retries). Shared by the native run (`overhead.rs`) and
//! the browser run (the app's `tests/bench_engine.rs`), so both measure the
//! same code.

use std::{fmt::Write, hint::black_box, time::Duration};

use fanout::{CancelToken, Classify, Engine, Policy, Retryable, Timer, gather, limited};
use futures::future::join_all;

/// Requests per batch.
pub const N: usize = 1000;

/// The strategies, in the order [`Cases::run`] numbers them; the first is the baseline.
pub const STRATEGIES: [&str; 5] = [
    "join_all (baseline)",
    "fanout::gather",
    "fanout::limited(k = 100)",
    "Engine, default policy",
    "Engine, timeout + 3 attempts",
];

/// The error of the in-memory transport (it never fails).
#[derive(Debug)]
pub struct Never;

impl Classify for Never {
    fn classify(&self) -> Retryable {
        Retryable::No
    }
}

/// The engines and the cancel token the cases run with, on one timer.
pub struct Cases<T> {
    timer: T,
    plain: Engine<T>,
    guarded: Engine<T>,
    cancel: CancelToken,
}

impl<T: Timer + Clone> Cases<T> {
    /// The cases on `timer` (a virtual one natively, the browser's in a page).
    pub fn new(timer: T) -> Self {
        let guarded_policy =
            Policy { attempt_timeout: Some(Duration::from_secs(10)), max_attempts: 3, ..Policy::default() };
        Cases {
            plain: Engine::new(timer.clone(), Policy::default()),
            guarded: Engine::new(timer.clone(), guarded_policy),
            timer,
            cancel: CancelToken::new(),
        }
    }

    /// Runs strategy `which` (an index into [`STRATEGIES`]) once over N requests.
    pub async fn run(&self, which: usize) {
        let answer = |i: usize| async move { Ok::<usize, Never>(black_box(i)) };
        let requests = || (0..N).map(|i| move |_attempt: u32| answer(i)).collect::<Vec<_>>();
        match which {
            0 => drop(black_box(join_all((0..N).map(answer)).await)),
            1 => drop(black_box(gather(&self.timer, (0..N).map(answer)).await)),
            2 => drop(black_box(limited(&self.timer, 100, (0..N).map(answer)).await)),
            3 => drop(black_box(self.plain.run(requests(), &self.cancel).await)),
            _ => drop(black_box(self.guarded.run(requests(), &self.cancel).await)),
        }
    }
}

/// The table of `(strategy, µs per request)` rows, with each row's ratio to the first.
pub fn table(title: &str, rows: &[(&str, f64)]) -> String {
    let baseline = rows.first().map_or(1.0, |row| row.1);
    let mut out = format!("{title}\n{:<30} {:>12} {:>10}\n", "strategy", "µs/request", "× join_all");
    for (name, micros) in rows {
        let _ = writeln!(out, "{name:<30} {micros:>12.3} {:>10.2}", micros / baseline);
    }
    out
}
