//! Bearer-key authentication for `/api/v1`, then the per-key rate limit.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::Response,
};

use crate::{error::ApiError, state::AppState};

/// Lets a request through only with `Authorization: Bearer <a configured key>`,
/// and only while its key's rate limit allows. The key itself is never logged.
pub(crate) async fn require_bearer_key(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        // The scheme's name is case-insensitive (RFC 9110 §11.1).
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim())
        .filter(|key| state.config.api_keys.contains(*key))
        .ok_or(ApiError::Unauthorized)?;
    if let Some(limiter) = &state.rate_limiter {
        limiter.take(key).map_err(ApiError::RateLimited)?;
    }
    Ok(next.run(request).await)
}
