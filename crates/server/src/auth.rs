//! Bearer-key authentication for `/api/v1`.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::Response,
};

use crate::{error::ApiError, routes::AppState};

/// Lets a request through only with `Authorization: Bearer <a configured key>`.
/// The key itself is never logged.
pub(crate) async fn require_bearer_key(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match key {
        Some(key) if state.config.api_keys.contains(key) => Ok(next.run(request).await),
        _ => Err(ApiError::Unauthorized),
    }
}
