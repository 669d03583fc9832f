//! `_failing/{symbol}`: make a symbol's quote fail (503) or recover while the
//! server runs, so a test can trip a fault and then lift it. `--fail` sets
//! the list the server starts with.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
};

use super::AppState;
use crate::error::ApiError;

/// `PUT /api/v1/_failing/{symbol}`: the symbol's quotes answer 503 from now on.
pub(super) async fn failing_add(
    State(state): State<Arc<AppState>>,
    Path(symbol): Path<String>,
) -> Result<StatusCode, ApiError> {
    let symbol = market::Symbol::parse(&symbol).map_err(ApiError::BadSymbol)?;
    state.failing.write().unwrap_or_else(|e| e.into_inner()).insert(symbol.to_string());
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/_failing/{symbol}`: the symbol answers again.
pub(super) async fn failing_remove(
    State(state): State<Arc<AppState>>,
    Path(symbol): Path<String>,
) -> Result<StatusCode, ApiError> {
    let symbol = market::Symbol::parse(&symbol).map_err(ApiError::BadSymbol)?;
    state.failing.write().unwrap_or_else(|e| e.into_inner()).remove(symbol.as_str());
    Ok(StatusCode::NO_CONTENT)
}
