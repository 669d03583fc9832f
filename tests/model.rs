//! The app's pure logic, run in the browser with the rest of the app's tests:
//! number formats in the browser's locale, error classification.

use market::ErrorBody;
use tickerboard::{api::FetchError, format};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn money_has_cents_and_thousands_separators() {
    assert_eq!(format::money(10_000.0), "10,000.00");
    assert_eq!(format::money(1_234_567.891), "1,234,567.89");
    assert_eq!(format::money(-0.5), "-0.50");
    assert_eq!(format::money(0.0), "0.00");
}

#[wasm_bindgen_test]
fn changes_carry_their_sign() {
    assert_eq!(format::signed(1.254), "+1.25");
    assert_eq!(format::signed(-0.4), "-0.40");
    assert_eq!(format::signed(0.0), "0.00");
    assert_eq!(format::signed_percent(2.5), "+2.50%");
    assert_eq!(format::signed_money(10_569.0), "+10,569.00");
    assert_eq!(format::signed_money(-1_234.5), "-1,234.50");
    assert_eq!(format::signed_money(0.001), "0.00");
    assert_eq!(format::volume(950), "950");
    assert_eq!(format::volume(45_100_000), "45.1M");
    assert_eq!(format::time_of_day("2026-11-26T14:30:05Z"), "14:30:05");
}

#[wasm_bindgen_test]
fn http_failures_become_errors_a_user_can_act_on() {
    let body = |code: &str| Some(ErrorBody { code: code.into(), message: "m".into() });
    assert_eq!(FetchError::from_status(401, "AAPL", body("unauthorized")), FetchError::Unauthorized);
    assert_eq!(FetchError::from_status(404, "ZZZZ", body("unknown_symbol")).to_string(), "ZZZZ is not a listed symbol");
    assert_eq!(
        FetchError::from_status(503, "AAPL", None).to_string(),
        "AAPL: server unavailable (503); try again shortly"
    );
    assert_eq!(
        FetchError::from_status(400, "AAPL", body("bad_request")).to_string(),
        "AAPL: the server refused the request (400): m"
    );
}

#[wasm_bindgen_test]
fn errors_say_whether_they_are_worth_retrying() {
    use std::time::Duration;

    use fanout::{Classify, Retryable};
    let unavailable = FetchError::from_status(503, "AAPL", None);
    assert_eq!(unavailable.classify(), Retryable::Yes);
    assert_eq!(FetchError::Network("reset".into()).classify(), Retryable::Yes);
    assert_eq!(FetchError::from_status(401, "AAPL", None).classify(), Retryable::No);
    assert_eq!(FetchError::Decode("eof".into()).classify(), Retryable::No);
    let limited = FetchError::from_status(429, "AAPL", None).with_retry_after(Some("3"), Duration::ZERO);
    assert_eq!(limited.classify(), Retryable::After(Duration::from_secs(3)));
    assert_eq!(limited.to_string(), "AAPL: rate limited by the server; it asked us to wait 3 s");
}
