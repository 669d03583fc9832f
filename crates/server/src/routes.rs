//! The router and one handler per resource.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{Method, Uri, header},
    middleware,
    routing::get,
};
use market::{History, Period, Portfolio, Quote, Symbol, sim::Market, universe};
use serde::Deserialize;
use time::OffsetDateTime;
use tower_http::{
    cors::{Any, CorsLayer},
    services::{ServeDir, ServeFile},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{Config, Endpoint, auth::require_bearer_key, error::ApiError};

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) config: Config,
    market: Market,
}

/// Builds the whole service: `/api/v1` behind Bearer auth, CORS for other
/// origins (preflights pass without a key), request logging, and, when
/// `config.dist` is set, the built app on the same origin.
pub fn app(config: Config) -> Router {
    let dist = config.dist.clone();
    let state = Arc::new(AppState { market: Market::new(config.seed), config });

    let api = Router::new()
        .route("/quotes/{symbol}", get(quote_show))
        .route("/history/{symbol}", get(history_show))
        .route("/portfolio", get(portfolio_show))
        .fallback(api_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), require_bearer_key))
        .with_state(state);

    let mut router = Router::new().nest("/api/v1", api);
    if let Some(dist) = dist {
        // Unknown paths get index.html, so the app's own routes survive a reload.
        let index = dist.join("index.html");
        router = router.fallback_service(ServeDir::new(dist).fallback(ServeFile::new(index)));
    }
    router
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// `GET /api/v1/quotes/{symbol}`.
async fn quote_show(State(state): State<Arc<AppState>>, Path(symbol): Path<String>) -> Result<Json<Quote>, ApiError> {
    state.wait(Endpoint::Quote).await;
    let listing = listing(&symbol)?;
    if state.config.failing_symbols.contains(listing.symbol) {
        return Err(ApiError::Unavailable(listing.symbol.to_owned()));
    }
    Ok(Json(state.market.quote(listing, OffsetDateTime::now_utc())))
}

/// The query of `GET /api/v1/history/{symbol}`.
#[derive(Debug, Deserialize)]
struct HistoryParams {
    period: Option<String>,
}

/// `GET /api/v1/history/{symbol}?period=1m|3m|6m|1y|5y` (default `1y`).
async fn history_show(
    State(state): State<Arc<AppState>>,
    Path(symbol): Path<String>,
    Query(params): Query<HistoryParams>,
) -> Result<Json<History>, ApiError> {
    state.wait(Endpoint::History).await;
    let listing = listing(&symbol)?;
    let period = params.period.as_deref().map(str::parse::<Period>).transpose()?.unwrap_or_default();
    Ok(Json(state.market.history(listing, period, OffsetDateTime::now_utc())))
}

/// `GET /api/v1/portfolio`.
async fn portfolio_show(State(state): State<Arc<AppState>>) -> Json<Portfolio> {
    state.wait(Endpoint::Portfolio).await;
    Json(state.market.portfolio())
}

/// Any other path under `/api/v1`.
async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

impl AppState {
    /// Waits as long as the latency profile says `endpoint` takes.
    async fn wait(&self, endpoint: Endpoint) {
        tokio::time::sleep(self.config.profile.latency(endpoint)).await;
    }
}

/// Validates a symbol from the path and finds it in the simulated universe.
fn listing(raw: &str) -> Result<&'static universe::Listing, ApiError> {
    let symbol = Symbol::parse(raw)?;
    universe::find(symbol.as_str()).ok_or_else(|| ApiError::UnknownSymbol(symbol.to_string()))
}
