//! The API client in a real browser against the running market API (seed
//! profile: every quote takes 1 s): five quotes at once take about 1 s, and
//! the same five one after another take about 5 s.

mod support;

use std::time::Duration;

use fanout::{SystemClock, gather, sequential};
use market::{Period, Symbol};
use support::api;
use tickerboard::{api::FetchError, state::watchlist::default_watchlist};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_tests_run_in_chromium_not_node() {
    let agent = web_sys::window().expect("a browser window").navigator().user_agent().unwrap();
    assert!(agent.contains("Chrome"), "user agent: {agent}");
}

#[wasm_bindgen_test]
async fn five_quotes_fetched_at_once_take_one_latency_not_five() {
    let client = api();
    let symbols = default_watchlist();
    let report = gather(SystemClock::new(), symbols.iter().map(|s| client.quote(s))).await;

    for (symbol, outcome) in symbols.iter().zip(report.outcomes()) {
        let quote = outcome.result.as_ref().unwrap_or_else(|e| panic!("{symbol}: {e}"));
        assert_eq!(&quote.symbol, symbol.as_str());
        assert!(quote.price > 0.0);
    }
    let (wall, sum) = (report.wall(), report.sum_of_durations());
    assert!(wall >= Duration::from_secs(1), "the seed profile answers in 1 s, wall was {wall:?}");
    assert!(sum >= Duration::from_millis(4900), "five requests of 1 s each, sum was {sum:?}");
    assert!(wall < sum / 2, "the requests did not overlap: wall {wall:?}, sum {sum:?}");
}

#[wasm_bindgen_test]
async fn the_overlap_check_catches_requests_awaited_one_after_another() {
    // Positive control for the test above: the same batch run sequentially
    // must fail its `wall < sum / 2` check.
    let client = api();
    let symbols = default_watchlist();
    let report = sequential(SystemClock::new(), symbols.iter().map(|s| client.quote(s))).await;
    let (wall, sum) = (report.wall(), report.sum_of_durations());
    assert!(wall >= Duration::from_millis(4900), "wall {wall:?}");
    assert!(wall >= sum / 2, "sequential requests cannot overlap: wall {wall:?}, sum {sum:?}");
}

#[wasm_bindgen_test]
async fn history_and_portfolio_load_together_as_in_the_seed() {
    let client = api();
    let nvda = Symbol::parse("NVDA").unwrap();
    let (history, portfolio) = futures::join!(client.history(&nvda, Period::OneYear), client.portfolio());
    assert_eq!(history.unwrap().bars.len(), 252);
    let portfolio = portfolio.unwrap();
    assert_eq!(portfolio.cash, 10_000.0);
    assert_eq!(portfolio.positions.len(), 5);
}

#[wasm_bindgen_test]
async fn failures_come_back_as_typed_errors() {
    let client = api();
    let nflx = Symbol::parse("NFLX").unwrap();
    let unknown = Symbol::parse("ZZZZ").unwrap();
    let (failing, missing) = futures::join!(client.quote(&nflx), client.quote(&unknown));
    assert_eq!(failing.unwrap_err(), FetchError::Unavailable { what: "NFLX".into(), status: 503 });
    assert_eq!(missing.unwrap_err(), FetchError::UnknownSymbol("ZZZZ".into()));

    let wrong_key = tickerboard::api::ApiClient::new(option_env!("TICKERBOARD_TEST_API").unwrap_or(""), "nope");
    assert_eq!(wrong_key.portfolio().await.unwrap_err(), FetchError::Unauthorized);
}

/// Every fault the server can inject, on one request each (all at once):
/// each comes back as its own typed error with its own sentence, and a slow
/// drip still arrives whole.
#[wasm_bindgen_test]
async fn every_injected_fault_is_a_specific_error() {
    let aapl = Symbol::parse("AAPL").unwrap();
    let faults = ["500", "503", "429", "malformed", "wrong-shape", "drop", "401", "drip"];
    let answers = futures::future::join_all(faults.map(|f| {
        let client = api().with_header("x-tickerboard-fault", f);
        let aapl = aapl.clone();
        async move { client.quote(&aapl).await }
    }))
    .await;
    let [internal, busy, limited, malformed, wrong_shape, dropped, refused, drip] =
        answers.try_into().unwrap_or_else(|_| unreachable!("eight answers"));
    assert_eq!(internal.unwrap_err(), FetchError::Unavailable { what: "AAPL".into(), status: 500 });
    assert_eq!(busy.unwrap_err().to_string(), "AAPL: server unavailable (503); try again shortly");
    assert!(matches!(limited.unwrap_err(), FetchError::RateLimited { retry_after_seconds: 2, .. }));
    let unreadable = malformed.unwrap_err().to_string();
    assert!(unreadable.starts_with("the server sent data we could not read"), "{unreadable}");
    assert!(matches!(wrong_shape.unwrap_err(), FetchError::Decode(_)));
    let broken = dropped.unwrap_err();
    assert!(matches!(broken, FetchError::Incomplete(_)), "a dropped connection: {broken:?}");
    assert!(broken.to_string().starts_with("the connection broke while the answer was arriving"), "{broken}");
    assert_eq!(refused.unwrap_err(), FetchError::Unauthorized);
    assert_eq!(drip.expect("a dripping body arrives whole").symbol, "AAPL");
}

#[wasm_bindgen_test]
async fn bad_data_is_refused_in_its_own_words_and_unknown_fields_are_ignored() {
    let aapl = Symbol::parse("AAPL").unwrap();
    let faults = ["nan", "infinity", "negative", "no-price", "extra-fields", "huge"];
    let answers = futures::future::join_all(faults.map(|f| {
        let client = api().with_header("x-tickerboard-fault", f);
        let aapl = aapl.clone();
        async move { client.quote(&aapl).await }
    }))
    .await;
    let [nan, infinity, negative, no_price, extra, huge] =
        answers.try_into().unwrap_or_else(|_| unreachable!("six answers"));
    for (name, answer) in [("nan", nan), ("infinity", infinity), ("no-price", no_price)] {
        let error = answer.expect_err(name);
        assert!(matches!(error, FetchError::Decode(_)), "{name}: {error:?}");
    }
    let impossible = negative.unwrap_err().to_string();
    assert!(impossible.starts_with("the server sent an impossible value (AAPL's price is -"), "{impossible}");
    assert_eq!(extra.expect("unknown fields are ignored").symbol, "AAPL");
    let too_large = huge.unwrap_err();
    assert_eq!(
        too_large.to_string(),
        "AAPL: the server's answer is too large (10.0 MB; the app reads at most 2 MB)",
        "refused by its Content-Length"
    );
    // In a batch, a bad value costs only its own symbol.
    let symbols = ["AAPL", "MSFT", "NVDA"].map(|s| Symbol::parse(s).unwrap());
    let batch = api().with_header("x-tickerboard-fault", "negative").quotes(&symbols).await.unwrap();
    assert!(batch.quotes.is_empty(), "the header spoils every quote: {batch:?}");
    assert_eq!(batch.errors.len(), 3);
    assert!(batch.errors.iter().all(|(_, e)| matches!(e, FetchError::Implausible(_))), "{batch:?}");
}
