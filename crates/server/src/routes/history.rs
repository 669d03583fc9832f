//! Daily price history.

use std::sync::Arc;

use axum::{
    Json,
    extract::{Path, Query, State},
};
use market::{History, Period};
use serde::Deserialize;

use super::{AppState, listing};
use crate::error::ApiError;

/// The query of the history endpoint.
#[derive(Debug, Deserialize)]
pub(super) struct HistoryParams {
    period: Option<String>,
}

/// `GET /api/v1/history/{symbol}?period=1m|3m|6m|1y|5y` (default `1y`).
pub(super) async fn history_show(
    State(state): State<Arc<AppState>>,
    Path(symbol): Path<String>,
    Query(params): Query<HistoryParams>,
) -> Result<Json<History>, ApiError> {
    let listing = listing(&symbol)?;
    let period = params.period.as_deref().map(str::parse::<Period>).transpose()?.unwrap_or_default();
    Ok(Json(state.market.history(listing, period, state.now())))
}
