//! The provider emulator (`/emulate/…`): every answer in its provider's own
//! format, decoded by the `providers` crate's readers and compared with the
//! same simulated market; keys, budgets, counters and CORS.

#[path = "../support/mod.rs"]
mod support;

mod alpaca;
mod twelvedata;

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use market::sim::Market;
use server::{Config, EmulateConfig, EmulatorStats, app};
use support::{Answer, send};
use time::{OffsetDateTime, macros::datetime};

/// Every test's instant: a Thursday, 5 s into a minute (a whole second, so
/// windows of a second start on it).
const NOW: OffsetDateTime = datetime!(2026-11-26 14:30:05 UTC);
const NOW_MS: u64 = 1_795_703_405_000;
const SEED: u64 = 42;
const KEY: &str = "emulator-key";
const SECRET: &str = "emulator-secret";

/// An emulator frozen at [`NOW`] whose minute lasts `minute`.
fn emulator(minute: Duration) -> Router {
    emulator_with(EmulateConfig { minute, ..EmulateConfig::default() })
}

fn emulator_with(emulate: EmulateConfig) -> Router {
    app(Config { seed: SEED, frozen_time: Some(NOW), emulate, ..Config::default() })
}

/// The market the emulator answers from.
fn market() -> Market {
    Market::new(SEED)
}

fn listing(symbol: &str) -> &'static market::universe::Listing {
    market::universe::find(symbol).unwrap()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// A GET of `path` with these headers.
async fn get(router: &Router, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(router, request.body(Body::empty()).unwrap()).await
}

/// The body as text.
fn text(answer: &Answer) -> String {
    String::from_utf8_lossy(answer.bytes()).into_owned()
}

#[test]
fn now_ms_is_now() {
    assert_eq!(NOW.unix_timestamp() * 1000, NOW_MS as i64);
}

async fn stats(router: &Router) -> EmulatorStats {
    let answer = get(router, "/emulate/_stats", &[]).await;
    assert_eq!(answer.status, StatusCode::OK);
    answer.json()
}

#[tokio::test]
async fn the_counters_reset_and_unknown_emulated_paths_answer_404_json() {
    let router = emulator(Duration::from_secs(60));
    get(&router, "/emulate/twelvedata/quote?symbol=AAPL", &[("authorization", "apikey emulator-key")]).await;
    assert_eq!(stats(&router).await.twelvedata.requests, 1);
    let reset = send(&router, Request::delete("/emulate/_stats").body(Body::empty()).unwrap()).await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT);
    let after = stats(&router).await;
    assert_eq!((after.twelvedata.requests, after.twelvedata.windows.len()), (0, 0));

    let missing = get(&router, "/emulate/twelvedata/price?symbol=AAPL", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json::<serde_json::Value>()["message"], "no such emulated endpoint: /emulate/twelvedata/price");
}

#[tokio::test]
async fn a_page_on_another_origin_may_call_the_emulator_with_its_authorization_header() {
    let router = emulator(Duration::from_secs(60));
    let preflight = Request::options("/emulate/twelvedata/quote?symbol=AAPL")
        .header(header::ORIGIN, "http://localhost:9999")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .body(Body::empty())
        .unwrap();
    let answer = send(&router, preflight).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let allowed = answer.headers[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");

    let answer = get(
        &router,
        "/emulate/twelvedata/quote?symbol=AAPL",
        &[("origin", "http://localhost:9999"), ("authorization", "apikey emulator-key")],
    )
    .await;
    assert_eq!(answer.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(answer.json::<serde_json::Value>()["symbol"], "AAPL");
}
