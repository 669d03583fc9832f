//! The waterfall's view-models: one finished batch of requests, each with
//! its attempts, as the requests view, the lab and its runner draw them.

use std::time::Duration;

use fanout::{Attempt, Failure, Outcome};

use crate::api::FetchError;

/// One request of a batch, for the waterfall.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestView {
    /// What was asked for: a symbol, or "portfolio".
    pub label: String,
    /// When it was first sent and when its result was known, from the batch's start.
    pub started: Duration,
    /// See `started`.
    pub finished: Duration,
    /// Every attempt.
    pub attempts: Vec<Attempt>,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// A finished batch, for the waterfall: every request and the batch's times.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchView {
    /// The requests, in the order they were given.
    pub requests: Vec<RequestView>,
    /// The batch's wall time.
    pub wall: Duration,
    /// The requests' durations added up.
    pub sum: Duration,
    /// The concurrency limit it ran under, if any.
    pub limit: Option<usize>,
}

impl BatchView {
    /// The most requests in flight at any one instant (attempts counted).
    pub fn peak_overlap(&self) -> usize {
        let mut edges: Vec<(Duration, i32)> = Vec::new();
        for attempt in self.requests.iter().flat_map(|r| &r.attempts) {
            edges.push((attempt.started, 1));
            edges.push((attempt.finished, -1));
        }
        // Ends before starts at the same instant: back to back is no overlap.
        edges.sort_by_key(|&(at, delta)| (at, delta));
        let (mut now, mut peak) = (0i32, 0i32);
        for (_, delta) in edges {
            now += delta;
            peak = peak.max(now);
        }
        peak.max(0) as usize
    }
}

/// One request's outcome as it landed, for [`batch_view`].
pub(crate) struct Landed<T> {
    /// Its name in the waterfall.
    pub label: String,
    pub outcome: Outcome<T, Failure<FetchError>>,
    /// How long before the app's clock started web/start.js sent it, if it did.
    pub early: Option<Duration>,
}

/// The waterfall of a finished run: `landed` in the order given, on the
/// run's clock, which starts earlier by the earliest head start (its wall
/// time grows by as much).
pub(crate) fn batch_view<T>(landed: Vec<Landed<T>>, wall: Duration, limit: Option<usize>) -> BatchView {
    let ahead = landed.iter().filter_map(|l| l.early).max().unwrap_or_default();
    let requests: Vec<RequestView> = landed
        .into_iter()
        .map(|Landed { label, outcome, early }| {
            // The batch's clock starts `ahead` earlier; an early request
            // (and its first attempt) started `early` before the app's.
            let shift = |at: Duration| at + ahead;
            let early_start = early.map(|e| ahead.saturating_sub(e));
            let mut attempts: Vec<Attempt> = outcome
                .attempts
                .into_iter()
                .map(|a| Attempt { started: shift(a.started), finished: shift(a.finished), ..a })
                .collect();
            if let (Some(first), Some(at)) = (attempts.first_mut(), early_start) {
                first.started = at;
            }
            RequestView {
                label,
                started: early_start.unwrap_or_else(|| shift(outcome.timing.started)),
                finished: shift(outcome.timing.finished),
                error: outcome.result.as_ref().err().map(|f| FetchError::from(f.clone()).to_string()),
                attempts,
            }
        })
        .collect();
    let sum = requests.iter().map(|r| r.finished.saturating_sub(r.started)).sum();
    BatchView { requests, wall: wall + ahead, sum, limit }
}

#[cfg(test)]
mod tests {
    use fanout::AttemptOutcome;

    use super::*;

    fn attempt(from_ms: u64, to_ms: u64) -> Attempt {
        Attempt {
            started: Duration::from_millis(from_ms),
            finished: Duration::from_millis(to_ms),
            outcome: AttemptOutcome::Succeeded,
        }
    }

    fn batch(spans: &[(u64, u64)]) -> BatchView {
        let requests = spans
            .iter()
            .map(|&(from, to)| RequestView {
                label: String::new(),
                started: Duration::from_millis(from),
                finished: Duration::from_millis(to),
                attempts: vec![attempt(from, to)],
                error: None,
            })
            .collect();
        BatchView { requests, wall: Duration::ZERO, sum: Duration::ZERO, limit: None }
    }

    #[test]
    fn the_peak_overlap_counts_what_runs_at_the_same_instant() {
        assert_eq!(batch(&[]).peak_overlap(), 0);
        assert_eq!(
            batch(&[(0, 100), (0, 100), (100, 200), (100, 200)]).peak_overlap(),
            2,
            "back to back is not overlap"
        );
        assert_eq!(batch(&[(0, 300), (50, 100), (90, 120), (200, 250)]).peak_overlap(), 3);
    }
}
