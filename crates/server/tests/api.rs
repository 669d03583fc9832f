//! The market API, driven through `oneshot` with no socket: statuses, bodies,
//! auth, CORS, latency profiles, failing symbols and the served app.

mod support;

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Request, StatusCode, header},
};
use market::{ErrorResponse, History, Portfolio, Quote};
use server::{Config, Latency, LatencyProfile, app};
use support::get;

/// [`support::send`], unpacked: status, headers and the whole body.
async fn send(router: Router, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let answer = support::send(&router, request).await;
    (answer.status, answer.headers, answer.body.expect("a complete body"))
}

fn error_code(body: &[u8]) -> String {
    serde_json::from_slice::<ErrorResponse>(body).unwrap().error.code
}

#[tokio::test(start_paused = true)]
async fn a_quote_is_answered_for_a_known_symbol_in_any_case() {
    let (status, headers, body) = send(app(Config::default()), get("/api/v1/quotes/aapl")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(headers[header::CONTENT_LENGTH], body.len().to_string(), "sized, not chunked");
    let quote: Quote = serde_json::from_slice(&body).unwrap();
    assert_eq!(quote.symbol, "AAPL");
    assert!(quote.price > 0.0);
    assert!(quote.timestamp.ends_with('Z'), "{}", quote.timestamp);
}

#[tokio::test(start_paused = true)]
async fn requests_without_a_valid_key_get_401_with_a_json_error() {
    for auth in [None, Some("Bearer wrong"), Some("demo")] {
        let mut request = Request::get("/api/v1/portfolio");
        if let Some(auth) = auth {
            request = request.header(header::AUTHORIZATION, auth);
        }
        let (status, headers, body) = send(app(Config::default()), request.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(headers[header::WWW_AUTHENTICATE], r#"Bearer realm="tickerboard""#);
        assert_eq!(error_code(&body), "unauthorized");
    }
}

#[tokio::test(start_paused = true)]
async fn cors_preflight_passes_without_a_key() {
    let request = Request::options("/api/v1/quotes/AAPL")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(app(Config::default()), request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().to_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    assert_eq!(headers[header::ACCESS_CONTROL_MAX_AGE], "600", "browsers may reuse the preflight for 10 minutes");

    let cross_origin = Request::get("/api/v1/quotes/AAPL")
        .header(header::ORIGIN, "http://127.0.0.1:9999")
        .header(header::AUTHORIZATION, "Bearer demo")
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = send(app(Config::default()), cross_origin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
}

#[tokio::test(start_paused = true)]
async fn unknown_and_malformed_symbols_are_404_and_400() {
    let (status, _, body) = send(app(Config::default()), get("/api/v1/quotes/ZZZZ")).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "unknown_symbol".into()));
    let (status, _, body) = send(app(Config::default()), get("/api/v1/quotes/TOOLONGSYMBOL")).await;
    assert_eq!((status, error_code(&body)), (StatusCode::BAD_REQUEST, "bad_request".into()));
    let (status, _, body) = send(app(Config::default()), get("/api/v1/nothing-here")).await;
    assert_eq!((status, error_code(&body)), (StatusCode::NOT_FOUND, "not_found".into()));
}

#[tokio::test(start_paused = true)]
async fn odd_queries_paths_and_methods_answer_the_json_error() {
    let cases = [
        ("GET", "/api/v1/history/AAPL?period=1m&period=1m", StatusCode::BAD_REQUEST, "duplicate field `period`"),
        ("GET", "/api/v1/symbols?all=maybe", StatusCode::BAD_REQUEST, "all: provided string was not `true` or `false`"),
        ("GET", "/api/v1/quotes/%FF", StatusCode::BAD_REQUEST, "the path could not be read"),
        ("POST", "/api/v1/quotes/AAPL", StatusCode::METHOD_NOT_ALLOWED, "POST is not allowed on /api/v1/quotes/AAPL"),
        ("PATCH", "/api/v1/_stats", StatusCode::METHOD_NOT_ALLOWED, "PATCH is not allowed on /api/v1/_stats"),
    ];
    for (method, path, expected, words) in cases {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, "Bearer demo")
            .body(Body::empty())
            .unwrap();
        let (status, headers, body) = send(app(Config::default()), request).await;
        assert_eq!(status, expected, "{method} {path}: {}", String::from_utf8_lossy(&body));
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{method} {path}");
        let error = serde_json::from_slice::<ErrorResponse>(&body).unwrap().error;
        assert!(error.message.contains(words), "{method} {path}: {:?} lacks {words:?}", error.message);
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(headers[header::ALLOW].to_str().unwrap().contains("GET"), "{method} {path}: Allow lists GET");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn history_defaults_to_one_year_of_252_bars() {
    let (status, _, body) = send(app(Config::default()), get("/api/v1/history/NVDA")).await;
    assert_eq!(status, StatusCode::OK);
    let history: History = serde_json::from_slice(&body).unwrap();
    assert_eq!((history.symbol.as_str(), history.bars.len()), ("NVDA", 252));

    let (_, _, body) = send(app(Config::default()), get("/api/v1/history/NVDA?period=1m")).await;
    assert_eq!(serde_json::from_slice::<History>(&body).unwrap().bars.len(), 21);

    let (status, _, body) = send(app(Config::default()), get("/api/v1/history/NVDA?period=2y")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = serde_json::from_slice::<ErrorResponse>(&body).unwrap().error.message;
    assert!(message.contains("1m, 3m, 6m, 1y, 5y"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn the_portfolio_holds_the_seed_articles_cash_and_five_positions() {
    let (status, _, body) = send(app(Config::default()), get("/api/v1/portfolio")).await;
    assert_eq!(status, StatusCode::OK);
    let portfolio: Portfolio = serde_json::from_slice(&body).unwrap();
    assert_eq!(portfolio.cash, 10_000.0);
    assert_eq!(portfolio.positions.len(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_failing_symbol_answers_503_and_the_others_still_work() {
    let config = Config { failing_symbols: ["NFLX".to_owned()].into(), ..Config::default() };
    let (status, _, body) = send(app(config.clone()), get("/api/v1/quotes/nflx")).await;
    assert_eq!((status, error_code(&body)), (StatusCode::SERVICE_UNAVAILABLE, "unavailable".into()));
    let (status, _, _) = send(app(config), get("/api/v1/quotes/AAPL")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(start_paused = true)]
async fn a_fault_tripped_on_an_endpoint_holds_until_lifted() {
    let router = app(Config::default());
    let authorised = |request: axum::http::request::Builder| {
        request.header(header::AUTHORIZATION, "Bearer demo").body(Body::empty()).unwrap()
    };
    let (status, _, _) = send(router.clone(), authorised(Request::put("/api/v1/_faults/portfolio/401"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, headers, body) = send(router.clone(), get("/api/v1/portfolio")).await;
    assert_eq!((status, error_code(&body)), (StatusCode::UNAUTHORIZED, "unauthorized".into()));
    assert!(headers.contains_key(header::WWW_AUTHENTICATE));
    let (status, _, _) = send(router.clone(), get("/api/v1/quotes/AAPL")).await;
    assert_eq!(status, StatusCode::OK, "other endpoints are unaffected");
    let (status, _, _) = send(router.clone(), authorised(Request::put("/api/v1/_faults/portfolio/slow"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown fault is refused");
    let (status, _, _) = send(router.clone(), authorised(Request::delete("/api/v1/_faults/portfolio"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(router.clone(), get("/api/v1/portfolio")).await;
    assert_eq!(status, StatusCode::OK, "lifted");

    // Only one symbol: its quote and any batch naming it; the others answer.
    let (status, _, _) = send(router.clone(), authorised(Request::put("/api/v1/_faults/quote/500?symbol=msft"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(router.clone(), get("/api/v1/quotes/MSFT")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, _, _) = send(router.clone(), get("/api/v1/quotes/AAPL")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(router.clone(), authorised(Request::put("/api/v1/_faults/batch/503?symbol=MSFT"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = send(router.clone(), get("/api/v1/quotes?symbols=AAPL,msft")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _, _) = send(router.clone(), get("/api/v1/quotes?symbols=AAPL,NVDA")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(router, authorised(Request::put("/api/v1/_faults/quote/500?symbol=ZZZZ"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only listed symbols");
}

#[tokio::test(start_paused = true)]
async fn the_seed_profile_answers_in_the_articles_times() {
    let config = Config { latency: Latency::Profile(LatencyProfile::Seed), ..Config::default() };
    for (path, expected) in [("/api/v1/quotes/AAPL", 1000), ("/api/v1/history/AAPL", 1500), ("/api/v1/portfolio", 500)]
    {
        let start = tokio::time::Instant::now();
        let (status, _, _) = send(app(config.clone()), get(path)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(start.elapsed(), Duration::from_millis(expected), "{path}");
    }
    let start = tokio::time::Instant::now();
    send(app(Config::default()), get("/api/v1/quotes/AAPL")).await;
    assert!(start.elapsed() < Duration::from_millis(100), "the fast profile is fast");
}

#[tokio::test]
async fn the_built_app_is_served_with_index_html_for_its_routes() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<title>Tickerboard</title>").unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log(1)").unwrap();
    let config = Config { dist: Some(dist.path().to_owned()), ..Config::default() };
    for path in ["/", "/t/AAPL"] {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let (status, _, body) = send(app(config.clone()), request).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, b"<title>Tickerboard</title>", "{path}");
    }
    let (_, headers, body) = send(app(config.clone()), Request::get("/app.js").body(Body::empty()).unwrap()).await;
    assert_eq!(body, b"console.log(1)");
    assert_eq!(headers["content-security-policy"], server::CONTENT_SECURITY_POLICY, "every page and script");
    let (status, headers, _) = send(app(config), get("/api/v1/nothing-here")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "API paths never fall back to the app");
    assert_eq!(headers["x-content-type-options"], "nosniff");
}

#[test]
fn the_content_security_policy_allows_no_inline_script() {
    let directive = |name: &str| {
        server::CONTENT_SECURITY_POLICY
            .split(';')
            .map(str::trim)
            .find(|d| d.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} in {}", server::CONTENT_SECURITY_POLICY))
            .to_owned()
    };
    assert_eq!(directive("script-src"), "script-src 'self' 'wasm-unsafe-eval'");
    assert_eq!(directive("worker-src"), "worker-src 'self' blob:");
    assert_eq!(directive("object-src"), "object-src 'none'");
    assert!(!server::CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    assert!(!server::CONTENT_SECURITY_POLICY.contains('\n'), "one header line");
}
