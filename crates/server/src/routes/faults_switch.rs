//! `_faults/{endpoint}`: every request to an endpoint gets one fault until it
//! is lifted, so an end-to-end test can trip any fault on any endpoint of a
//! running server, see the app cope, lift it and see the app recover.

use std::sync::Arc;

use axum::{extract::State, http::StatusCode};
use serde::Deserialize;

use super::AppState;
use crate::{
    error::ApiError,
    extract::{ApiPath, ApiQuery},
    faults::Fault,
    latency::Endpoint,
};

/// The query of `PUT /api/v1/_faults/…`.
#[derive(Debug, Deserialize)]
pub(super) struct Only {
    /// Only requests about this symbol (its quote or history, or a batch
    /// that asks for it); a data fault spoils only the symbol's part of an
    /// answer (its quote in a batch, its position in the portfolio).
    symbol: Option<String>,
}

/// `PUT /api/v1/_faults/{endpoint}/{kind}[?symbol=S]`: from now on every
/// request to `endpoint` (`quote`, `batch`, `history`, `portfolio`,
/// `symbols`) — or only those about symbol `S` — gets the fault `kind`
/// (`500`, `503`, `hang`, `429`, `malformed`, `wrong-shape`, `drip`, `drop`,
/// `401`, or a data fault: `nan`, `infinity`, `negative`, `no-price`,
/// `extra-fields`, `huge`).
pub(super) async fn fault_trip(
    State(state): State<Arc<AppState>>,
    ApiPath((endpoint, kind)): ApiPath<(String, String)>,
    ApiQuery(only): ApiQuery<Only>,
) -> Result<StatusCode, ApiError> {
    let endpoint: Endpoint = endpoint.parse().map_err(ApiError::BadRequest)?;
    let fault = Fault::named(&kind).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    // Only listed symbols: what is kept stays bounded by the universe.
    let symbol = only.symbol.map(|s| super::listing(&s).map(|l| l.symbol.clone())).transpose()?;
    state.switched.write().unwrap_or_else(|e| e.into_inner()).insert(endpoint, (fault, symbol));
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/_faults/{endpoint}`: the endpoint answers normally again.
pub(super) async fn fault_lift(
    State(state): State<Arc<AppState>>,
    ApiPath(endpoint): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let endpoint: Endpoint = endpoint.parse().map_err(ApiError::BadRequest)?;
    state.switched.write().unwrap_or_else(|e| e.into_inner()).remove(&endpoint);
    Ok(StatusCode::NO_CONTENT)
}
