//! The fanout engine in a real browser against the running market API:
//! bounded concurrency takes ceil(N / k) rounds, and cancelling really aborts
//! the fetches (the server counts them as aborted).

mod support;

use std::time::Duration;

use fanout::{BrowserTimer, CancelToken, Engine, Failure, Policy, Timer};
use futures::{FutureExt, future::LocalBoxFuture};
use leptos::prelude::*;
use market::{Quote, Symbol};
use support::{all, api, container, one, wait_until};
use tickerboard::{
    api::{ApiClient, FetchError},
    components::Dashboard,
    state::watchlist::default_watchlist,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// One engine request per symbol: each attempt asks `client` for its quote.
fn quote_requests<'a>(
    client: &'a ApiClient,
    symbols: &'a [Symbol],
) -> Vec<impl Fn(u32) -> LocalBoxFuture<'a, Result<Quote, FetchError>> + 'a> {
    symbols.iter().map(move |symbol| move |_attempt: u32| client.quote(symbol).boxed_local()).collect()
}

#[wasm_bindgen_test]
async fn five_quotes_two_at_a_time_take_three_rounds() {
    let client = api();
    let engine = Engine::new(BrowserTimer::new(), Policy { concurrency: Some(2), ..Policy::default() });
    let symbols = default_watchlist();
    let report = engine.run(quote_requests(&client, &symbols), &CancelToken::new()).await;
    assert_eq!(report.failures(), 0);
    let wall = report.wall();
    assert!(
        wall >= Duration::from_millis(2950) && wall < Duration::from_millis(4000),
        "ceil(5/2) = 3 rounds of 1 s, took {wall:?}"
    );
}

#[wasm_bindgen_test]
async fn cancelling_a_batch_aborts_its_fetches_on_the_server() {
    let client = api().with_header("x-tickerboard-latency-ms", "5000");
    let before = api().server_stats().await.expect("stats").aborted;
    let timer = BrowserTimer::new();
    let engine = Engine::new(timer, Policy::default());
    let symbols = default_watchlist();
    let requests = quote_requests(&client, &symbols);
    let cancel = CancelToken::new();
    let canceller = async {
        timer.sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    };
    let start = web_time::Instant::now();
    let (report, ()) = futures::join!(engine.run(requests, &cancel), canceller);
    assert!(start.elapsed() < Duration::from_secs(2), "the batch ended at the cancel, not after 5 s");
    for outcome in report.outcomes() {
        assert_eq!(outcome.result, Err(Failure::<FetchError>::Cancelled));
    }
    // The server notices the dropped connections a moment later.
    let stats_client = api();
    let deadline = web_time::Instant::now() + Duration::from_secs(4);
    loop {
        let aborted = stats_client.server_stats().await.expect("stats").aborted;
        if aborted >= before + 5 {
            break;
        }
        assert!(web_time::Instant::now() < deadline, "the server saw {} aborted requests, not 5", aborted - before);
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
}

#[wasm_bindgen_test]
async fn the_cancel_button_stops_a_refresh() {
    let root = container();
    let slow = api().with_header("x-tickerboard-latency-ms", "5000");
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(slow);
        view! { <Dashboard symbols=default_watchlist() /> }
    });
    let root: web_sys::Element = root.into();
    gloo_timers::future::TimeoutFuture::new(200).await;
    one(&root, "[data-testid=cancel]").unchecked_into::<HtmlElement>().click();
    wait_until(Duration::from_secs(2), "rows to say cancelled", || {
        all(&root, "[data-testid=status]").iter().all(|s| s.text_content().unwrap_or_default() == "cancelled")
    })
    .await;
    assert_eq!(one(&root, "[data-testid=refresh]").text_content().unwrap(), "Refresh");
}
