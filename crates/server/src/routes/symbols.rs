//! Symbol search, for the watchlist's search-as-you-type.

use axum::Json;
use market::{SymbolMatch, SymbolSearch, universe};
use serde::Deserialize;

use crate::{error::ApiError, extract::ApiQuery};

/// The query of the search endpoint.
#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
    q: Option<String>,
    /// `true` lists every symbol instead (the lab and benchmarks need many).
    all: Option<bool>,
}

/// The longest query accepted.
const MAX_QUERY: usize = 50;

/// `GET /api/v1/symbols?q=…`: by symbol or name prefix, best first, at most 20;
/// `?all=true`: every listed symbol, sorted.
pub(super) async fn symbols_search(ApiQuery(params): ApiQuery<SearchParams>) -> Result<Json<SymbolSearch>, ApiError> {
    let matches = |listings: &mut dyn Iterator<Item = &universe::Listing>| {
        listings
            .map(|l| SymbolMatch { symbol: l.symbol.clone(), name: l.name.clone(), sector: l.sector.to_owned() })
            .collect()
    };
    // As openapi.json states it: `q`, when given, is 1 to MAX_QUERY
    // characters and not only spaces, even beside `all=true`.
    let q = params.q.as_deref().map(str::trim);
    if let Some(raw) = &params.q
        && (raw.chars().count() > MAX_QUERY || q.is_some_and(str::is_empty))
    {
        return Err(ApiError::BadRequest(format!("give a search of 1 to {MAX_QUERY} characters: ?q=app")));
    }
    if params.all == Some(true) {
        return Ok(Json(SymbolSearch { results: matches(&mut universe::listings().iter()) }));
    }
    let Some(q) = q else {
        return Err(ApiError::BadRequest(format!(
            "give a search of 1 to {MAX_QUERY} characters (?q=app), or list every symbol with ?all=true"
        )));
    };
    Ok(Json(SymbolSearch { results: matches(&mut universe::search(q, universe::MAX_SEARCH_RESULTS).into_iter()) }))
}
