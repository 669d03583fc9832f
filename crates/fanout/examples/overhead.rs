//! The engine's own cost: N requests that answer at once, run through a bare
//! `join_all`, `gather`, `limited` and the `Engine` (with and without a timeout
//! and retries), side by side in one run. Prints the time per request and the
//! ratio to `join_all`. Run optimised: `cargo xtask bench engine`.

use std::{hint::black_box, time::Instant};

use fanout::{CancelToken, Classify, Engine, ManualClock, Policy, Retryable, VirtualTimer, gather, limited};
use futures::{executor::block_on, future::join_all};

const N: usize = 1000;
const ROUNDS: usize = 200;

/// The error of the in-memory transport (it never fails).
#[derive(Debug)]
struct Never;

impl Classify for Never {
    fn classify(&self) -> Retryable {
        Retryable::No
    }
}

/// The median of `ROUNDS` runs of `batch`, in microseconds per request.
fn per_request(mut batch: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            batch();
            start.elapsed().as_secs_f64() * 1e6 / N as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[ROUNDS / 2]
}

fn main() {
    let answer = |i: usize| async move { Ok::<usize, Never>(black_box(i)) };
    let clock = ManualClock::new();
    let timer = VirtualTimer::new();
    let plain = Engine::new(timer.clone(), Policy::default());
    let guarded = Engine::new(
        timer.clone(),
        Policy { attempt_timeout: Some(std::time::Duration::from_secs(10)), max_attempts: 3, ..Policy::default() },
    );
    let cancel = CancelToken::new();

    let rows = [
        ("join_all (baseline)", per_request(|| drop(block_on(join_all((0..N).map(answer)))))),
        ("fanout::gather", per_request(|| drop(block_on(gather(&clock, (0..N).map(answer)))))),
        ("fanout::limited(k = 100)", per_request(|| drop(block_on(limited(&clock, 100, (0..N).map(answer)))))),
        (
            "Engine, default policy",
            per_request(|| {
                let requests: Vec<_> = (0..N).map(|i| move |_attempt: u32| answer(i)).collect();
                drop(block_on(plain.run(requests, &cancel)));
            }),
        ),
        (
            "Engine, timeout + 3 attempts",
            per_request(|| {
                let requests: Vec<_> = (0..N).map(|i| move |_attempt: u32| answer(i)).collect();
                drop(block_on(guarded.run(requests, &cancel)));
            }),
        ),
    ];
    let baseline = rows[0].1;
    println!("engine overhead, N = {N} requests answering at once, median of {ROUNDS} runs (native, release)");
    println!("{:<30} {:>12} {:>10}", "strategy", "µs/request", "× join_all");
    for (name, micros) in rows {
        println!("{name:<30} {micros:>12.3} {:>10.2}", micros / baseline);
    }
}
