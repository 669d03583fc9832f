//! Latency and faults, forced by header on one request or drawn at a rate from
//! the server's settings; and the per-key rate limit.

mod support;

use std::time::Duration;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use market::Quote;
use server::{Config, Fault, FaultPlan, Latency, LatencyProfile, RateLimit, app};
use support::{get, get_with, send};
use tokio::time::{Instant, timeout};

const QUOTE: &str = "/api/v1/quotes/AAPL";

fn fault(name: &str) -> [(&'static str, String); 1] {
    [("x-tickerboard-fault", name.to_owned())]
}

async fn with_fault(name: &str) -> support::Answer {
    let headers = fault(name);
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    send(&app(Config::default()), get_with(QUOTE, &headers)).await
}

#[tokio::test(start_paused = true)]
async fn error_statuses_come_as_json_with_retry_after_on_429() {
    for (name, status, code) in [
        ("500", StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        ("503", StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        ("429", StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
    ] {
        let answer = with_fault(name).await;
        assert_eq!((answer.status, answer.error_code()), (status, code.to_owned()), "{name}");
    }
    assert_eq!(with_fault("429").await.headers[header::RETRY_AFTER], "2");
}

#[tokio::test(start_paused = true)]
async fn a_hang_never_answers() {
    assert!(timeout(Duration::from_secs(3600), with_fault("hang")).await.is_err());
}

#[tokio::test(start_paused = true)]
async fn malformed_and_wrong_shape_bodies_are_200_but_unreadable_as_quotes() {
    let malformed = with_fault("malformed").await;
    assert_eq!(malformed.status, StatusCode::OK);
    assert!(serde_json::from_slice::<serde_json::Value>(malformed.bytes()).is_err(), "not JSON at all");
    assert!(malformed.bytes().starts_with(br#"{"symbol":"AAPL""#));

    let wrong = with_fault("wrong-shape").await;
    assert_eq!(wrong.status, StatusCode::OK);
    let value: serde_json::Value = serde_json::from_slice(wrong.bytes()).unwrap();
    assert!(serde_json::from_value::<Quote>(value.clone()).is_err(), "valid JSON of the wrong shape");
    assert_eq!(value["result"]["symbol"], "AAPL");
}

#[tokio::test(start_paused = true)]
async fn a_drip_trickles_the_whole_body_over_two_seconds() {
    let start = Instant::now();
    let drip = with_fault("drip").await;
    assert_eq!(drip.status, StatusCode::OK);
    let quote: Quote = drip.json();
    assert_eq!(quote.symbol, "AAPL");
    assert!(start.elapsed() >= Duration::from_secs(2), "{:?}", start.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_drop_breaks_the_body_halfway() {
    let dropped = with_fault("drop").await;
    assert_eq!(dropped.status, StatusCode::OK);
    assert!(dropped.body.unwrap_err().contains("dropped"), "the body errors");
}

#[tokio::test(start_paused = true)]
async fn the_latency_header_sets_this_requests_latency() {
    let router = app(Config { latency: Latency::Profile(LatencyProfile::Seed), ..Config::default() });
    let start = Instant::now();
    let answer = send(&router, get_with(QUOTE, &[("x-tickerboard-latency-ms", "200")])).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    for bad in ["soon", "-5", "999999"] {
        let answer = send(&router, get_with(QUOTE, &[("x-tickerboard-latency-ms", bad)])).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let answer = send(&router, get_with(QUOTE, &[("x-tickerboard-fault", "teapot")])).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(start_paused = true)]
async fn every_fault_can_be_set_by_flag_at_a_rate() {
    for kind in Fault::ALL {
        let router = app(Config { faults: FaultPlan::default().with(kind, 1.0), ..Config::default() });
        let answer = send(&router, get(QUOTE));
        let answer = match timeout(Duration::from_secs(60), answer).await {
            Ok(answer) => answer,
            Err(_) => {
                assert_eq!(kind, Fault::Hang);
                continue;
            }
        };
        let injected = answer.headers.get("x-tickerboard-injected").map(|v| v.to_str().unwrap().to_owned());
        match kind {
            Fault::Internal => assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR),
            Fault::Unavailable => assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE),
            Fault::RateLimited => assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS),
            Fault::Unauthorized => assert_eq!(answer.status, StatusCode::UNAUTHORIZED),
            _ => assert_eq!(injected.as_deref(), Some(kind.name()), "{kind}"),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_error_rate_is_deterministic_by_seed() {
    let plan = FaultPlan::default().with(Fault::Internal, 0.15).with(Fault::Unavailable, 0.15);
    let statuses = |seed: u64| {
        let router = app(Config { faults: plan.clone(), seed, ..Config::default() });
        async move {
            let mut out = Vec::new();
            for _ in 0..200 {
                out.push(send(&router, get(QUOTE)).await.status.as_u16());
            }
            out
        }
    };
    let (a, b, c) = (statuses(1).await, statuses(1).await, statuses(2).await);
    assert_eq!(a, b, "same seed, same faults");
    assert_ne!(a, c, "another seed, other faults");
    let failed = a.iter().filter(|s| **s >= 500).count();
    assert!((40..=80).contains(&failed), "{failed} of 200 failed at a 30 % rate");
}

#[tokio::test(start_paused = true)]
async fn the_rate_limit_answers_429_with_retry_after_per_key() {
    let limit = RateLimit { per_second: 2.0, burst: 2 };
    let router = app(Config { rate_limit: Some(limit), ..Config::default() });
    assert_eq!(send(&router, get(QUOTE)).await.status, StatusCode::OK);
    assert_eq!(send(&router, get(QUOTE)).await.status, StatusCode::OK);
    let limited = send(&router, get(QUOTE)).await;
    assert_eq!((limited.status, limited.error_code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()));
    assert_eq!(limited.headers[header::RETRY_AFTER], "1");
    tokio::time::advance(Duration::from_millis(500)).await;
    assert_eq!(send(&router, get(QUOTE)).await.status, StatusCode::OK);
}

#[tokio::test(start_paused = true)]
async fn a_symbol_can_be_made_to_fail_and_recover_while_the_server_runs() {
    let router = app(Config::default());
    let switch = |method: &str| {
        Request::builder()
            .method(method)
            .uri("/api/v1/_failing/aapl")
            .header(header::AUTHORIZATION, "Bearer demo")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(send(&router, get(QUOTE)).await.status, StatusCode::OK);
    assert_eq!(send(&router, switch("PUT")).await.status, StatusCode::NO_CONTENT);
    let failing = send(&router, get(QUOTE)).await;
    assert_eq!((failing.status, failing.error_code()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable".into()));
    assert_eq!(send(&router, get("/api/v1/quotes/MSFT")).await.status, StatusCode::OK, "others unaffected");
    assert_eq!(send(&router, switch("DELETE")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(send(&router, get(QUOTE)).await.status, StatusCode::OK);
}
