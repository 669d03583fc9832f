//! Every bad key — missing, malformed or wrong — gets the same 401, which
//! never repeats the key that was sent.

mod support;

use axum::{
    body::Body,
    http::{HeaderValue, Request, StatusCode, header},
};
use server::{Config, app};
use support::send;

const MARKER: &str = "LEAKCHECK";

/// `Authorization` headers that must all be refused alike (`None`: absent).
fn bad_authorizations() -> Vec<(&'static str, Option<HeaderValue>)> {
    let text = |value: &'static str| Some(HeaderValue::from_static(value));
    vec![
        ("missing", None),
        ("wrong key", text("Bearer sk-live-LEAKCHECK-123")),
        ("basic", text("Basic c2stbGl2ZS1MRUFLQ0hFQ0stMTIzOg==")),
        ("basic in clear", text("Basic sk-live-LEAKCHECK-123")),
        ("bearer alone", text("Bearer")),
        ("bearer and a space", text("Bearer ")),
        ("another scheme", text("Token sk-live-LEAKCHECK-123")),
        ("no scheme", text("sk-live-LEAKCHECK-123")),
        ("two words", text("Bearer sk-live-LEAKCHECK-123 demo")),
        ("non-ASCII", Some(HeaderValue::from_bytes(b"Bearer sk-live-LEAKCHECK-\xff\xfe\xc3\xa9").unwrap())),
    ]
}

fn request(path: &str, authorization: Option<HeaderValue>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test(start_paused = true)]
async fn every_bad_key_gets_the_identical_401_without_the_key() {
    let router = app(Config::default());
    for path in ["/api/v1/quotes/AAPL", "/api/v1/_stats"] {
        let mut first = None;
        for (case, authorization) in bad_authorizations() {
            let answer = send(&router, request(path, authorization)).await;
            assert_eq!(
                (answer.status, answer.error_code()),
                (StatusCode::UNAUTHORIZED, "unauthorized".into()),
                "{case}"
            );
            assert_eq!(answer.headers[header::WWW_AUTHENTICATE], r#"Bearer realm="tickerboard""#, "{case}");
            let body = String::from_utf8_lossy(answer.bytes()).into_owned();
            let headers = format!("{:?}", answer.headers);
            assert!(!body.contains(MARKER) && !headers.contains(MARKER), "{case}: the key leaked: {headers} {body}");
            match &first {
                None => first = Some((answer.headers, body)),
                Some((headers, first_body)) => {
                    assert_eq!((&answer.headers, &body), (headers, first_body), "{case}: not identical");
                }
            }
        }
    }
    // Positive control: the right key passes.
    let good = send(&router, request("/api/v1/quotes/AAPL", Some(HeaderValue::from_static("Bearer demo")))).await;
    let lower = send(&router, request("/api/v1/quotes/AAPL", Some(HeaderValue::from_static("bearer demo")))).await;
    assert_eq!(lower.status, StatusCode::OK, "the scheme's name is case-insensitive");
    assert_eq!(good.status, StatusCode::OK);
}
