//! Bounded concurrency: at most `k` requests in flight, the rest queued in
//! input order (the seed's `asyncio.Semaphore`). `k = 1` is sequential.

use std::future::Future;

use futures::{StreamExt, stream};

use crate::{Clock, Report, gather::timed};

/// Runs `requests` with at most `limit` in flight at once (a `limit` of 0 is
/// taken as 1), starting each as soon as a slot frees, in input order.
/// Outcomes come back in input order; a request's `started` includes its time
/// in the queue.
///
/// ```
/// use fanout::{limited, ManualClock};
/// use futures::future::ready;
/// let clock = ManualClock::new();
/// let report = futures::executor::block_on(limited(&clock, 2, (0..5).map(|i| ready(Ok::<_, ()>(i)))));
/// assert_eq!(report.outcomes().iter().map(|o| o.result.unwrap()).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
/// ```
pub async fn limited<C, I, F, T, E>(clock: C, limit: usize, requests: I) -> Report<T, E>
where
    C: Clock,
    I: IntoIterator<Item = F>,
    F: Future<Output = Result<T, E>>,
{
    let batch_start = clock.now();
    let clock = &clock;
    let mut outcomes: Vec<_> = stream::iter(requests.into_iter().enumerate())
        .map(|(index, request)| async move { (index, timed(clock, batch_start, request).await) })
        .buffer_unordered(limit.max(1))
        .collect()
        .await;
    outcomes.sort_by_key(|(index, _)| *index);
    let wall = clock.now().saturating_sub(batch_start);
    Report::new(outcomes.into_iter().map(|(_, outcome)| outcome).collect(), wall)
}
