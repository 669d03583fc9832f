//! Requests are logged with tracing, and the API key never appears in the log.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use axum::{
    body::Body,
    http::{Request, header},
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

#[tokio::test(start_paused = true)]
async fn requests_are_logged_without_their_key() {
    let secret = "s3cret-key-4242";
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let router = app(Config { api_keys: [secret.to_owned()].into(), ..Config::default() });
    for key in [secret, "wrong-key-777"] {
        let request = Request::get("/api/v1/quotes/AAPL?marker=logged")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .unwrap();
        router.clone().oneshot(request).await.unwrap();
    }

    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("marker=logged"), "the request is logged (positive control):\n{text}");
    assert!(text.contains("status=200") && text.contains("status=401"), "{text}");
    assert!(!text.contains(secret) && !text.contains("wrong-key-777"), "a key leaked into the log:\n{text}");
}
