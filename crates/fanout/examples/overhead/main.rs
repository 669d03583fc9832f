//! The engine's own cost: N requests that answer at once, run through a bare
//! `join_all`, `gather`, `limited` and the `Engine` (with and without a timeout
//! and retries), side by side in one run. Prints the time per request and the
//! ratio to `join_all`. Run optimised: `cargo xtask bench engine` (which also
//! runs the same cases in headless Chromium).

mod cases;

use std::time::Instant;

use cases::{Cases, N, STRATEGIES};
use fanout::VirtualTimer;
use futures::executor::block_on;

const ROUNDS: usize = 200;

fn main() {
    let cases = Cases::new(VirtualTimer::new());
    let rows: Vec<_> = STRATEGIES
        .iter()
        .enumerate()
        .map(|(which, name)| {
            let mut times: Vec<f64> = (0..ROUNDS)
                .map(|_| {
                    let start = Instant::now();
                    block_on(cases.run(which));
                    start.elapsed().as_secs_f64() * 1e6 / N as f64
                })
                .collect();
            times.sort_by(f64::total_cmp);
            (*name, times[ROUNDS / 2])
        })
        .collect();
    let title =
        format!("engine overhead, N = {N} requests answering at once, median of {ROUNDS} runs (native, release)");
    print!("{}", cases::table(&title, &rows));
}
