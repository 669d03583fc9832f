//! Bounded concurrency on virtual time: never more than `k` in flight (and
//! exactly `k` under load), input order kept, wall time ceil(N / k) × L.

use std::{cell::Cell, rc::Rc, time::Duration};

use fanout::{Timer, VirtualTimer, limited};
use proptest::prelude::*;

/// `n` requests that each take `latency(i)` on `timer`, counting how many are
/// in flight at once; returns (outputs in report order, wall, most in flight).
fn run(n: usize, k: usize, latency: impl Fn(usize) -> Duration + 'static) -> (Vec<usize>, Duration, usize) {
    let timer = VirtualTimer::new();
    let (now, most) = (Rc::new(Cell::new(0usize)), Rc::new(Cell::new(0usize)));
    let t = timer.clone();
    let (in_flight, peak) = (now.clone(), most.clone());
    let report = timer.run(async move {
        let requests = (0..n).map(|i| {
            let (t, in_flight, peak) = (t.clone(), in_flight.clone(), peak.clone());
            let wait = latency(i);
            async move {
                in_flight.set(in_flight.get() + 1);
                peak.set(peak.get().max(in_flight.get()));
                t.sleep(wait).await;
                in_flight.set(in_flight.get() - 1);
                Ok::<_, ()>(i)
            }
        });
        limited(&t, k, requests).await
    });
    let outputs = report.outcomes().iter().map(|o| o.result.unwrap()).collect();
    (outputs, report.wall(), most.get())
}

const L: Duration = Duration::from_millis(200);

#[test]
fn a_hundred_requests_six_at_a_time_take_seventeen_rounds() {
    let (outputs, wall, most) = run(100, 6, |_| L);
    assert_eq!(outputs, (0..100).collect::<Vec<_>>());
    assert_eq!(most, 6, "the limit is reached under load");
    assert_eq!(wall, 17 * L, "ceil(100 / 6) = 17 rounds of L");
}

#[test]
fn a_limit_of_one_is_sequential_and_a_large_one_is_gather() {
    assert_eq!(run(5, 1, |_| L).1, 5 * L);
    assert_eq!(run(5, 1, |_| L).2, 1);
    assert_eq!(run(5, 100, |_| L).1, L);
    assert_eq!(run(5, 0, |_| L).2, 1, "a limit of zero is taken as one");
}

#[test]
fn a_slot_is_refilled_as_soon_as_it_frees() {
    // Request 0 is slow; with k = 2 the other four run one after another in the second slot.
    let (_, wall, most) = run(5, 2, |i| if i == 0 { 10 * L } else { L });
    assert_eq!(most, 2);
    assert_eq!(wall, 10 * L);
}

proptest! {
    #[test]
    fn order_is_kept_and_the_limit_holds(
        latencies in prop::collection::vec(1u64..500, 0..40),
        k in 1usize..10,
    ) {
        let n = latencies.len();
        let lat = latencies.clone();
        let (outputs, wall, most) = run(n, k, move |i| Duration::from_millis(lat[i]));
        prop_assert_eq!(outputs, (0..n).collect::<Vec<_>>());
        prop_assert_eq!(most, k.min(n));
        let longest = latencies.iter().copied().max().unwrap_or(0);
        let total: u64 = latencies.iter().sum();
        prop_assert!(wall >= Duration::from_millis(longest.max(total.div_ceil(k as u64))));
        prop_assert!(wall <= Duration::from_millis(total));
    }
}
