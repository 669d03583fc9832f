//! Properties of the engine on virtual time, for any batch: outcomes in input
//! order, never more than k in flight (exactly min(k, n) under load), and a
//! token bucket that never admits more than `burst + rate × window`.

use std::{cell::Cell, rc::Rc, time::Duration};

use fanout::{CancelToken, Classify, Engine, Policy, RateLimit, Retryable, Timer, VirtualTimer};
use futures::future::LocalBoxFuture;
use proptest::prelude::*;

/// A permanent failure (never retried).
#[derive(Debug, Clone, PartialEq)]
struct Refused(usize);

impl Classify for Refused {
    fn classify(&self) -> Retryable {
        Retryable::No
    }
}

type Request = Box<dyn Fn(u32) -> LocalBoxFuture<'static, Result<usize, Refused>>>;

/// Request `i` takes `latencies[i]` ms and fails when `fails[i]`; `in_flight`
/// and `peak` count how many run at once.
fn requests(timer: &VirtualTimer, latencies: &[u64], fails: &[bool], peak: &Rc<Cell<usize>>) -> Vec<Request> {
    let in_flight = Rc::new(Cell::new(0usize));
    latencies
        .iter()
        .zip(fails)
        .enumerate()
        .map(|(i, (&ms, &fail))| {
            let (timer, in_flight, peak) = (timer.clone(), in_flight.clone(), peak.clone());
            Box::new(move |_attempt: u32| {
                let (timer, in_flight, peak) = (timer.clone(), in_flight.clone(), peak.clone());
                Box::pin(async move {
                    in_flight.set(in_flight.get() + 1);
                    peak.set(peak.get().max(in_flight.get()));
                    timer.sleep(Duration::from_millis(ms)).await;
                    in_flight.set(in_flight.get() - 1);
                    if fail { Err(Refused(i)) } else { Ok(i) }
                }) as LocalBoxFuture<'static, _>
            }) as Request
        })
        .collect()
}

proptest! {
    #[test]
    fn outcomes_keep_input_order_and_the_limit_holds(
        batch in prop::collection::vec((1u64..400, any::<bool>()), 0..40),
        k in 1usize..8,
    ) {
        let (latencies, fails): (Vec<u64>, Vec<bool>) = batch.into_iter().unzip();
        let timer = VirtualTimer::new();
        let peak = Rc::new(Cell::new(0));
        let engine = Engine::new(timer.clone(), Policy { concurrency: Some(k), ..Policy::default() });
        let batch = requests(&timer, &latencies, &fails, &peak);
        let report = timer.run(async move { engine.run(batch, &CancelToken::new()).await });
        prop_assert_eq!(report.outcomes().len(), latencies.len());
        for (i, outcome) in report.outcomes().iter().enumerate() {
            match &outcome.result {
                Ok(value) => prop_assert!(!fails[i] && *value == i, "outcome {} holds {:?}", i, outcome.result),
                Err(fanout::Failure::Request(Refused(at))) => prop_assert!(fails[i] && *at == i),
                Err(other) => prop_assert!(false, "outcome {} failed with {:?}", i, other),
            }
        }
        prop_assert_eq!(peak.get(), k.min(latencies.len()), "the most in flight is min(k, n)");
    }

    #[test]
    fn the_token_bucket_never_admits_more_than_burst_plus_rate_times_the_window(
        per_second in 1u32..50,
        burst in 1u32..6,
        n in 1usize..60,
    ) {
        let timer = VirtualTimer::new();
        let rate = RateLimit { per_second: f64::from(per_second), burst };
        let engine = Engine::new(timer.clone(), Policy { rate: Some(rate), ..Policy::default() });
        let peak = Rc::new(Cell::new(0));
        let batch = requests(&timer, &vec![0; n], &vec![false; n], &peak);
        let report = timer.run(async move { engine.run(batch, &CancelToken::new()).await });
        let mut starts: Vec<f64> = report.outcomes().iter().map(|o| o.attempts[0].started.as_secs_f64()).collect();
        starts.sort_by(f64::total_cmp);
        // Every window that opens at a start holds at most burst + rate × its length
        // (plus the microsecond the bucket rounds each wait up by).
        for (first, opened) in starts.iter().enumerate() {
            for (last, closed) in starts.iter().enumerate().skip(first) {
                let admitted = (last - first + 1) as f64;
                let allowed = f64::from(burst) + f64::from(per_second) * (closed - opened + 1e-6);
                prop_assert!(admitted <= allowed + 1e-9, "{} starts in {:.6} s", admitted, closed - opened);
            }
        }
        // And it is not stingier than that: the last start is when the rate says.
        let expected = n.saturating_sub(burst as usize) as f64 / f64::from(per_second);
        let last = starts.last().copied().unwrap_or(0.0);
        prop_assert!((last - expected).abs() < 1e-3 * n as f64, "last start {} s, expected {} s", last, expected);
    }
}
