//! The engine: a batch under a [`Policy`] — bounded, rate-limited, timed out,
//! retried with backoff, paused by `Retry-After`, cancellable — with every
//! attempt recorded.
//!
//! The retry loop is written here rather than taken from a crate (`backon`):
//! it has to share one `Retry-After` pause between all requests, race each
//! attempt against the batch's deadline and cancel token, and run on the
//! injected [`Timer`] so tests can drive it on virtual time. What an attempt
//! waits for (a token, credits, its timeout, the deadline, cancellation) is
//! in `waits`.

mod waits;

use std::{
    cell::{Cell, RefCell},
    future::Future,
    rc::Rc,
    time::Duration,
};

use futures::{Stream, StreamExt, stream};
use waits::{Interrupt, interrupted};

use crate::{
    Attempt, AttemptOutcome, CancelToken, Classify, Failure, Ledger, Observer, Outcome, Policy, Report, Retry,
    Retryable, Timer, Timing, rate::Bucket,
};

/// Runs batches under one [`Policy`] on one [`Timer`]. A `Retry-After` heard
/// by any request pauses every request of every batch of this engine.
#[derive(Debug, Clone)]
pub struct Engine<T> {
    timer: T,
    policy: Policy,
    /// Nothing starts before this instant (the host asked us to back off).
    paused_until: Rc<Cell<Duration>>,
    /// The shared token bucket, if the policy limits the rate.
    bucket: Option<Rc<RefCell<Bucket>>>,
    /// The shared credit ledger, if the policy has a credit budget.
    ledger: Option<Rc<RefCell<Ledger>>>,
    jitter: Rc<Cell<u64>>,
}

impl<T: Timer> Engine<T> {
    /// An engine running `policy` on `timer`.
    pub fn new(timer: T, policy: Policy) -> Self {
        let bucket = policy.rate.map(|limit| Rc::new(RefCell::new(Bucket::new(limit, timer.now()))));
        let ledger = policy.credits.map(|rule| Rc::new(RefCell::new(Ledger::new(rule))));
        let jitter = Rc::new(Cell::new(policy.seed));
        Engine { timer, paused_until: Rc::default(), bucket, ledger, jitter, policy }
    }

    /// Credits left in the budget's current window (`None` without a budget).
    pub fn credits_left(&self) -> Option<u32> {
        let now = self.timer.now();
        self.ledger.as_ref().map(|ledger| ledger.borrow_mut().remaining(now))
    }

    /// The policy batches run under.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Runs one request per item of `requests`; each is a function from the
    /// attempt number (1-based) to that attempt's future, so a retry sends
    /// afresh. Outcomes come back in input order, each with its attempts.
    ///
    /// ```
    /// use std::time::Duration;
    /// use fanout::{CancelToken, Classify, Engine, Policy, Retryable, VirtualTimer};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Busy;
    /// impl Classify for Busy {
    ///     fn classify(&self) -> Retryable { Retryable::Yes }
    /// }
    ///
    /// let timer = VirtualTimer::new();
    /// let engine = Engine::new(timer.clone(), Policy { max_attempts: 3, ..Policy::default() });
    /// let report = timer.run(async move {
    ///     // Fails on the first attempt, succeeds on the second.
    ///     let flaky = |attempt: u32| async move { if attempt == 1 { Err(Busy) } else { Ok(attempt) } };
    ///     engine.run(vec![flaky], &CancelToken::new()).await
    /// });
    /// assert_eq!(report.outcomes()[0].result, Ok(2));
    /// assert_eq!(report.outcomes()[0].attempts.len(), 2);
    /// ```
    pub async fn run<F, Fut, V, E>(&self, requests: Vec<F>, cancel: &CancelToken) -> Report<V, Failure<E>>
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = Result<V, E>>,
        E: Classify,
    {
        let start = self.timer.now();
        let mut outcomes: Vec<_> = self.as_completed(requests, cancel).collect().await;
        outcomes.sort_by_key(|(index, _)| *index);
        let wall = self.timer.now().saturating_sub(start);
        Report::new(outcomes.into_iter().map(|(_, outcome)| outcome).collect(), wall)
    }

    /// Like [`Engine::run`], but yields each request's `(index, outcome)` the
    /// moment it is known, in completion order (the seed's `as_completed`), so
    /// a table can fill row by row.
    ///
    /// ```
    /// use std::time::Duration;
    /// use fanout::{CancelToken, Engine, Policy, Retryable, Timer, VirtualTimer};
    /// use futures::StreamExt;
    ///
    /// # #[derive(Debug)] struct Never;
    /// # impl fanout::Classify for Never { fn classify(&self) -> Retryable { Retryable::No } }
    /// let timer = VirtualTimer::new();
    /// let engine = Engine::new(timer.clone(), Policy::default());
    /// let t = timer.clone();
    /// let order = timer.run(async move {
    ///     // Request i takes 300, 100 and 200 ms.
    ///     let requests: Vec<_> = [300, 100, 200]
    ///         .into_iter()
    ///         .map(|ms| {
    ///             let t = t.clone();
    ///             move |_attempt: u32| {
    ///                 let t = t.clone();
    ///                 async move {
    ///                     t.sleep(Duration::from_millis(ms)).await;
    ///                     Ok::<_, Never>(ms)
    ///                 }
    ///             }
    ///         })
    ///         .collect();
    ///     let cancel = CancelToken::new();
    ///     let stream = engine.as_completed(requests, &cancel);
    ///     stream.map(|(index, outcome)| (index, outcome.timing.finished.as_millis())).collect::<Vec<_>>().await
    /// });
    /// assert_eq!(order, [(1, 100), (2, 200), (0, 300)], "fastest first, each with its input index");
    /// ```
    pub fn as_completed<'a, F, Fut, V, E>(
        &'a self,
        requests: Vec<F>,
        cancel: &'a CancelToken,
    ) -> impl Stream<Item = (usize, Outcome<V, Failure<E>>)> + 'a
    where
        F: Fn(u32) -> Fut + 'a,
        Fut: Future<Output = Result<V, E>> + 'a,
        V: 'a,
        E: Classify + 'a,
    {
        self.as_completed_observed(requests, cancel, |_: usize, _: Retry<'_, E>| {})
    }

    /// Like [`Engine::as_completed`], and tells `observer` of each retry (and
    /// each wait for credits) before the engine waits; the observer also says
    /// what each request costs. A closure `|index, retry| …` observes retries.
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc, time::Duration};
    /// use fanout::{CancelToken, Classify, Engine, Policy, Retryable, VirtualTimer};
    /// use futures::StreamExt;
    ///
    /// #[derive(Debug)]
    /// struct Busy;
    /// impl Classify for Busy {
    ///     fn classify(&self) -> Retryable { Retryable::After(Duration::from_secs(2)) }
    /// }
    ///
    /// let timer = VirtualTimer::new();
    /// let engine = Engine::new(timer.clone(), Policy { max_attempts: 2, ..Policy::default() });
    /// let heard = Rc::new(RefCell::new(Vec::new()));
    /// let log = heard.clone();
    /// timer.run(async move {
    ///     let flaky = |attempt: u32| async move { if attempt == 1 { Err(Busy) } else { Ok(()) } };
    ///     let cancel = CancelToken::new();
    ///     let on_retry = move |index, retry: fanout::Retry<'_, Busy>| log.borrow_mut().push((index, retry.attempt, retry.wait));
    ///     engine.as_completed_observed(vec![flaky], &cancel, on_retry).collect::<Vec<_>>().await
    /// });
    /// assert_eq!(heard.take(), [(0, 1, Duration::from_secs(2))]);
    /// ```
    pub fn as_completed_observed<'a, F, Fut, V, E, O>(
        &'a self,
        requests: Vec<F>,
        cancel: &'a CancelToken,
        observer: O,
    ) -> impl Stream<Item = (usize, Outcome<V, Failure<E>>)> + 'a
    where
        F: Fn(u32) -> Fut + 'a,
        Fut: Future<Output = Result<V, E>> + 'a,
        V: 'a,
        E: Classify + 'a,
        O: Observer<E> + 'a,
    {
        let start = self.timer.now();
        let limit = self.policy.concurrency.unwrap_or(usize::MAX).max(1);
        let observer = Rc::new(observer);
        stream::iter(requests.into_iter().enumerate())
            .map(move |(index, request)| {
                let observer = observer.clone();
                async move { (index, self.one(request, index, start, cancel, &*observer).await) }
            })
            .buffer_unordered(limit)
    }

    /// One request: attempts until success, a permanent error, the attempt
    /// limit, the deadline or cancellation.
    async fn one<F, Fut, V, E>(
        &self,
        request: F,
        index: usize,
        batch_start: Duration,
        cancel: &CancelToken,
        observer: &dyn Observer<E>,
    ) -> Outcome<V, Failure<E>>
    where
        F: Fn(u32) -> Fut,
        Fut: Future<Output = Result<V, E>>,
        E: Classify,
    {
        let since_start = |at: Duration| at.saturating_sub(batch_start);
        let deadline_at = self.policy.deadline.map(|d| batch_start + d);
        let started = since_start(self.timer.now());
        let mut attempts: Vec<Attempt> = Vec::new();
        let max_attempts = self.policy.max_attempts.max(1);
        let result = loop {
            if cancel.is_cancelled() {
                break Err(Failure::Cancelled);
            }
            if deadline_at.is_some_and(|at| self.timer.now() >= at) {
                break Err(Failure::DeadlineExceeded);
            }
            // Honour a Retry-After that any request heard.
            let pause = self.paused_until.get().saturating_sub(self.timer.now());
            if !pause.is_zero()
                && let Err(why) = self.bounded(self.timer.sleep(pause), None, deadline_at, cancel).await
            {
                break Err(interrupted(why));
            }
            if let Err(why) = self.admit(deadline_at, cancel).await {
                break Err(interrupted(why));
            }
            if let Err(why) = self.spend(index, observer, deadline_at, cancel).await {
                break Err(interrupted(why));
            }
            let number = attempts.len() as u32 + 1;
            let attempt_start = since_start(self.timer.now());
            let answer = self.bounded(request(number), self.policy.attempt_timeout, deadline_at, cancel).await;
            let finished = since_start(self.timer.now());
            let mut record = |outcome| attempts.push(Attempt { started: attempt_start, finished, outcome });
            let retry = match answer {
                Ok(Ok(value)) => {
                    record(AttemptOutcome::Succeeded);
                    break Ok(value);
                }
                Ok(Err(err)) => {
                    record(AttemptOutcome::Failed);
                    match err.classify() {
                        Retryable::No => break Err(Failure::Request(err)),
                        _ if number >= max_attempts => break Err(Failure::Request(err)),
                        Retryable::After(wait) => {
                            let now = self.timer.now();
                            self.paused_until.set(self.paused_until.get().max(now.saturating_add(wait)));
                            let wait = self.paused_until.get() - now;
                            observer.retrying(index, Retry { attempt: number, error: Some(&err), wait });
                            Duration::ZERO
                        }
                        Retryable::Yes => {
                            let wait = self.backoff(number);
                            observer.retrying(index, Retry { attempt: number, error: Some(&err), wait });
                            wait
                        }
                    }
                }
                Err(Interrupt::TimedOut) => {
                    record(AttemptOutcome::TimedOut);
                    if number >= max_attempts {
                        break Err(Failure::TimedOut);
                    }
                    let wait = self.backoff(number);
                    observer.retrying(index, Retry { attempt: number, error: None, wait });
                    wait
                }
                Err(why) => {
                    record(AttemptOutcome::Interrupted);
                    break Err(interrupted(why));
                }
            };
            if !retry.is_zero()
                && let Err(why) = self.bounded(self.timer.sleep(retry), None, deadline_at, cancel).await
            {
                break Err(interrupted(why));
            }
        };
        let finished = since_start(self.timer.now());
        Outcome { result, timing: Timing { started, finished }, attempts }
    }

    /// A random wait before retry `retry`: full jitter under the backoff's ceiling.
    fn backoff(&self, retry: u32) -> Duration {
        let next = crate::jitter::splitmix(self.jitter.get());
        self.jitter.set(next);
        let unit = (next >> 11) as f64 / (1u64 << 53) as f64;
        self.policy.backoff.ceiling(retry).mul_f64(unit)
    }
}
