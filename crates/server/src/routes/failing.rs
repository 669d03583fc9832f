//! `_failing/{symbol}`: make a symbol's quote fail (503) or recover while the
//! server runs, so a test can trip a fault and then lift it. `--fail` sets
//! the list the server starts with.

use std::sync::Arc;

use axum::{extract::State, http::StatusCode};

use super::AppState;
use crate::{error::ApiError, extract::ApiPath};

/// `PUT /api/v1/_failing/{symbol}`: the symbol's quotes answer 503 from now on.
pub(super) async fn failing_add(state: State<Arc<AppState>>, symbol: ApiPath<String>) -> Result<StatusCode, ApiError> {
    switch(state, symbol, true)
}

/// `DELETE /api/v1/_failing/{symbol}`: the symbol answers again.
pub(super) async fn failing_remove(
    state: State<Arc<AppState>>,
    symbol: ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    switch(state, symbol, false)
}

fn switch(
    State(state): State<Arc<AppState>>,
    ApiPath(symbol): ApiPath<String>,
    failing: bool,
) -> Result<StatusCode, ApiError> {
    // Only listed symbols: the set stays bounded by the universe.
    let listing = super::listing(&symbol)?;
    let mut set = state.failing.write().unwrap_or_else(|e| e.into_inner());
    if failing {
        set.insert(listing.symbol.clone());
    } else {
        set.remove(&listing.symbol);
    }
    Ok(StatusCode::NO_CONTENT)
}
