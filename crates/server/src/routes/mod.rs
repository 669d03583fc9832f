//! The router: `/api/v1` behind its layers, and the built app beside it.

mod failing;
mod history;
mod portfolio;
mod quotes;
mod stats;
mod symbols;

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::{HeaderName, Method, Uri, header},
    middleware::{self, Next},
    response::Response,
    routing::{get, put},
};
use market::{
    Symbol,
    sim::{Market, splitmix},
    universe,
};
use time::OffsetDateTime;
use tower_http::{
    cors::{Any, CorsLayer},
    services::{ServeDir, ServeFile},
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{
    Config,
    auth::require_bearer_key,
    error::ApiError,
    faults::{FAULT_HEADER, LATENCY_HEADER},
    latency::Endpoint,
    rate_limit::RateLimiter,
    simulate::{Draw, simulate},
    stats::Stats,
};

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) config: Config,
    pub(crate) market: Market,
    pub(crate) rate_limiter: Option<RateLimiter>,
    pub(crate) stats: Arc<Stats>,
    /// Symbols whose quotes fail (503): `--fail`, changed at run time by `_failing`.
    pub(crate) failing: std::sync::RwLock<std::collections::BTreeSet<String>>,
    sequence: AtomicU64,
}

impl AppState {
    /// The instant answers are computed for.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.config.frozen_time.unwrap_or_else(OffsetDateTime::now_utc)
    }
}

/// Builds the whole service: `/api/v1` (statistics, Bearer auth and rate
/// limit, simulated latency and faults, then the handlers), CORS for other
/// origins (preflights pass without a key), request logging, and, when
/// `config.dist` is set, the built app on the same origin.
pub fn app(config: Config) -> Router {
    let dist = config.dist.clone();
    let state = Arc::new(AppState {
        market: Market::new(config.seed),
        rate_limiter: config.rate_limit.map(RateLimiter::new),
        stats: Arc::default(),
        failing: std::sync::RwLock::new(config.failing_symbols.clone()),
        sequence: AtomicU64::new(0),
        config,
    });

    let api = Router::new()
        .route("/quotes", get(quotes::batch_show))
        .route("/quotes/{symbol}", get(quotes::quote_show))
        .route("/history/{symbol}", get(history::history_show))
        .route("/portfolio", get(portfolio::portfolio_show))
        .route("/symbols", get(symbols::symbols_search))
        .route("/_stats", get(stats::stats_show).delete(stats::stats_reset))
        .route("/_failing/{symbol}", put(failing::failing_add).delete(failing::failing_remove))
        // Layers run outside in: count, authenticate, then simulate.
        .route_layer(middleware::from_fn_with_state(state.clone(), simulate))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_bearer_key))
        .route_layer(middleware::from_fn_with_state(state.clone(), count))
        .fallback(api_not_found)
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
                .allow_methods([Method::GET, Method::PUT, Method::DELETE])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    HeaderName::from_static(FAULT_HEADER),
                    HeaderName::from_static(LATENCY_HEADER),
                ])
                .expose_headers([header::RETRY_AFTER])
                // Browsers remember a preflight per URL for this long (Chrome caps
                // it at 2 h), so a cross-origin dashboard refreshing every few
                // seconds does not pay an OPTIONS round trip before each request.
                .max_age(std::time::Duration::from_secs(600)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Names the endpoint, gives the request its draw, and counts it in `_stats`
/// until its answer has been sent.
async fn count(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let Some(endpoint) = request.extensions().get::<MatchedPath>().and_then(|p| endpoint_of(p.as_str())) else {
        return next.run(request).await;
    };
    let sequence = state.sequence.fetch_add(1, Ordering::Relaxed);
    request.extensions_mut().insert(endpoint);
    request.extensions_mut().insert(Draw(splitmix(state.config.seed ^ splitmix(sequence))));
    let in_flight = state.stats.arrive(endpoint);
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    Response::from_parts(parts, in_flight.until_sent(body))
}

fn endpoint_of(route: &str) -> Option<Endpoint> {
    Some(match route.strip_prefix("/api/v1")? {
        "/quotes" => Endpoint::Batch,
        "/quotes/{symbol}" => Endpoint::Quote,
        "/history/{symbol}" => Endpoint::History,
        "/portfolio" => Endpoint::Portfolio,
        "/symbols" => Endpoint::Symbols,
        _ => return None,
    })
}

/// Any other path under `/api/v1`.
async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_owned())
}

/// Validates a symbol and finds it in the simulated universe.
pub(crate) fn listing(raw: &str) -> Result<&'static universe::Listing, ApiError> {
    let symbol = Symbol::parse(raw)?;
    universe::find(symbol.as_str()).ok_or_else(|| ApiError::UnknownSymbol(symbol.to_string()))
}
