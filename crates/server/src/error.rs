//! Every failure the API reports, as JSON `{ "error": { "code", "message" } }`
//! with the matching HTTP status.

use std::{any::Any, time::Duration};

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use market::{ErrorBody, ErrorResponse, PeriodError, SymbolError};

/// A request the API refuses or cannot answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("missing or invalid API key: send `Authorization: Bearer <key>` (the demo key is `demo`)")]
    Unauthorized,
    #[error("{0}")]
    BadSymbol(#[from] SymbolError),
    #[error("{0}")]
    BadPeriod(#[from] PeriodError),
    #[error("{0}")]
    BadRequest(String),
    #[error("unknown symbol {0}")]
    UnknownSymbol(String),
    #[error("quotes for {0} are unavailable right now; try again shortly")]
    SymbolUnavailable(String),
    /// Build it with [`ApiError::not_found`], which cuts a long path short.
    #[error("no such endpoint: {0}")]
    NotFound(String),
    /// Build it with [`ApiError::method_not_allowed`].
    #[error("{method} is not allowed on {path}; the Allow header lists the methods that are")]
    MethodNotAllowed { method: String, path: String },
    #[error("the request's URI is longer than {} KiB", MAX_URI_BYTES / 1024)]
    UriTooLong,
    #[error("the request's body is larger than {} KiB", MAX_BODY_BYTES / 1024)]
    PayloadTooLarge,
    #[error("too many requests for this API key; retry after {} s", retry_after_seconds(*.0))]
    RateLimited(Duration),
    #[error("the server failed to answer; try again")]
    Internal,
    #[error("the server is temporarily unavailable; try again shortly")]
    Unavailable,
    /// Provider mode: the shared budget (or the provider) allows no call until `wait` from now.
    #[error("{provider}'s budget is spent; next try in {} s", retry_after_seconds(*.wait))]
    ProviderBudget { provider: providers::ProviderId, wait: Duration },
    /// Provider mode: the provider refused the server's key, failed, or sent
    /// what could not be read; the message names the provider, never the key.
    #[error("{0}")]
    ProviderUnavailable(String),
}

/// The longest request URI (path and query) the API reads: 8 KiB.
pub(crate) const MAX_URI_BYTES: usize = 8 * 1024;
/// The largest request body the API reads: 16 KiB.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024;
/// How much of an unknown path a 404 quotes back.
const QUOTED_PATH_CHARS: usize = 100;

/// `Retry-After` in whole seconds, at least one.
fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::BadSymbol(_) | ApiError::BadPeriod(_) | ApiError::BadRequest(_) => {
                (StatusCode::BAD_REQUEST, "bad_request")
            }
            ApiError::UnknownSymbol(_) => (StatusCode::NOT_FOUND, "unknown_symbol"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed { .. } => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::UriTooLong => (StatusCode::URI_TOO_LONG, "uri_too_long"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::RateLimited(_) | ApiError::ProviderBudget { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
            }
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            ApiError::SymbolUnavailable(_) | ApiError::Unavailable | ApiError::ProviderUnavailable(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
        }
    }

    /// No endpoint at `path`; the message quotes at most [`QUOTED_PATH_CHARS`]
    /// characters of it.
    pub(crate) fn not_found(path: &str) -> ApiError {
        ApiError::NotFound(quoted(path))
    }

    /// `method` is not one `path` answers; the message quotes the path as
    /// [`ApiError::not_found`] does.
    pub(crate) fn method_not_allowed(method: &str, path: &str) -> ApiError {
        ApiError::MethodNotAllowed { method: method.chars().take(QUOTED_PATH_CHARS).collect(), path: quoted(path) }
    }

    /// The JSON body's inner part, as a batch lists it per symbol.
    pub(crate) fn body(&self) -> ErrorBody {
        ErrorBody { code: self.status_and_code().1.to_owned(), message: self.to_string() }
    }
}

/// At most [`QUOTED_PATH_CHARS`] characters of `path`, `…` if cut short.
fn quoted(path: &str) -> String {
    let mut quoted: String = path.chars().take(QUOTED_PATH_CHARS).collect();
    if quoted.len() < path.len() {
        quoted.push('…');
    }
    quoted
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _) = self.status_and_code();
        let mut response = (status, Json(ErrorResponse { error: self.body() })).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Bearer realm="tickerboard""#));
            }
            ApiError::RateLimited(wait) | ApiError::ProviderBudget { wait, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds(wait)));
            }
            _ => {}
        }
        response
    }
}

/// The answer when a handler panics: the generic 500, whatever the panic
/// said (which is logged, never sent).
pub(crate) fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked");
    ApiError::Internal.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_404_quotes_at_most_a_hundred_characters_of_the_path() {
        let long = format!("/api/v1/{}", "é".repeat(5000));
        let message = ApiError::not_found(&long).to_string();
        assert_eq!(message.chars().count(), "no such endpoint: ".len() + QUOTED_PATH_CHARS + 1, "{message}");
        assert!(message.ends_with('…'));
        assert_eq!(ApiError::not_found("/api/v1/nope").to_string(), "no such endpoint: /api/v1/nope");
        let exactly = "a".repeat(QUOTED_PATH_CHARS);
        assert!(!ApiError::not_found(&exactly).to_string().contains('…'));
    }

    #[tokio::test]
    async fn a_panic_becomes_the_generic_500_without_its_message() {
        for panic in [Box::new("sk-live-PANIC-1") as Box<dyn Any + Send>, Box::new(String::from("sk-live-PANIC-2"))] {
            let response = panic_response(panic);
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            let body: ErrorResponse = serde_json::from_slice(&body).unwrap();
            assert_eq!(body.error, ApiError::Internal.body());
            assert!(!body.error.message.contains("PANIC"));
        }
    }
}
