//! Requests are logged with tracing, and the API key never appears in the log.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use axum::{
    body::Body,
    http::{HeaderValue, Request, StatusCode, header},
};
use server::{Config, app};
use tower::ServiceExt;

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Collects everything logged at any level while `run` runs.
async fn logged<F: Future<Output = ()>>(run: F) -> String {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    run.await;
    String::from_utf8(log.0.lock().unwrap().clone()).unwrap()
}

#[tokio::test(start_paused = true)]
async fn requests_are_logged_without_their_key() {
    let secret = "s3cret-key-4242";
    let text = logged(async {
        let router = app(Config { api_keys: [secret.to_owned()].into(), ..Config::default() });
        for key in [secret, "wrong-key-777"] {
            let request = Request::get("/api/v1/quotes/AAPL?marker=logged")
                .header(header::AUTHORIZATION, format!("Bearer {key}"))
                .body(Body::empty())
                .unwrap();
            router.clone().oneshot(request).await.unwrap();
        }
    })
    .await;
    assert!(text.contains("marker=logged"), "the request is logged (positive control):\n{text}");
    assert!(text.contains("status=200") && text.contains("status=401"), "{text}");
    assert!(!text.contains(secret) && !text.contains("wrong-key-777"), "a key leaked into the log:\n{text}");
}

#[tokio::test(start_paused = true)]
async fn a_refused_key_in_any_form_never_reaches_the_log() {
    let marker = "LEAKCHECK";
    let refused: [&[u8]; 5] = [
        b"Bearer sk-live-LEAKCHECK-123",
        b"Basic sk-live-LEAKCHECK-123",
        b"sk-live-LEAKCHECK-123",
        b"Bearer sk-live-LEAKCHECK-123 extra",
        b"Bearer sk-live-LEAKCHECK-\xff\xfe",
    ];
    let text = logged(async {
        let router = app(Config::default());
        for (i, authorization) in refused.into_iter().enumerate() {
            let request = Request::get(format!("/api/v1/portfolio?attempt=logged-{i}"))
                .header(header::AUTHORIZATION, HeaderValue::from_bytes(authorization).unwrap())
                .body(Body::empty())
                .unwrap();
            let response = router.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
    })
    .await;
    for i in 0..refused.len() {
        assert!(text.contains(&format!("attempt=logged-{i}")), "request {i} is logged (positive control):\n{text}");
    }
    assert_eq!(text.matches("status=401").count(), refused.len(), "{text}");
    assert!(!text.contains(marker), "a refused key leaked into the log:\n{text}");
}

#[tokio::test(start_paused = true)]
async fn the_emulators_keys_never_reach_the_log_even_in_the_query() {
    let (key, secret) = ("td-KEYLEAK-1", "apca-SECRETLEAK-2");
    let text = logged(async {
        let emulate = server::EmulateConfig { key: key.into(), secret: secret.into(), ..Default::default() };
        let router = app(Config { emulate, ..Config::default() });
        let requests = [
            Request::get(format!("/emulate/twelvedata/quote?symbol=AAPL&marker=td-query&apikey={key}")),
            Request::get(format!("/emulate/twelvedata/quote?APIKEY={key}&marker=td-query-upper")),
            Request::get("/emulate/twelvedata/quote?symbol=AAPL&marker=td-header")
                .header(header::AUTHORIZATION, format!("apikey {key}")),
            Request::get("/emulate/alpaca/v2/stocks/snapshots?symbols=AAPL&marker=alpaca")
                .header("APCA-API-KEY-ID", key)
                .header("APCA-API-SECRET-KEY", secret),
        ];
        for request in requests {
            router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        }
    })
    .await;
    for marker in ["marker=td-query", "marker=td-query-upper", "marker=td-header", "marker=alpaca"] {
        assert!(text.contains(marker), "{marker} is logged (positive control):\n{text}");
    }
    assert!(!text.contains("KEYLEAK") && !text.contains("SECRETLEAK"), "a key leaked into the log:\n{text}");
}
