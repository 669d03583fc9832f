//! Sending requests to the app with `oneshot`, no socket.

#![allow(dead_code)]

pub mod schema;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use market::ErrorResponse;

/// A finished response: status, headers, body (or the body's error).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Result<Vec<u8>, String>,
}

impl Answer {
    /// The body, which must have arrived whole.
    pub fn bytes(&self) -> &[u8] {
        self.body.as_deref().expect("a complete body")
    }

    /// The body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(self.bytes())
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(self.bytes())))
    }

    /// The error code of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json::<ErrorResponse>().error.code
    }
}

/// Sends `request` to `router` and reads the whole answer.
pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = tower::ServiceExt::oneshot(router.clone(), request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.map(|b| b.to_bytes().to_vec()).map_err(|e| e.to_string());
    Answer { status, headers, body }
}

/// An authorised GET, with extra headers.
pub fn get_with(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(path).header(header::AUTHORIZATION, "Bearer demo");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).unwrap()
}

/// An authorised GET.
pub fn get(path: &str) -> Request<Body> {
    get_with(path, &[])
}
