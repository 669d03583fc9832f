//! The endpoints added beyond the skeleton: batch quotes, symbol search,
//! `_stats`, and byte-for-byte determinism.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use market::{BatchQuotes, ServerStats, SymbolSearch};
use server::{Config, Latency, app};
use support::{get, get_with, send};
use time::macros::datetime;

#[tokio::test(start_paused = true)]
async fn a_batch_answers_each_symbol_once_with_errors_beside_the_quotes() {
    let config = Config { failing_symbols: ["NFLX".to_owned()].into(), ..Config::default() };
    let router = app(config);
    let answer = send(&router, get("/api/v1/quotes?symbols=aapl,MSFT,%20zzzz,AAPL,nflx,bad/sym")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let batch: BatchQuotes = answer.json();
    let symbols: Vec<_> = batch.quotes.iter().map(|q| q.symbol.as_str()).collect();
    assert_eq!(symbols, ["AAPL", "MSFT"]);
    let errors: Vec<_> = batch.errors.iter().map(|e| (e.symbol.as_str(), e.error.code.as_str())).collect();
    assert_eq!(errors, [("ZZZZ", "unknown_symbol"), ("NFLX", "unavailable"), ("bad/sym", "bad_request")]);
}

#[tokio::test(start_paused = true)]
async fn a_batch_holds_one_to_a_hundred_symbols() {
    let router = app(Config::default());
    let hundred: Vec<String> = market::universe::listings().iter().take(100).map(|l| l.symbol.clone()).collect();
    let answer = send(&router, get(&format!("/api/v1/quotes?symbols={}", hundred.join(",")))).await;
    assert_eq!(answer.json::<BatchQuotes>().quotes.len(), 100);

    let too_many: Vec<String> = market::universe::listings().iter().take(101).map(|l| l.symbol.clone()).collect();
    let answer = send(&router, get(&format!("/api/v1/quotes?symbols={}", too_many.join(",")))).await;
    assert_eq!((answer.status, answer.error_code()), (StatusCode::BAD_REQUEST, "bad_request".into()));
    for empty in ["/api/v1/quotes", "/api/v1/quotes?symbols=", "/api/v1/quotes?symbols=,,"] {
        assert_eq!(send(&router, get(empty)).await.status, StatusCode::BAD_REQUEST, "{empty}");
    }
}

#[tokio::test(start_paused = true)]
async fn symbol_search_ranks_and_caps_at_twenty() {
    let router = app(Config::default());
    let search: SymbolSearch = send(&router, get("/api/v1/symbols?q=micro")).await.json();
    let symbols: Vec<_> = search.results.iter().map(|r| r.symbol.as_str()).collect();
    assert!(symbols.contains(&"MSFT") && symbols.contains(&"AMD"), "{symbols:?}");
    assert_eq!(search.results.iter().find(|r| r.symbol == "MSFT").unwrap().name, "Microsoft Corporation");

    let search: SymbolSearch = send(&router, get("/api/v1/symbols?q=aapl")).await.json();
    assert_eq!(search.results[0].symbol, "AAPL");
    let search: SymbolSearch = send(&router, get("/api/v1/symbols?q=s")).await.json();
    assert_eq!(search.results.len(), 20);
    assert_eq!(send(&router, get("/api/v1/symbols?q=%20")).await.status, StatusCode::BAD_REQUEST);
    let all: SymbolSearch = send(&router, get("/api/v1/symbols?all=true")).await.json();
    assert_eq!(all.results.len(), market::universe::listings().len());
    assert!(all.results.len() > 500 && all.results.windows(2).all(|w| w[0].symbol < w[1].symbol));
    assert_eq!(send(&router, get("/api/v1/symbols")).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(start_paused = true)]
async fn stats_count_requests_the_most_in_flight_and_aborted_ones() {
    let router = app(Config { latency: Latency::Fixed(Duration::from_millis(100)), ..Config::default() });
    let ten = (0..10).map(|_| send(&router, get("/api/v1/quotes/AAPL")));
    futures::future::join_all(ten).await;
    send(&router, get("/api/v1/portfolio")).await;
    // A client that gives up on a hanging request.
    let hang = send(&router, get_with("/api/v1/quotes/MSFT", &[("x-tickerboard-fault", "hang")]));
    assert!(tokio::time::timeout(Duration::from_secs(5), hang).await.is_err());

    let stats: ServerStats = send(&router, get("/api/v1/_stats")).await.json();
    assert_eq!(stats.requests["quote"], 11);
    assert_eq!(stats.requests["portfolio"], 1);
    assert_eq!(stats.max_in_flight, 10);
    assert_eq!(stats.aborted, 1);
    assert_eq!(stats.in_flight, 0);

    let reset = send(
        &router,
        axum::http::Request::delete("/api/v1/_stats")
            .header("authorization", "Bearer demo")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    let stats: ServerStats = send(&router, get("/api/v1/_stats")).await.json();
    assert_eq!((stats.requests["quote"], stats.max_in_flight, stats.aborted), (0, 0, 0));
}

#[tokio::test(start_paused = true)]
async fn the_same_seed_and_time_give_the_same_bytes() {
    let frozen = Some(datetime!(2026-11-26 15:04:05 UTC));
    let one = app(Config { frozen_time: frozen, ..Config::default() });
    let two = app(Config { frozen_time: frozen, ..Config::default() });
    let other_seed = app(Config { frozen_time: frozen, seed: 7, ..Config::default() });
    for path in ["/api/v1/quotes/AAPL", "/api/v1/history/MSFT?period=5y", "/api/v1/quotes?symbols=TSLA,NVDA"] {
        let a = send(&one, get(path)).await;
        let b = send(&two, get(path)).await;
        assert_eq!(a.bytes(), b.bytes(), "{path}");
        assert_ne!(a.bytes(), send(&other_seed, get(path)).await.bytes(), "{path}");
    }
}
