//! HTTP/2 (and HTTP/1.1) over TLS with a self-signed certificate made at start,
//! so a browser can multiplex past its six connections per host.

use std::{io, net::SocketAddr, time::Duration};

use axum::Router;
use axum_server::{
    Handle,
    accept::NoDelayAcceptor,
    tls_rustls::{RustlsAcceptor, RustlsConfig},
};

/// Streams one HTTP/2 connection may carry at once: above Chromium's 256, so
/// the browser, not the server, is the limit.
pub const MAX_CONCURRENT_STREAMS: u32 = 1024;

/// A self-signed certificate for `localhost` and `127.0.0.1`, as PEM
/// (certificate, private key).
pub fn self_signed() -> io::Result<(String, String)> {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
    Ok((certified.cert.pem(), certified.key_pair.serialize_pem()))
}

/// A TLS listener bound to `addr` that speaks HTTP/2 and HTTP/1.1 (by ALPN).
pub struct TlsServer {
    handle: Handle,
    addr: SocketAddr,
    task: tokio::task::JoinHandle<io::Result<()>>,
}

impl TlsServer {
    /// Starts serving `router` over TLS with the PEM certificate and key.
    pub async fn start(router: Router, addr: SocketAddr, cert_pem: &str, key_pem: &str) -> io::Result<TlsServer> {
        // One process-wide crypto provider; installing twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = RustlsConfig::from_pem(cert_pem.as_bytes().to_vec(), key_pem.as_bytes().to_vec()).await?;
        let handle = Handle::new();
        // TCP_NODELAY: HTTP/2 writes many small frames; with Nagle's algorithm
        // a response waits for the client's delayed ACK (measured: ~50 ms on
        // six parallel quotes, where HTTP/1.1 paid nothing).
        let acceptor = RustlsAcceptor::new(config).acceptor(NoDelayAcceptor::new());
        let mut server = axum_server::bind(addr).acceptor(acceptor).handle(handle.clone());
        server.http_builder().http2().max_concurrent_streams(MAX_CONCURRENT_STREAMS);
        let task = tokio::spawn(server.serve(router.into_make_service()));
        let addr = handle
            .listening()
            .await
            .ok_or_else(|| io::Error::other(format!("the TLS listener on {addr} did not start")))?;
        Ok(TlsServer { handle, addr, task })
    }

    /// The bound address (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets requests in flight finish for up to `grace`.
    pub async fn shutdown(self, grace: Duration) -> io::Result<()> {
        self.handle.graceful_shutdown(Some(grace));
        self.task.await.map_err(io::Error::other)?
    }
}
