//! The built app served as in production (`--dist`), driven through `oneshot`:
//! precompressed variants by `Accept-Encoding`, `Vary`, caching by content
//! hash, `index.html` only for the app's own routes, `404` for missing files.

mod support;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use server::{Config, app};
use support::Answer;
use tempfile::TempDir;

const WASM: &str = "tickerboard-7f3a9c01b2d4e5f6_bg.wasm";
const INDEX: &[u8] = b"<title>Tickerboard</title>";

/// A dist folder as the release build leaves it: `index.html` (with its
/// variants), a hashed wasm with `.br` and `.gz` beside it, and a file whose
/// name carries no hash.
fn dist() -> TempDir {
    let dist = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dist.path().join(name), bytes).unwrap();
    write("index.html", INDEX);
    write("index.html.br", b"index as brotli");
    write("index.html.gz", b"index as gzip");
    write(WASM, b"\0asm raw");
    write(&format!("{WASM}.br"), b"wasm as brotli");
    write(&format!("{WASM}.gz"), b"wasm as gzip");
    write("robots.txt", b"User-agent: *");
    dist
}

fn router(dist: &TempDir) -> Router {
    app(Config { dist: Some(dist.path().to_owned()), ..Config::default() })
}

async fn fetch(dist: &TempDir, path: &str, encoding: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(encoding) = encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    support::send(&router(dist), request.body(Body::empty()).unwrap()).await
}

fn header(answer: &Answer, name: header::HeaderName) -> &str {
    answer.headers.get(&name).map_or("", |value| value.to_str().unwrap())
}

#[tokio::test]
async fn a_client_accepting_brotli_gets_the_br_file_as_wasm() {
    let dist = dist();
    let answer = fetch(&dist, &format!("/{WASM}"), Some("br")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(header(&answer, header::CONTENT_ENCODING), "br");
    assert_eq!(header(&answer, header::CONTENT_TYPE), "application/wasm", "the original file's type");
    assert_eq!(answer.bytes(), b"wasm as brotli");
}

#[tokio::test]
async fn a_client_accepting_gzip_gets_the_gz_file_and_one_accepting_both_gets_brotli() {
    let dist = dist();
    let gzip = fetch(&dist, &format!("/{WASM}"), Some("gzip")).await;
    assert_eq!(header(&gzip, header::CONTENT_ENCODING), "gzip");
    assert_eq!(header(&gzip, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(gzip.bytes(), b"wasm as gzip");
    let both = fetch(&dist, &format!("/{WASM}"), Some("gzip, deflate, br, zstd")).await;
    assert_eq!(header(&both, header::CONTENT_ENCODING), "br", "as a browser asks");
    assert_eq!(both.bytes(), b"wasm as brotli");
}

#[tokio::test]
async fn a_client_accepting_no_encoding_gets_the_file_itself() {
    let dist = dist();
    for encoding in [None, Some("identity")] {
        let answer = fetch(&dist, &format!("/{WASM}"), encoding).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(!answer.headers.contains_key(header::CONTENT_ENCODING), "{encoding:?}");
        assert_eq!(header(&answer, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(answer.bytes(), b"\0asm raw");
    }
}

#[tokio::test]
async fn every_file_answer_varies_by_accept_encoding_and_carries_the_policy() {
    let dist = dist();
    for (path, status) in
        [(format!("/{WASM}"), 200), ("/robots.txt".into(), 200), ("/t/AAPL".into(), 200), ("/gone.js".into(), 404)]
    {
        for encoding in [None, Some("br")] {
            let answer = fetch(&dist, &path, encoding).await;
            assert_eq!(answer.status.as_u16(), status, "{path}");
            let vary: Vec<_> = answer.headers.get_all(header::VARY).iter().map(|v| v.to_str().unwrap()).collect();
            assert!(vary.iter().any(|v| v.eq_ignore_ascii_case("accept-encoding")), "{path} {encoding:?}: {vary:?}");
            assert_eq!(header(&answer, header::CONTENT_SECURITY_POLICY), server::CONTENT_SECURITY_POLICY, "{path}");
            assert_eq!(header(&answer, header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        }
    }
}

#[tokio::test]
async fn hashed_files_are_immutable_and_every_other_file_is_checked_again() {
    let dist = dist();
    let hashed = fetch(&dist, &format!("/{WASM}"), Some("br")).await;
    assert_eq!(header(&hashed, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
    for path in ["/robots.txt", "/index.html", "/"] {
        let answer = fetch(&dist, path, Some("gzip")).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(header(&answer, header::CACHE_CONTROL), "no-cache", "{path}");
    }
}

#[tokio::test]
async fn the_apps_routes_get_index_html_not_cached() {
    let dist = dist();
    for path in ["/", "/portfolio", "/t/AAPL", "/t/BRK.B", "/t/BF.B", "/lab?n=100&auto=1", "/settings/"] {
        let answer = fetch(&dist, path, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.bytes(), INDEX, "{path}");
        assert_eq!(header(&answer, header::CONTENT_TYPE), "text/html", "{path}");
        assert_eq!(header(&answer, header::CACHE_CONTROL), "no-cache", "{path}");
    }
    let compressed = fetch(&dist, "/t/BRK.B", Some("br")).await;
    assert_eq!(header(&compressed, header::CONTENT_ENCODING), "br", "index.html's own variant");
    assert_eq!(compressed.bytes(), b"index as brotli");
}

#[tokio::test]
async fn a_missing_file_is_404_never_index_html() {
    let dist = dist();
    for path in
        ["/tickerboard-0000000000000000_bg.wasm", "/tickerboard-0000000000000000.js", "/missing.css", "/x/y.html"]
    {
        let answer = fetch(&dist, path, Some("br")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert_ne!(answer.bytes(), INDEX, "{path}");
        assert_eq!(header(&answer, header::CACHE_CONTROL), "no-cache", "{path}: a 404 is not kept a year");
    }
}

#[tokio::test]
async fn the_api_and_the_emulator_keep_their_own_answers() {
    let dist = dist();
    let answer = support::send(&router(&dist), support::get("/api/v1/nothing-here.js")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error_code(), "not_found");
    let quote = support::send(&router(&dist), support::get("/api/v1/quotes/AAPL")).await;
    assert_eq!(quote.status, StatusCode::OK);
    assert!(!quote.headers.contains_key(header::CACHE_CONTROL), "API answers are not the files'");
    let emulated = fetch(&dist, "/emulate/twelvedata/quote?symbol=AAPL", None).await;
    assert_ne!(emulated.bytes(), INDEX, "the emulator answers for itself");
}
