//! Quotes: one symbol, or a batch of up to [`MAX_BATCH`] in one request.

use std::sync::Arc;

use axum::{
    Json,
    extract::{Path, Query, State},
};
use market::{BatchQuotes, Quote, SymbolFailure};
use serde::Deserialize;

use super::{AppState, listing};
use crate::error::ApiError;

/// The most symbols one batch request may name.
pub const MAX_BATCH: usize = 100;

/// `GET /api/v1/quotes/{symbol}`.
pub(super) async fn quote_show(
    State(state): State<Arc<AppState>>,
    Path(symbol): Path<String>,
) -> Result<Json<Quote>, ApiError> {
    quote(&state, &symbol).map(Json)
}

/// The query of the batch endpoint.
#[derive(Debug, Deserialize)]
pub(super) struct BatchParams {
    symbols: Option<String>,
}

/// `GET /api/v1/quotes?symbols=A,B,…`: quotes in the order asked (each symbol
/// once), and an error beside them for each symbol without one.
pub(super) async fn batch_show(
    State(state): State<Arc<AppState>>,
    Query(params): Query<BatchParams>,
) -> Result<Json<BatchQuotes>, ApiError> {
    let raw = params.symbols.unwrap_or_default();
    let mut asked: Vec<&str> = Vec::new();
    for symbol in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !asked.iter().any(|seen| seen.eq_ignore_ascii_case(symbol)) {
            asked.push(symbol);
        }
    }
    if asked.is_empty() {
        return Err(ApiError::BadRequest("name the symbols: ?symbols=AAPL,MSFT".into()));
    }
    if asked.len() > MAX_BATCH {
        return Err(ApiError::BadRequest(format!("{} symbols asked; a batch holds at most {MAX_BATCH}", asked.len())));
    }
    let mut batch = BatchQuotes { quotes: Vec::new(), errors: Vec::new() };
    for symbol in asked {
        match quote(&state, symbol) {
            Ok(quote) => batch.quotes.push(quote),
            Err(err) => batch.errors.push(SymbolFailure {
                symbol: market::Symbol::parse(symbol).map_or_else(|_| symbol.to_owned(), |s| s.to_string()),
                error: err.body(),
            }),
        }
    }
    Ok(Json(batch))
}

/// One symbol's quote now, or why not.
fn quote(state: &AppState, symbol: &str) -> Result<Quote, ApiError> {
    let listing = listing(symbol)?;
    if state.failing.read().unwrap_or_else(|e| e.into_inner()).contains(&listing.symbol) {
        return Err(ApiError::SymbolUnavailable(listing.symbol.clone()));
    }
    Ok(state.market.quote(listing, state.now()))
}
