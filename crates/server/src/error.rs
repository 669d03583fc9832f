//! Every failure the API reports, as JSON `{ "error": { "code", "message" } }`
//! with the matching HTTP status.

use std::time::Duration;

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
    #[error("no such endpoint: {0}")]
    NotFound(String),
    #[error("too many requests for this API key; retry after {} s", retry_after_seconds(*.0))]
    RateLimited(Duration),
    #[error("the server failed to answer; try again")]
    Internal,
    #[error("the server is temporarily unavailable; try again shortly")]
    Unavailable,
}

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
            ApiError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            ApiError::SymbolUnavailable(_) | ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        }
    }

    /// The JSON body's inner part, as a batch lists it per symbol.
    pub(crate) fn body(&self) -> ErrorBody {
        ErrorBody { code: self.status_and_code().1.to_owned(), message: self.to_string() }
    }
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
            ApiError::RateLimited(wait) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds(wait)));
            }
            _ => {}
        }
        response
    }
}
