//! `_stats`: the server's counters, for tests and the lab.

use std::sync::Arc;

use axum::{Json, extract::State, http::StatusCode};
use market::ServerStats;

use super::AppState;

/// `GET /api/v1/_stats`.
pub(super) async fn stats_show(State(state): State<Arc<AppState>>) -> Json<ServerStats> {
    Json(state.stats.snapshot())
}

/// `DELETE /api/v1/_stats`: start counting afresh.
pub(super) async fn stats_reset(State(state): State<Arc<AppState>>) -> StatusCode {
    state.stats.reset();
    StatusCode::NO_CONTENT
}
