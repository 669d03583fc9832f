//! The account: cash and positions (valued by whoever shows them).

use std::sync::Arc;

use axum::{Json, extract::State};
use market::Portfolio;

use super::AppState;

/// `GET /api/v1/portfolio`.
pub(super) async fn portfolio_show(State(state): State<Arc<AppState>>) -> Json<Portfolio> {
    Json(state.market.portfolio())
}
