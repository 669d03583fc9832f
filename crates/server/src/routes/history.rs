//! Daily price history: from the simulated market, or in provider mode from
//! the provider.

use std::sync::Arc;

use axum::{Json, extract::State};
use market::{History, Period};
use serde::Deserialize;

use super::{AppState, listing};
use crate::{
    error::ApiError,
    extract::{ApiPath, ApiQuery},
};

/// The query of the history endpoint.
#[derive(Debug, Deserialize)]
pub(super) struct HistoryParams {
    period: Option<String>,
}

/// `GET /api/v1/history/{symbol}?period=1m|3m|6m|1y|5y` (default `1y`).
pub(super) async fn history_show(
    State(state): State<Arc<AppState>>,
    ApiPath(symbol): ApiPath<String>,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> Result<Json<History>, ApiError> {
    // The whole request is read (400) before the symbol is looked up (404).
    let period = period(&params)?;
    if let Some(source) = &state.provider {
        let symbol = market::Symbol::parse_exact(&symbol)?;
        return source.history(symbol.as_str(), period, state.now().date()).await.map(Json);
    }
    let listing = listing(&symbol)?;
    Ok(Json(state.market.history(listing, period, state.now())))
}

/// The period asked, `1y` if none.
fn period(params: &HistoryParams) -> Result<Period, ApiError> {
    Ok(params.period.as_deref().map(str::parse::<Period>).transpose()?.unwrap_or_default())
}
