//! Quotes: one symbol, or a batch of up to [`MAX_BATCH`] in one request; from
//! the simulated market, or in provider mode from the provider.

use std::sync::Arc;

use axum::{Json, extract::State};
use market::{BatchQuotes, Quote, SymbolFailure};
use serde::Deserialize;

use super::{AppState, listing};
use crate::{
    error::ApiError,
    extract::{ApiPath, ApiQuery},
};

/// The most symbols one batch request may name.
pub const MAX_BATCH: usize = 100;

/// `GET /api/v1/quotes/{symbol}`.
pub(super) async fn quote_show(
    State(state): State<Arc<AppState>>,
    ApiPath(symbol): ApiPath<String>,
) -> Result<Json<Quote>, ApiError> {
    match &state.provider {
        Some(source) => {
            let symbol = provider_symbol(&state, &symbol)?;
            source.quotes(&[symbol]).await.pop().unwrap_or(Err(ApiError::Internal)).map(Json)
        }
        None => quote(&state, &symbol).map(Json),
    }
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
    ApiQuery(params): ApiQuery<BatchParams>,
) -> Result<Json<BatchQuotes>, ApiError> {
    // As openapi.json states it: 1 to MAX_BATCH entries, none empty; each
    // trimmed, repeats (in any case) answered once.
    let raw = params.symbols.unwrap_or_default();
    let entries: Vec<&str> = raw.split(',').map(str::trim).collect();
    if raw.trim().is_empty() {
        return Err(ApiError::BadRequest("name the symbols: ?symbols=AAPL,MSFT".into()));
    }
    if let Some(n) = entries.iter().position(|s| s.is_empty()) {
        return Err(ApiError::BadRequest(format!("entry {} of the symbols is empty: ?symbols=AAPL,MSFT", n + 1)));
    }
    if entries.len() > MAX_BATCH {
        return Err(ApiError::BadRequest(format!(
            "{} symbols asked; a batch holds at most {MAX_BATCH}",
            entries.len()
        )));
    }
    let mut asked: Vec<&str> = Vec::new();
    for symbol in entries {
        if !asked.iter().any(|seen| seen.eq_ignore_ascii_case(symbol)) {
            asked.push(symbol);
        }
    }
    let results: Vec<Result<Quote, ApiError>> = match &state.provider {
        Some(source) => {
            let checked: Vec<Result<String, ApiError>> = asked.iter().map(|s| provider_symbol(&state, s)).collect();
            let valid: Vec<String> = checked.iter().filter_map(|c| c.as_ref().ok().cloned()).collect();
            let mut fetched = source.quotes(&valid).await.into_iter();
            checked.into_iter().map(|c| c.and_then(|_| fetched.next().unwrap_or(Err(ApiError::Internal)))).collect()
        }
        None => asked.iter().map(|symbol| quote(&state, symbol)).collect(),
    };
    let mut batch = BatchQuotes { quotes: Vec::new(), errors: Vec::new() };
    for (symbol, result) in asked.into_iter().zip(results) {
        match result {
            Ok(quote) => batch.quotes.push(quote),
            Err(err) => batch.errors.push(SymbolFailure {
                symbol: market::Symbol::parse(symbol).map_or_else(|_| symbol.to_owned(), |s| s.to_string()),
                error: err.body(),
            }),
        }
    }
    Ok(Json(batch))
}

/// A symbol to ask the provider for: valid, and not switched to fail.
fn provider_symbol(state: &AppState, raw: &str) -> Result<String, ApiError> {
    let symbol = market::Symbol::parse(raw)?.to_string();
    if state.failing.read().unwrap_or_else(|e| e.into_inner()).contains(&symbol) {
        return Err(ApiError::SymbolUnavailable(symbol));
    }
    Ok(symbol)
}

/// One symbol's quote now, from the simulated market, or why not.
fn quote(state: &AppState, symbol: &str) -> Result<Quote, ApiError> {
    let listing = listing(symbol)?;
    if state.failing.read().unwrap_or_else(|e| e.into_inner()).contains(&listing.symbol) {
        return Err(ApiError::SymbolUnavailable(listing.symbol.clone()));
    }
    Ok(state.market.quote(listing, state.now()))
}
