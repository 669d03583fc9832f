//! Symbol search, for the watchlist's search-as-you-type.

use axum::{Json, extract::Query};
use market::{SymbolMatch, SymbolSearch, universe};
use serde::Deserialize;

use crate::error::ApiError;

/// The query of the search endpoint.
#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
    q: Option<String>,
}

/// The longest query accepted.
const MAX_QUERY: usize = 50;

/// `GET /api/v1/symbols?q=…`: by symbol or name prefix, best first, at most 20.
pub(super) async fn symbols_search(Query(params): Query<SearchParams>) -> Result<Json<SymbolSearch>, ApiError> {
    let q = params.q.unwrap_or_default();
    let q = q.trim();
    if q.is_empty() || q.chars().count() > MAX_QUERY {
        return Err(ApiError::BadRequest(format!("give a search of 1 to {MAX_QUERY} characters: ?q=app")));
    }
    let results = universe::search(q, universe::MAX_SEARCH_RESULTS)
        .into_iter()
        .map(|l| SymbolMatch { symbol: l.symbol.clone(), name: l.name.clone(), sector: l.sector.to_owned() })
        .collect();
    Ok(Json(SymbolSearch { results }))
}
