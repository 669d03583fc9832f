//! The app under test: the release build served, with the API, by one market
//! API server process (one per lane, and more for the trials that need their
//! own flags).

use std::path::PathBuf;

use anyhow::Result;

use crate::{
    paths,
    process::{self, Service},
};

/// The app built in release mode and served, with the API, by one server.
pub struct AppUnderTest {
    /// The app's address.
    pub url: String,
    _server: Service,
}

impl AppUnderTest {
    /// Builds the app (release, as served) and serves it with the API under `profile`.
    pub fn start(profile: &str) -> Result<AppUnderTest> {
        AppUnderTest::build()?;
        AppUnderTest::serve(&["--profile", profile], "api.log")
    }

    /// Builds the app (release, as served) where [`AppUnderTest::serve`] serves it from.
    pub fn build() -> Result<()> {
        crate::build::served(&dist())
    }

    /// Serves the app built by [`AppUnderTest::build`] with another API
    /// server, started with `args` and logging to `target/e2e/{log}`.
    pub fn serve(args: &[&str], log: &str) -> Result<AppUnderTest> {
        AppUnderTest::serve_with_env(args, &[], log)
    }

    /// Like [`AppUnderTest::serve`], with `env` set for the server.
    pub fn serve_with_env(args: &[&str], env: &[(&str, &str)], log: &str) -> Result<AppUnderTest> {
        let server = process::build_api_server()?;
        let dist = dist();
        let dist_arg = dist.to_string_lossy();
        let mut all = vec!["--dist", &dist_arg];
        all.extend_from_slice(args);
        let log = paths::target().join("e2e").join(log);
        let (service, ports) = process::start_api_server_env(&server, &all, env, &log, 1)?;
        Ok(AppUnderTest { url: format!("http://127.0.0.1:{}/", ports[0]), _server: service })
    }
}

/// Where the end-to-end tier's release build of the app goes.
pub fn dist() -> PathBuf {
    paths::target().join("e2e").join("dist")
}

/// The same app served with every answer after 200 ms, over HTTP/1.1 and over
/// HTTP/2 (TLS, self-signed) by one server process.
pub struct TwoProtocols {
    /// `http://…/` (HTTP/1.1).
    pub http1: String,
    /// `https://…/` (HTTP/2 by ALPN).
    pub http2: String,
    _server: Service,
}

/// Fixed latency of the protocol comparison, in milliseconds.
pub const PROTOCOL_LATENCY_MS: f64 = 200.0;

impl TwoProtocols {
    /// Starts the API server on both listeners, serving the already built app.
    pub fn start() -> Result<TwoProtocols> {
        let out = paths::target().join("e2e");
        let dist = dist();
        let server = process::build_api_server()?;
        let dist_arg = dist.to_string_lossy();
        let latency = PROTOCOL_LATENCY_MS.to_string();
        let args = ["--dist", &dist_arg, "--latency-ms", &latency, "--tls-port", "0"];
        let (service, ports) = process::start_api_server_ports(&server, &args, &out.join("api-protocols.log"), 2)?;
        Ok(TwoProtocols {
            http1: format!("http://127.0.0.1:{}/", ports[0]),
            http2: format!("https://127.0.0.1:{}/", ports[1]),
            _server: service,
        })
    }
}
