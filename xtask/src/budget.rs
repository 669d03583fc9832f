//! The first-load budget: the one number both the end-to-end size check
//! (`e2e_first_load`) and the benchmark's goal (`bench_report`) judge.

/// The first load of `/` — HTML, JS, wasm and CSS, as the browser receives
/// them (brotli when the server offers it: Resource Timing's `transferSize`,
/// headers included), API answers not counted — may take at most this many
/// bytes.
pub const FIRST_LOAD_BUDGET_BYTES: u64 = 200_000;

/// `bytes` as the reports print them: kilobytes of 1 000 bytes, one decimal.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}
