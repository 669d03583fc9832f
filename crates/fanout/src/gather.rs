//! Running a batch: all at once ([`gather`]) or one after another ([`sequential`]).

use std::future::Future;

use futures::future::join_all;

use crate::{Attempt, AttemptOutcome, Clock, Outcome, Report, Timing};

/// Runs every request concurrently and waits for all of them: the seed's
/// `asyncio.gather(*tasks, return_exceptions=True)`.
///
/// All requests are started in the first poll; on a single-threaded event loop
/// they then overlap while each waits on the network. Outcomes come back in
/// input order, each with its own `Result` and [`Timing`]: a failed request
/// neither cancels nor hides the others. Dropping the returned future drops
/// every request still in flight.
pub async fn gather<C, I, F, T, E>(clock: C, requests: I) -> Report<T, E>
where
    C: Clock,
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>>,
{
    let batch_start = clock.now();
    let timed = requests.into_iter().map(|request| timed(&clock, batch_start, request));
    let outcomes = join_all(timed).await;
    Report::new(outcomes, clock.now().saturating_sub(batch_start))
}

/// Runs the requests one after another, each starting when the previous one
/// has finished: the baseline that [`gather`] is measured against.
pub async fn sequential<C, I, F, T, E>(clock: C, requests: I) -> Report<T, E>
where
    C: Clock,
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>>,
{
    let batch_start = clock.now();
    let mut outcomes = Vec::new();
    for request in requests {
        outcomes.push(timed(&clock, batch_start, request).await);
    }
    Report::new(outcomes, clock.now().saturating_sub(batch_start))
}

/// Awaits `request`, noting when it was first polled and when it finished.
pub(crate) async fn timed<C: Clock, F: Future<Output = Result<T, E>>, T, E>(
    clock: &C,
    batch_start: std::time::Duration,
    request: F,
) -> Outcome<T, E> {
    let started = clock.now().saturating_sub(batch_start);
    let result = request.await;
    let finished = clock.now().saturating_sub(batch_start);
    let outcome = if result.is_ok() { AttemptOutcome::Succeeded } else { AttemptOutcome::Failed };
    let attempts = vec![Attempt { started, finished, outcome }];
    Outcome { result, timing: Timing { started, finished }, attempts }
}
