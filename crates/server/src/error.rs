//! Every failure the API reports, as JSON `{ "error": { "code", "message" } }`
//! with the matching HTTP status.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use market::{ErrorResponse, PeriodError, SymbolError};

/// A request the API refuses or cannot answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("missing or invalid API key: send `Authorization: Bearer <key>` (the demo key is `demo`)")]
    Unauthorized,
    #[error("{0}")]
    BadSymbol(#[from] SymbolError),
    #[error("{0}")]
    BadPeriod(#[from] PeriodError),
    #[error("unknown symbol {0}")]
    UnknownSymbol(String),
    #[error("quotes for {0} are unavailable right now; try again shortly")]
    Unavailable(String),
    #[error("no such endpoint: {0}")]
    NotFound(String),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::BadSymbol(_) | ApiError::BadPeriod(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::UnknownSymbol(_) => (StatusCode::NOT_FOUND, "unknown_symbol"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut response = (status, Json(ErrorResponse::new(code, self.to_string()))).into_response();
        if matches!(self, ApiError::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(r#"Bearer realm="tickerboard""#));
        }
        response
    }
}
