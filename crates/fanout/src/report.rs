//! What a batch leaves behind: every request's result and timing.

use std::time::Duration;

/// When one request ran, measured from the start of its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// When the request was first polled (sent).
    pub started: Duration,
    /// When its answer (or error) arrived.
    pub finished: Duration,
}

impl Timing {
    /// The request's own duration.
    pub fn duration(&self) -> Duration {
        self.finished.saturating_sub(self.started)
    }
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// It produced the value.
    Succeeded,
    /// It produced an error.
    Failed,
    /// It ran out of time.
    TimedOut,
    /// The deadline or a cancel stopped it.
    Interrupted,
}

/// One attempt of a request, measured from the start of its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// When it was sent.
    pub started: Duration,
    /// When it ended.
    pub finished: Duration,
    /// How it ended.
    pub outcome: AttemptOutcome,
}

/// One request's result, timing and attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<T, E> {
    /// What the request produced; an error here belongs to this request alone.
    pub result: Result<T, E>,
    /// From when it was first started (after any queueing) to its result.
    pub timing: Timing,
    /// Every attempt, in order (none if it never started).
    pub attempts: Vec<Attempt>,
}

/// A finished batch: outcomes in the order the requests were given, and the
/// batch's wall time.
///
/// ```
/// use std::time::Duration;
/// use fanout::{Timer, VirtualTimer, gather};
///
/// let timer = VirtualTimer::new();
/// let t = timer.clone();
/// let report = timer.run(async move {
///     let request = |ms: u64| {
///         let t = t.clone();
///         async move {
///             t.sleep(Duration::from_millis(ms)).await;
///             Ok::<_, ()>(ms)
///         }
///     };
///     gather(&t, [request(1000), request(1500), request(500)]).await
/// });
/// // At once, the batch takes as long as its slowest request...
/// assert_eq!(report.wall(), Duration::from_millis(1500));
/// // ...where one after another it would take the sum.
/// assert_eq!(report.sum_of_durations(), Duration::from_millis(3000));
/// assert_eq!(report.outcomes()[2].timing.finished, Duration::from_millis(500));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Report<T, E> {
    outcomes: Vec<Outcome<T, E>>,
    wall: Duration,
}

impl<T, E> Report<T, E> {
    /// A report of `outcomes` (in input order) that took `wall` in all.
    pub fn new(outcomes: Vec<Outcome<T, E>>, wall: Duration) -> Self {
        Report { outcomes, wall }
    }

    /// Every request's outcome, in input order.
    pub fn outcomes(&self) -> &[Outcome<T, E>] {
        &self.outcomes
    }

    /// Takes the outcomes, in input order.
    pub fn into_outcomes(self) -> Vec<Outcome<T, E>> {
        self.outcomes
    }

    /// From the start of the batch to its last answer.
    pub fn wall(&self) -> Duration {
        self.wall
    }

    /// The sum of the requests' own durations: what the same requests would
    /// have taken one after another.
    pub fn sum_of_durations(&self) -> Duration {
        self.outcomes.iter().map(|o| o.timing.duration()).sum()
    }

    /// How many requests failed.
    pub fn failures(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_err()).count()
    }
}
