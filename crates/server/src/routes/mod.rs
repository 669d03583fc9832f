//! The router: `/api/v1` behind its layers, and the built app beside it.

mod failing;
mod faults_switch;
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
    extract::{MatchedPath, OriginalUri, Request, State},
    http::{HeaderName, HeaderValue, Method, header},
    middleware::{self, Next},
    response::Response,
    routing::{delete, get, put},
};
use market::{
    Symbol,
    sim::{Market, splitmix},
    universe,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{Any, CorsLayer},
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

use crate::{
    Config,
    auth::require_bearer_key,
    emulate::{self, Emulator},
    error::{ApiError, panic_response},
    faults::{FAULT_HEADER, LATENCY_HEADER},
    latency::Endpoint,
    limits::limit_request_size,
    rate_limit::RateLimiter,
    simulate::{Draw, simulate},
    state::AppState,
};

/// Builds the whole service: `/api/v1` (statistics, Bearer auth and rate
/// limit, simulated latency and faults, then the handlers), the provider
/// emulator under `/emulate` (each provider's own keys, formats and budgets),
/// size limits (a URI up to 8 KiB, a body up to 16 KiB), panics caught as a
/// 500, CORS for other origins (preflights pass without a key), request
/// logging, and, when `config.dist` is set, the built app on the same origin.
pub fn app(config: Config) -> Router {
    let dist = config.dist.clone();
    let state = Arc::new(AppState {
        market: Market::new(config.seed),
        rate_limiter: config.rate_limit.map(RateLimiter::new),
        stats: Arc::default(),
        failing: std::sync::RwLock::new(config.failing_symbols.clone()),
        switched: std::sync::RwLock::default(),
        emulator: Emulator::new(&config),
        provider: config.provider.clone().map(crate::provider::Source::new),
        sequence: AtomicU64::new(0),
        config,
    });
    let emulator = emulate::routes(state.clone());

    let api = Router::new()
        .route("/quotes", get(quotes::batch_show))
        .route("/quotes/{symbol}", get(quotes::quote_show))
        .route("/history/{symbol}", get(history::history_show))
        .route("/portfolio", get(portfolio::portfolio_show))
        .route("/symbols", get(symbols::symbols_search))
        .route("/_stats", get(stats::stats_show).delete(stats::stats_reset))
        .route("/_failing/{symbol}", put(failing::failing_add).delete(failing::failing_remove))
        .route("/_faults/{endpoint}", delete(faults_switch::fault_lift))
        .route("/_faults/{endpoint}/{kind}", put(faults_switch::fault_trip))
        // Layers run outside in: count, authenticate, then simulate.
        .route_layer(middleware::from_fn_with_state(state.clone(), simulate))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_bearer_key))
        .route_layer(middleware::from_fn_with_state(state.clone(), count))
        .fallback(api_not_found)
        .method_not_allowed_fallback(api_method_not_allowed)
        .with_state(state);

    let mut router = Router::new().nest("/api/v1", api).nest("/emulate", emulator);
    if let Some(dist) = dist {
        router = router.fallback_service(crate::app_files::routes(&dist));
    }
    with_outer_layers(router)
}

/// Wraps the whole service: size limits, a panic turned into the generic 500,
/// CORS for other origins, `nosniff`, and request logging (outermost, so it
/// sees every answer, refusals included).
fn with_outer_layers(router: Router) -> Router {
    router
        .layer(middleware::from_fn(limit_request_size))
        .layer(CatchPanicLayer::custom(panic_response))
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
        // No answer is ever sniffed into another type (a JSON error as HTML).
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    // As `DefaultMakeSpan` at INFO, with an `apikey` in the query hidden.
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        uri = %without_keys(request.uri()),
                        version = ?request.version(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// `uri` as the log writes it: the value of any `apikey` query parameter
/// (Twelve Data's key, as the emulator accepts it) replaced.
fn without_keys(uri: &axum::http::Uri) -> std::borrow::Cow<'_, str> {
    let text = uri.path_and_query().map_or("", |pq| pq.as_str());
    let Some((path, query)) = text.split_once('?') else { return text.into() };
    if !query.to_ascii_lowercase().contains("apikey") {
        return text.into();
    }
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if name.eq_ignore_ascii_case("apikey") => format!("{name}=[hidden]"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{path}?{}", pairs.join("&")).into()
}

/// The Content-Security-Policy of the app's pages: scripts only from the
/// page's origin (and wasm compiled from them), workers from it or `blob:`
/// (gloo-worker starts one from a blob), no inline script or style, no
/// plugins. Release builds carry the same text in a `<meta>` tag.
pub const CONTENT_SECURITY_POLICY: &str = include_str!("../../../../web/content-security-policy.txt");

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

/// Any other path under `/api/v1` (quoted whole, as the client sent it).
async fn api_not_found(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(uri.path())
}

/// A path under `/api/v1` asked with a method it does not answer (axum
/// adds the `Allow` header listing those it does).
async fn api_method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::method_not_allowed(method.as_str(), uri.path())
}

/// Validates a symbol as the API takes it (untrimmed) and finds it in the
/// simulated universe.
pub(crate) fn listing(raw: &str) -> Result<&'static universe::Listing, ApiError> {
    let symbol = Symbol::parse_exact(raw)?;
    universe::find(symbol.as_str()).ok_or_else(|| ApiError::UnknownSymbol(symbol.to_string()))
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::StatusCode};
    use market::ErrorResponse;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_answers_the_generic_json_500() {
        async fn boom() -> &'static str {
            panic!("a detail no client may see: sk-live-PANIC-detail")
        }
        let router = with_outer_layers(Router::new().route("/boom", get(boom)));
        let request = axum::http::Request::get("/boom").body(Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "the outer layers still apply");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("PANIC"), "the panic's message leaked");
        let body: ErrorResponse = serde_json::from_slice(&body).unwrap();
        assert_eq!(body.error, ApiError::Internal.body());
    }
}
