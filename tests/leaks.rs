//! Long-running use without leaks, fast: hundreds of refreshes (no latency)
//! must leave the Rust heap (its live bytes) where it was after a warm-up — with the views
//! mounted and without. (The soak shows the same over half an hour; this
//! finds a leak in seconds, and says which part holds it.)

mod support;

use leptos::prelude::*;
use support::{api, container};
use tickerboard::{
    components::{AutoRefreshControl, PortfolioPanel, ProgressBar, QuotesTable, RefreshBar, RowActions},
    diagnostics,
    state::{DashboardState, dashboard::default_policy, settings::AutoRefresh, watchlist::default_watchlist},
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The Rust heap's live bytes before and after `n` refreshes, after `warm_up` of them.
async fn growth(state: &DashboardState, warm_up: usize, n: usize) -> (u64, u64) {
    for _ in 0..warm_up {
        state.refresh().await.expect("a refresh");
    }
    let before = diagnostics::heap_bytes();
    for _ in 0..n {
        state.refresh().await.expect("a refresh");
    }
    (before, diagnostics::heap_bytes())
}

/// The heap once no refresh and no fetch is in flight (a refresh in flight
/// holds kilobytes that are not a leak).
async fn quiet_heap(state: &DashboardState) -> u64 {
    loop {
        if !state.refreshing.get_untracked() && diagnostics::snapshot().fetches_in_flight == 0 {
            return diagnostics::heap_bytes();
        }
        gloo_timers::future::TimeoutFuture::new(5).await;
    }
}

/// At most this many bytes more after the run: what one refresh holds at
/// most while the next is being set up, not a leak per refresh.
const SLACK: u64 = 4 * 1024;

fn state(owner: &Owner) -> DashboardState {
    let client = api().with_header("x-tickerboard-latency-ms", "0");
    owner.with(|| DashboardState::new(client, default_watchlist(), default_policy()))
}

#[wasm_bindgen_test]
async fn refreshes_alone_leave_the_heap_as_it_was() {
    let owner = Owner::new();
    let state = state(&owner);
    let (before, after) = growth(&state, 100, 400).await;
    assert!(after <= before + SLACK, "400 refreshes grew the Rust heap from {before} to {after} bytes");
}

#[wasm_bindgen_test]
async fn refreshes_shown_leave_the_heap_as_it_was() {
    let owner = Owner::new();
    let state = state(&owner);
    let root = container();
    let shown = state.clone();
    let _mounted = owner.with(|| {
        leptos::mount::mount_to(root, move || {
            view! {
                <RefreshBar state=shown.clone() />
                <ProgressBar state=shown.clone() />
                <QuotesTable rows=shown.rows />
                <PortfolioPanel state=shown.clone() />
            }
        })
    });
    let (before, after) = growth(&state, 100, 400).await;
    assert!(after <= before + SLACK, "400 refreshes shown grew the Rust heap from {before} to {after} bytes");
}

#[wasm_bindgen_test]
async fn a_page_refreshing_itself_every_second_holds_no_more_over_time() {
    // The seed profile's latency (1 s a quote): the progress bar shows and
    // hides at every refresh, as on the real page.
    let owner = Owner::new();
    let state = owner.with(|| DashboardState::new(api(), default_watchlist(), default_policy()));
    let root = container();
    let shown = state.clone();
    let _mounted = owner.with(|| {
        leptos::mount::mount_to(root, move || {
            let now_ms = RwSignal::new(js_sys::Date::now());
            let choice = Signal::derive(|| AutoRefresh::Every1s);
            let stale = Signal::derive(|| 2_000.0);
            view! {
                <AutoRefreshControl state=shown.clone() choice on_choose=Callback::new(|_| {}) now_ms />
                <RefreshBar state=shown.clone() />
                <ProgressBar state=shown.clone() />
                <QuotesTable rows=shown.rows now_ms=Signal::from(now_ms) stale_after_ms=stale />
                <PortfolioPanel state=shown.clone() now_ms=Signal::from(now_ms) />
            }
        })
    });
    let pause = |s: u32| gloo_timers::future::TimeoutFuture::new(s * 1000);
    pause(8).await;
    let (before, refreshes) = (quiet_heap(&state).await, diagnostics::snapshot().refreshes);
    pause(60).await;
    let (after, done) = (quiet_heap(&state).await, diagnostics::snapshot().refreshes - refreshes);
    assert!(done >= 20, "the control refreshed {done} times in 60 s");
    assert!(
        after <= before + SLACK,
        "60 s of a page refreshing itself grew the Rust heap from {before} to {after} bytes"
    );
}

/// Trips (`Some`) or lifts (`None`) a fault on AAPL's quotes, on the test API.
async fn aapl_fault(kind: Option<&str>) {
    let base = option_env!("TICKERBOARD_TEST_API").unwrap_or_default();
    let request = match kind {
        Some(kind) => gloo_net::http::Request::put(&format!("{base}/api/v1/_faults/quote/{kind}?symbol=AAPL")),
        None => gloo_net::http::Request::delete(&format!("{base}/api/v1/_faults/quote")),
    };
    let answer = request.header("Authorization", "Bearer demo").send().await.expect("the fault switch");
    assert_eq!(answer.status(), 204);
}

#[wasm_bindgen_test]
async fn a_failed_row_rendered_again_and_again_holds_no_more() {
    aapl_fault(Some("malformed")).await;
    let owner = Owner::new();
    let state = state(&owner);
    let root = container();
    let shown = state.clone();
    let _mounted = owner.with(|| {
        leptos::mount::mount_to(root.clone(), move || {
            let retry = Some(Callback::new(|_symbol: market::Symbol| {}));
            view! { <QuotesTable rows=shown.rows actions=RowActions { retry, ..RowActions::default() } /> }
        })
    });
    let (before, after) = growth(&state, 20, 200).await;
    aapl_fault(None).await;
    let root: web_sys::Element = root.into();
    assert_eq!(support::all(&root, "[data-testid=retry]").len(), 1, "the failed row offered Retry throughout");
    assert!(after <= before + SLACK, "200 renders of a failed row grew the Rust heap from {before} to {after} bytes");
}
