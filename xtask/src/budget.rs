//! The first-load budget: the one number both the end-to-end size check
//! (`e2e_first_load`) and the benchmark's goal (`bench::report`) judge.

/// The first load of `/` — HTML, JS, wasm and CSS, as the browser receives
/// them (brotli when the server offers it: Resource Timing's `transferSize`,
/// headers included), API answers not counted — may take at most this many
/// bytes: the goal (issue 15), which the benchmark judges.
pub const FIRST_LOAD_BUDGET_BYTES: u64 = 200_000;

/// What the test command holds the first load to until the goal is met: the
/// measured first load (242 615 bytes on 2026-12-02, after the router by
/// hand: the watchlist's wasm alone is 224 KB) and 1 % room, so it can only come down. Lower it with
/// every cut that lands; at the goal it is [`FIRST_LOAD_BUDGET_BYTES`].
pub const FIRST_LOAD_CEILING_BYTES: u64 = 245_000;

const _: () = assert!(FIRST_LOAD_CEILING_BYTES >= FIRST_LOAD_BUDGET_BYTES, "the ceiling is never below the goal");

/// `bytes` as the reports print them: kilobytes of 1 000 bytes, one decimal.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
