//! The app's own registry of what it keeps running — intervals, event
//! listeners, fetches in flight, and (from `fanout`) the engine's pending
//! sleeps — with the wasm linear memory, read by the soak test through
//! `window.tickerboardDiagnostics()`.
//!
//! Counted by the app itself rather than by wrapping `setTimeout` from
//! outside: the soak must see exactly what the app holds, and a count that
//! creeps up over half an hour is a leak. Each thing is counted by a guard
//! ([`Registered`]) that lives exactly as long as the thing. The Rust heap's
//! live bytes come from an instrumented global allocator (`stats_alloc`):
//! the wasm memory only grows in 64 KiB pages and never shrinks, too coarse
//! to tell a leak from a peak.

use std::{alloc::System, cell::Cell};

use serde::Serialize;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes the Rust heap holds right now.
pub fn heap_bytes() -> u64 {
    // `stats_alloc` already counts a reallocation's growth as allocated and its
    // shrinking as deallocated (`bytes_reallocated` is the same change again).
    let stats = ALLOCATOR.stats();
    stats.bytes_allocated.saturating_sub(stats.bytes_deallocated) as u64
}

/// What a guard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `setInterval` the app keeps (the auto-refresh tick).
    Interval,
    /// An event listener on `window` or `document`.
    Listener,
    /// A fetch in flight.
    Fetch,
}

thread_local! {
    static LIVE: [Cell<u64>; 3] = const { [Cell::new(0), Cell::new(0), Cell::new(0)] };
    static FETCHES_STARTED: Cell<u64> = const { Cell::new(0) };
    static REFRESHES: Cell<u64> = const { Cell::new(0) };
}

fn slot(kind: Kind) -> usize {
    match kind {
        Kind::Interval => 0,
        Kind::Listener => 1,
        Kind::Fetch => 2,
    }
}

/// Counts one live `Kind` from creation to drop.
#[derive(Debug)]
#[must_use = "the count drops with the guard"]
pub struct Registered(Kind);

impl Registered {
    /// Counts a new `kind`.
    pub fn new(kind: Kind) -> Self {
        LIVE.with(|live| live[slot(kind)].set(live[slot(kind)].get() + 1));
        if kind == Kind::Fetch {
            FETCHES_STARTED.with(|n| n.set(n.get() + 1));
        }
        Registered(kind)
    }

    /// Counts a `kind` that lives as long as the page.
    pub fn forever(kind: Kind) {
        std::mem::forget(Registered::new(kind));
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        LIVE.with(|live| live[slot(self.0)].set(live[slot(self.0)].get().saturating_sub(1)));
    }
}

/// Counts a finished refresh.
pub fn refresh_finished() {
    REFRESHES.with(|n| n.set(n.get() + 1));
}

/// What the app holds right now, and what it has done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Live intervals.
    pub intervals: u64,
    /// Live event listeners.
    pub listeners: u64,
    /// Fetches in flight.
    pub fetches_in_flight: u64,
    /// Fetches started since the page loaded (retries included).
    pub fetches_started: u64,
    /// The engine's sleeps (timeouts, backoffs) not yet finished or dropped.
    pub sleeps_pending: u64,
    /// Refreshes finished since the page loaded.
    pub refreshes: u64,
    /// The wasm linear memory, in bytes (0 outside a browser).
    pub wasm_memory_bytes: u64,
    /// Live bytes of the Rust heap.
    pub heap_bytes: u64,
}

/// The counts now.
pub fn snapshot() -> Snapshot {
    let live = |kind: Kind| LIVE.with(|live| live[slot(kind)].get());
    Snapshot {
        intervals: live(Kind::Interval),
        listeners: live(Kind::Listener),
        fetches_in_flight: live(Kind::Fetch),
        fetches_started: FETCHES_STARTED.with(Cell::get),
        sleeps_pending: fanout::BrowserTimer::pending_sleeps() as u64,
        refreshes: REFRESHES.with(Cell::get),
        wasm_memory_bytes: wasm_memory_bytes(),
        heap_bytes: heap_bytes(),
    }
}

fn wasm_memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    if !cfg!(target_arch = "wasm32") {
        return 0;
    }
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|memory| memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}

/// Puts `window.tickerboardDiagnostics()` (the snapshot as JSON) on the page.
pub fn expose() {
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};
    let Some(window) = web_sys::window() else { return };
    let read = Closure::<dyn Fn() -> String>::new(|| serde_json::to_string(&snapshot()).unwrap_or_default());
    let name = JsValue::from_str("tickerboardDiagnostics");
    if js_sys::Reflect::set(&window, &name, read.as_ref().unchecked_ref()).unwrap_or(false) {
        read.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_counts_while_it_lives() {
        let before = snapshot();
        let fetch = Registered::new(Kind::Fetch);
        let listener = Registered::new(Kind::Listener);
        let during = snapshot();
        assert_eq!(during.fetches_in_flight, before.fetches_in_flight + 1);
        assert_eq!(during.listeners, before.listeners + 1);
        assert_eq!(during.fetches_started, before.fetches_started + 1);
        drop((fetch, listener));
        let after = snapshot();
        assert_eq!((after.fetches_in_flight, after.listeners), (before.fetches_in_flight, before.listeners));
        assert_eq!(after.fetches_started, before.fetches_started + 1, "started is a running total");
        Registered::forever(Kind::Interval);
        assert_eq!(snapshot().intervals, before.intervals + 1);
    }
}
