//! The built app's files (`--dist`), served as a production host would.
//!
//! - A path whose last segment ends in an extension the build emits
//!   ([`ASSET_EXTENSIONS`]) is a file: served from the folder, or `404` when it
//!   is not there (never `index.html`, which a browser would run as a script).
//! - Any other path is one of the app's own routes (`/`, `/t/BRK.B`,
//!   `/portfolio`) and gets `index.html`, so a reload lands in the app.
//! - The build writes `.br` and `.gz` beside each file; a client that accepts
//!   one of them gets it (`Content-Encoding`, the original `Content-Type`),
//!   and every answer says `Vary: Accept-Encoding`.
//! - Content-hashed names ([`is_content_hashed`]) are cached for a year as
//!   `immutable`; `index.html` and every other name are `no-cache`, so a new
//!   build is seen at the next load.
//! - Every answer carries the Content-Security-Policy header.

use std::{convert::Infallible, path::Path};

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    response::Response,
};
use tower::ServiceExt;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

use crate::CONTENT_SECURITY_POLICY;

/// The extensions of the files the build emits (trunk's output and its
/// precompressed variants). A last segment with any other extension, such as
/// the `.B` of `/t/BRK.B`, is a route of the app.
pub(crate) const ASSET_EXTENSIONS: [&str; 14] =
    ["js", "mjs", "wasm", "css", "svg", "png", "ico", "json", "map", "txt", "webmanifest", "br", "gz", "html"];

/// `Cache-Control` of a content-hashed file: its name changes with its bytes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of everything else: kept, but checked again before each use.
const NO_CACHE: &str = "no-cache";

/// The files of one built app: its folder and its `index.html`.
#[derive(Clone, Debug)]
struct AppFiles {
    assets: ServeDir,
    index: ServeFile,
}

/// The service answering every path the API does not: the files of `dist`
/// and, for the app's own routes, its `index.html`.
pub(crate) fn routes(dist: &Path) -> Router {
    let files = AppFiles {
        assets: ServeDir::new(dist).precompressed_br().precompressed_gzip(),
        index: ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip(),
    };
    Router::new().fallback(app_file).with_state(files).layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    ))
}

/// Whether `path` asks for a file rather than a route of the app: its last
/// segment ends in one of [`ASSET_EXTENSIONS`] (case matters: the build
/// writes them in lower case, symbols are upper case).
///
/// ```text
/// /tickerboard-7f3a9c01b2d4e5f6_bg.wasm  → a file
/// /t/BRK.B, /portfolio, /                → routes
/// ```
pub(crate) fn is_asset_path(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    last.rsplit_once('.').is_some_and(|(_, extension)| ASSET_EXTENSIONS.contains(&extension))
}

/// Whether a file's name carries a content hash, as trunk writes them: a `-`
/// (or a `.`) after some name, then exactly 16 lower-case hex digits, then
/// optionally `_bg`, then the extension.
///
/// ```text
/// tickerboard-7f3a9c01b2d4e5f6_bg.wasm, main-0123456789abcdef.css,
/// __wasm_split.0123456789abcdef.js             → hashed
/// index.html, worker.js, main-0123456789ABCDEF.css → not
/// ```
pub(crate) fn is_content_hashed(name: &str) -> bool {
    name.char_indices().any(|(at, c)| at > 0 && matches!(c, '-' | '.') && hash_then_extension(&name[at + 1..]))
}

/// Whether `rest` is 16 lower-case hex digits, optionally `_bg`, then `.` and
/// an extension.
fn hash_then_extension(rest: &str) -> bool {
    let Some((hash, after)) = rest.split_at_checked(16) else { return false };
    let after = after.strip_prefix("_bg").unwrap_or(after);
    hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) && after.len() > 1 && after.starts_with('.')
}

/// Answers one request: a file (or `404`) for an asset path, `index.html`
/// for a route, each with its `Cache-Control` and `Vary`.
async fn app_file(State(files): State<AppFiles>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let (response, cache) = if is_asset_path(&path) {
        let response = answered(files.assets.oneshot(request).await);
        let name = path.rsplit('/').next().unwrap_or_default();
        let kept = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
        (response, if kept && is_content_hashed(name) { IMMUTABLE } else { NO_CACHE })
    } else {
        (answered(files.index.oneshot(request).await), NO_CACHE)
    };
    let mut response = response.map(Body::new);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// The answer of a file service, which cannot fail (its I/O errors are
/// answers already).
fn answered<T>(result: Result<T, Infallible>) -> T {
    match result {
        Ok(answer) => answer,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_hashed_names_are_content_hashed() {
        for name in [
            "tickerboard-7f3a9c01b2d4e5f6_bg.wasm",
            "tickerboard_bg-d205cb5fa8ea7ea9.wasm",
            "tickerboard-7f3a9c01b2d4e5f6.js",
            "main-0123456789abcdef.css",
            "favicon-0123456789abcdef.svg",
            "worker-fedcba9876543210.js",
            "worker-fedcba9876543210_bg.wasm",
            "start-0123456789abcdef.js",
            "chunk_3-0123456789abcdef.wasm",
            "__wasm_split.0123456789abcdef.js",
            "tickerboard-7f3a9c01b2d4e5f6_bg.wasm.br",
            "main-0123456789abcdef.css.gz",
            "a-b-0123456789abcdef.js",
        ] {
            assert!(is_content_hashed(name), "{name} is hashed");
        }
    }

    #[test]
    fn other_names_are_not_content_hashed() {
        for name in [
            "index.html",
            "index.html.br",
            "worker.js",
            "worker_bg.wasm",
            "favicon.svg",
            "main-0123456789ABCDEF.css",
            "main-0123456789abcde.css",
            "main-0123456789abcdef0.css",
            "main-0123456789abcdeg.css",
            "main_0123456789abcdef.css",
            "0123456789abcdef.js",
            "-0123456789abcdef.js",
            "main-0123456789abcdef",
            "main-0123456789abcdef.",
            "main-0123456789abcdef_bgx.wasm",
            "main-0123456789abcdef-x.js",
            "",
            "main-é123456789abcdef.css",
        ] {
            assert!(!is_content_hashed(name), "{name} is not hashed");
        }
    }

    #[test]
    fn only_the_builds_extensions_make_a_path_an_asset() {
        for path in [
            "/tickerboard-7f3a9c01b2d4e5f6_bg.wasm",
            "/main-0123456789abcdef.css",
            "/index.html",
            "/snippets/leptos-0123456789abcdef/inline0.js",
            "/favicon.ico",
            "/manifest.webmanifest",
            "/app.js.map",
            "/x.wasm.br",
            "/x.js.gz",
            "/robots.txt",
        ] {
            assert!(is_asset_path(path), "{path} is a file");
        }
        for path in
            ["/", "", "/t/AAPL", "/t/BRK.B", "/t/RDS.A", "/t/BF.B", "/t/ABC.JS", "/portfolio", "/lab", "/js/", "/t."]
        {
            assert!(!is_asset_path(path), "{path} is a route");
        }
    }
}
