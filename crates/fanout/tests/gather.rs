//! `gather` and `sequential` on a virtual clock: answers are released by hand,
//! so every timing is exact.

use std::time::Duration;

use fanout::{ManualClock, gather, sequential};
use futures::{FutureExt, channel::oneshot, executor::block_on, future::LocalBoxFuture, pin_mut, poll};

const MS: Duration = Duration::from_millis(1);

type Answer = Result<u32, String>;
type Request = LocalBoxFuture<'static, Answer>;

/// A request whose answer the test sends through the returned sender.
fn request() -> (oneshot::Sender<Answer>, Request) {
    let (tx, rx) = oneshot::channel();
    (tx, rx.map(|answer| answer.unwrap_or_else(|_| Err("dropped".into()))).boxed_local())
}

#[test]
fn gather_starts_every_request_at_once_and_keeps_input_order() {
    block_on(async {
        let clock = ManualClock::new();
        let (a_tx, a) = request();
        let (b_tx, b) = request();
        let (c_tx, c) = request();
        let batch = gather(&clock, [a, b, c]);
        pin_mut!(batch);

        assert!(poll!(batch.as_mut()).is_pending());
        clock.advance(100 * MS);
        b_tx.send(Ok(2)).unwrap();
        assert!(poll!(batch.as_mut()).is_pending());
        clock.advance(200 * MS);
        a_tx.send(Err("AAPL: 503".into())).unwrap();
        c_tx.send(Ok(3)).unwrap();
        let report = batch.await;

        let results: Vec<_> = report.outcomes().iter().map(|o| o.result.clone()).collect();
        assert_eq!(results, [Err("AAPL: 503".into()), Ok(2), Ok(3)]);
        let starts: Vec<_> = report.outcomes().iter().map(|o| o.timing.started).collect();
        assert_eq!(starts, [Duration::ZERO; 3], "all three are sent in the first poll");
        let ends: Vec<_> = report.outcomes().iter().map(|o| o.timing.finished).collect();
        assert_eq!(ends, [300 * MS, 100 * MS, 300 * MS]);
        assert_eq!(report.wall(), 300 * MS);
        assert_eq!(report.sum_of_durations(), 700 * MS);
        assert_eq!(report.failures(), 1);
    });
}

#[test]
fn one_failure_neither_cancels_nor_hides_the_others() {
    let clock = ManualClock::new();
    let report = block_on(gather(
        &clock,
        (0..5).map(|i| async move { if i == 2 { Err(format!("request {i} failed")) } else { Ok(i) } }),
    ));
    let results: Vec<_> = report.into_outcomes().into_iter().map(|o| o.result).collect();
    assert_eq!(results, [Ok(0), Ok(1), Err("request 2 failed".into()), Ok(3), Ok(4)]);
}

#[test]
fn sequential_starts_each_request_after_the_previous_answer() {
    block_on(async {
        let clock = ManualClock::new();
        let (a_tx, a) = request();
        let (b_tx, b) = request();
        // b's answer is ready early, but sequential must not even start b before a is done.
        b_tx.send(Ok(2)).unwrap();
        let batch = sequential(&clock, [a, b]);
        pin_mut!(batch);

        assert!(poll!(batch.as_mut()).is_pending());
        clock.advance(100 * MS);
        a_tx.send(Ok(1)).unwrap();
        let report = batch.await;

        assert_eq!(report.outcomes()[0].timing.finished, 100 * MS);
        assert_eq!(report.outcomes()[1].timing.started, 100 * MS);
        assert_eq!(report.wall(), report.sum_of_durations());
    });
}

#[test]
fn an_empty_batch_takes_no_time() {
    let clock = ManualClock::new();
    let report = block_on(gather(&clock, Vec::<Request>::new()));
    assert!(report.outcomes().is_empty());
    assert_eq!(report.wall(), Duration::ZERO);
    assert_eq!(report.sum_of_durations(), Duration::ZERO);
}

#[test]
fn system_clock_moves_forward() {
    use fanout::{Clock, SystemClock};
    let clock = SystemClock::new();
    let a = clock.now();
    std::thread::sleep(Duration::from_millis(2));
    assert!(clock.now() > a);
}
