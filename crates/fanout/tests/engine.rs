//! The engine on virtual time: retries and their backoff, `Retry-After` for
//! every request, timeouts, the deadline, cancellation and dropping.

use std::{cell::Cell, rc::Rc, time::Duration};

use fanout::{
    AttemptOutcome, Backoff, CancelToken, Classify, Clock, Engine, Failure, Policy, RateLimit, Retryable, Timer,
    VirtualTimer,
};

const MS: Duration = Duration::from_millis(1);

/// The errors of the fake requests.
#[derive(Debug, Clone, PartialEq)]
enum Error {
    Transient,
    Permanent,
    RetryAfter(Duration),
}

impl Classify for Error {
    fn classify(&self) -> Retryable {
        match self {
            Error::Transient => Retryable::Yes,
            Error::Permanent => Retryable::No,
            Error::RetryAfter(wait) => Retryable::After(*wait),
        }
    }
}

fn policy(max_attempts: u32) -> Policy {
    Policy { max_attempts, backoff: Backoff { base: 100 * MS, cap: 400 * MS }, seed: 7, ..Policy::default() }
}

/// A request that takes `latency` and answers with `script[attempt - 1]`
/// (the last entry repeats).
fn scripted(
    timer: &VirtualTimer,
    latency: Duration,
    script: Vec<Result<u32, Error>>,
) -> impl Fn(u32) -> futures::future::LocalBoxFuture<'static, Result<u32, Error>> + use<> {
    let timer = timer.clone();
    move |attempt| {
        let (timer, answer) = (timer.clone(), script[(attempt as usize - 1).min(script.len() - 1)].clone());
        Box::pin(async move {
            timer.sleep(latency).await;
            answer
        })
    }
}

#[test]
fn transient_failures_are_retried_with_jittered_backoff_under_the_ceiling() {
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), policy(4));
    let flaky = scripted(&timer, 10 * MS, vec![Err(Error::Transient), Err(Error::Transient), Ok(3)]);
    let report = timer.run(async move { engine.run(vec![flaky], &CancelToken::new()).await });
    let outcome = &report.outcomes()[0];
    assert_eq!(outcome.result, Ok(3));
    let kinds: Vec<_> = outcome.attempts.iter().map(|a| a.outcome).collect();
    assert_eq!(kinds, [AttemptOutcome::Failed, AttemptOutcome::Failed, AttemptOutcome::Succeeded]);
    for (retry, pair) in outcome.attempts.windows(2).enumerate() {
        let wait = pair[1].started - pair[0].finished;
        let ceiling = [100 * MS, 200 * MS][retry];
        assert!(wait <= ceiling, "retry {} waited {wait:?}, over {ceiling:?}", retry + 1);
    }
}

#[test]
fn the_same_seed_gives_the_same_waits() {
    let waits = |seed: u64| {
        let timer = VirtualTimer::new();
        let engine = Engine::new(timer.clone(), Policy { seed, ..policy(4) });
        let flaky = scripted(&timer, MS, vec![Err(Error::Transient)]);
        let report = timer.run(async move { engine.run(vec![flaky], &CancelToken::new()).await });
        report.outcomes()[0].attempts.iter().map(|a| a.started).collect::<Vec<_>>()
    };
    assert_eq!(waits(1), waits(1));
    assert_ne!(waits(1), waits(2));
}

#[test]
fn permanent_errors_and_the_attempt_limit_stop_retries() {
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), policy(3));
    let requests =
        vec![scripted(&timer, MS, vec![Err(Error::Permanent)]), scripted(&timer, MS, vec![Err(Error::Transient)])];
    let report = timer.run(async move { engine.run(requests, &CancelToken::new()).await });
    assert_eq!(report.outcomes()[0].result, Err(Failure::Request(Error::Permanent)));
    assert_eq!(report.outcomes()[0].attempts.len(), 1);
    assert_eq!(report.outcomes()[1].result, Err(Failure::Request(Error::Transient)));
    assert_eq!(report.outcomes()[1].attempts.len(), 3);
}

#[test]
fn retry_after_pauses_every_request_not_only_the_one_that_heard_it() {
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), policy(3));
    let requests = vec![
        // Told at 100 ms to come back in 1 s.
        scripted(&timer, 100 * MS, vec![Err(Error::RetryAfter(Duration::from_secs(1))), Ok(1)]),
        // Fails at 200 ms; its own backoff would be at most 100 ms.
        scripted(&timer, 200 * MS, vec![Err(Error::Transient), Ok(2)]),
    ];
    let report = timer.run(async move { engine.run(requests, &CancelToken::new()).await });
    for outcome in report.outcomes() {
        assert!(outcome.result.is_ok(), "{:?}", outcome.result);
        assert!(
            outcome.attempts[1].started >= 1100 * MS,
            "retried at {:?}, inside the pause",
            outcome.attempts[1].started
        );
    }
}

#[test]
fn attempts_time_out_and_the_last_timeout_is_reported() {
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), Policy { attempt_timeout: Some(Duration::from_secs(1)), ..policy(2) });
    let slow = scripted(&timer, Duration::from_secs(10), vec![Ok(1)]);
    let report = timer.run(async move { engine.run(vec![slow], &CancelToken::new()).await });
    let outcome = &report.outcomes()[0];
    assert_eq!(outcome.result, Err(Failure::TimedOut));
    assert_eq!(outcome.attempts.len(), 2);
    for attempt in &outcome.attempts {
        assert_eq!(
            (attempt.outcome, attempt.finished - attempt.started),
            (AttemptOutcome::TimedOut, Duration::from_secs(1))
        );
    }
}

#[test]
fn the_deadline_ends_what_is_running_and_what_is_queued() {
    let timer = VirtualTimer::new();
    let policy = Policy { concurrency: Some(1), deadline: Some(1500 * MS), ..policy(1) };
    let engine = Engine::new(timer.clone(), policy);
    let requests = (0..3).map(|_| scripted(&timer, Duration::from_secs(1), vec![Ok(1)])).collect();
    let report = timer.run(async move { engine.run(requests, &CancelToken::new()).await });
    let results: Vec<_> = report.outcomes().iter().map(|o| o.result.clone()).collect();
    assert_eq!(results, [Ok(1), Err(Failure::DeadlineExceeded), Err(Failure::DeadlineExceeded)]);
    assert_eq!(report.wall(), 1500 * MS);
    assert!(report.outcomes()[2].attempts.is_empty(), "the queued request never started");
}

#[test]
fn cancelling_mid_flight_stops_everything_and_each_request_says_cancelled() {
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), Policy { concurrency: Some(2), ..policy(3) });
    let sent = Rc::new(Cell::new(0));
    let requests: Vec<_> = (0..4)
        .map(|_| {
            let (timer, sent) = (timer.clone(), sent.clone());
            move |_attempt: u32| {
                let (timer, sent) = (timer.clone(), sent.clone());
                async move {
                    sent.set(sent.get() + 1);
                    timer.sleep(Duration::from_secs(1)).await;
                    Err::<u32, _>(Error::Transient)
                }
            }
        })
        .collect();
    let cancel = CancelToken::new();
    let (t, c) = (timer.clone(), cancel.clone());
    let report = timer.run(async move {
        let canceller = async {
            t.sleep(500 * MS).await;
            c.cancel();
        };
        futures::join!(engine.run(requests, &c), canceller).0
    });
    assert!(report.outcomes().iter().all(|o| o.result == Err(Failure::Cancelled)));
    assert_eq!(sent.get(), 2, "only the two in flight were ever sent");
    assert_eq!(report.wall(), 500 * MS);
    assert_eq!(timer.now(), 500 * MS, "no retry ran after the cancel");
}

#[test]
fn dropping_the_batch_drops_the_requests_in_flight() {
    struct Alive(Rc<Cell<usize>>);
    impl Drop for Alive {
        fn drop(&mut self) {
            self.0.set(self.0.get() - 1);
        }
    }
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), policy(1));
    let alive = Rc::new(Cell::new(0));
    let requests: Vec<_> = (0..3)
        .map(|_| {
            let (timer, alive) = (timer.clone(), alive.clone());
            move |_attempt: u32| {
                let (timer, alive) = (timer.clone(), alive.clone());
                async move {
                    alive.set(alive.get() + 1);
                    let _guard = Alive(alive);
                    timer.sleep(Duration::from_secs(60)).await;
                    Ok::<u32, Error>(1)
                }
            }
        })
        .collect();
    let (t, a) = (timer.clone(), alive.clone());
    timer.run(async move {
        let cancel = CancelToken::new();
        let batch = engine.run(requests, &cancel);
        let give_up = t.sleep(Duration::from_secs(1));
        futures::pin_mut!(batch);
        let _ = futures::future::select(batch, give_up).await;
        // The batch future is dropped here, mid-flight.
        assert_eq!(a.get(), 3, "three requests were in flight");
    });
    assert_eq!(alive.get(), 0, "dropping the batch dropped every request");
}

#[test]
fn the_token_bucket_admits_a_burst_then_the_rate() {
    let timer = VirtualTimer::new();
    let rate = Some(RateLimit { per_second: 2.0, burst: 2 });
    let engine = Engine::new(timer.clone(), Policy { rate, ..policy(1) });
    let requests = (0..6).map(|_| scripted(&timer, Duration::ZERO, vec![Ok(1)])).collect();
    let report = timer.run(async move { engine.run(requests, &CancelToken::new()).await });
    let starts: Vec<_> = report.outcomes().iter().map(|o| o.attempts[0].started.as_millis()).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(sorted, [0, 0, 500, 1000, 1500, 2000], "two at once, then one every 500 ms");
    let first_second = starts.iter().filter(|s| **s < 1000).count();
    assert_eq!(first_second, 3, "the burst of 2 plus 1 token refilled in the first second");
}

#[test]
fn every_retry_is_announced_with_its_error_and_the_wait_the_engine_then_keeps() {
    use futures::StreamExt;
    let timer = VirtualTimer::new();
    let engine = Engine::new(timer.clone(), Policy { attempt_timeout: Some(50 * MS), ..policy(4) });
    let flaky = scripted(&timer, 10 * MS, vec![Err(Error::Transient), Err(Error::RetryAfter(300 * MS)), Ok(3)]);
    let slow = scripted(&timer, 80 * MS, vec![Ok(1)]);
    let heard = Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = heard.clone();
    let outcomes = timer.run(async move {
        let cancel = CancelToken::new();
        let on_retry = move |index: usize, retry: fanout::Retry<'_, Error>| {
            log.borrow_mut().push((index, retry.attempt, retry.error.cloned(), retry.wait));
        };
        let mut all: Vec<_> = engine
            .as_completed_observed(vec![Box::new(flaky) as Box<dyn Fn(u32) -> _>, Box::new(slow)], &cancel, on_retry)
            .collect()
            .await;
        all.sort_by_key(|(index, _)| *index);
        all
    });
    let heard = heard.take();
    let flaky_heard: Vec<_> = heard.iter().filter(|h| h.0 == 0).collect();
    assert_eq!(flaky_heard.len(), 2, "two failed attempts of request 0 announced: {heard:?}");
    assert_eq!((flaky_heard[0].1, flaky_heard[0].2.clone()), (1, Some(Error::Transient)));
    assert_eq!((flaky_heard[1].1, flaky_heard[1].2.clone()), (2, Some(Error::RetryAfter(300 * MS))));
    // The announced waits are the gaps the engine then kept between attempts.
    let attempts = &outcomes[0].1.attempts;
    assert_eq!(outcomes[0].1.result, Ok(3));
    for (gap, announced) in attempts.windows(2).zip(&flaky_heard) {
        assert_eq!(gap[1].started - gap[0].finished, announced.3, "{attempts:?}");
    }
    assert_eq!(flaky_heard[1].3, 300 * MS, "a Retry-After is announced as the host's wait");
    // The slow request timed out every attempt: announced without an error, three times.
    let slow_heard: Vec<_> = heard.iter().filter(|h| h.0 == 1).collect();
    assert_eq!(slow_heard.len(), 3, "{heard:?}");
    assert!(slow_heard.iter().all(|h| h.2.is_none()));
    assert_eq!(outcomes[1].1.result, Err(Failure::TimedOut));
}

#[test]
fn a_credit_budget_spaces_costly_requests_and_says_how_long_each_waits() {
    use fanout::{CreditWindow, Observer};
    use futures::StreamExt;
    /// Twelve Data's free plan: 20 symbols in batches of 8, 8 and 4, each symbol a credit.
    struct Batches(Rc<std::cell::RefCell<Vec<(usize, Duration)>>>);
    impl Observer<Error> for Batches {
        fn waiting_for_credits(&self, index: usize, wait: Duration) {
            self.0.borrow_mut().push((index, wait));
        }
        fn cost(&self, index: usize) -> u32 {
            [8, 8, 4][index]
        }
    }
    let minute = Duration::from_secs(60);
    let timer = VirtualTimer::new();
    let credits = Some(CreditWindow { limit: 8, window: minute });
    let engine = Engine::new(timer.clone(), Policy { credits, ..policy(1) });
    let waits = Rc::new(std::cell::RefCell::new(Vec::new()));
    let observer = Batches(waits.clone());
    let requests: Vec<_> = (0..3).map(|_| scripted(&timer, 100 * MS, vec![Ok(1)])).collect();
    let mut sent = timer.run(async move {
        let cancel = CancelToken::new();
        engine
            .as_completed_observed(requests, &cancel, observer)
            .map(|(index, outcome)| (index, outcome.attempts[0].started))
            .collect::<Vec<_>>()
            .await
    });
    sent.sort();
    assert_eq!(sent, [(0, Duration::ZERO), (1, minute), (2, 2 * minute)], "one batch a minute");
    let waits = waits.take();
    assert!(waits.contains(&(1, minute)) && waits.contains(&(2, minute)), "{waits:?}");
}
