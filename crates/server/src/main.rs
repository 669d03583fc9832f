//! `tickerboard-server`: serves the market API (and optionally the built app).

use std::{collections::BTreeSet, net::SocketAddr, path::PathBuf};

use clap::Parser;
use server::{Config, LatencyProfile, app, config::DEMO_KEY};
use tracing_subscriber::EnvFilter;

/// The Tickerboard market API: a deterministic simulated market.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one (the chosen port is printed).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Latency profile: `fast` (tens of ms) or `seed` (quotes 1 s, history 1.5 s,
    /// portfolio 0.5 s, as in the seed article).
    #[arg(long, value_enum, default_value_t = LatencyProfile::Fast)]
    profile: LatencyProfile,
    /// Make this symbol's quote answer 503 (repeatable).
    #[arg(long = "fail", value_name = "SYMBOL")]
    fail: Vec<String>,
    /// Serve a built app (trunk's dist/) from this folder on the same origin.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Accepted API key (Bearer). Never logged.
    #[arg(long, env = "TICKERBOARD_API_KEY", default_value = DEMO_KEY, hide_env_values = true)]
    api_key: String,
    /// Seed of the simulated market.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let args = Args::parse();

    let mut failing_symbols = BTreeSet::new();
    for raw in &args.fail {
        match market::Symbol::parse(raw) {
            Ok(symbol) => failing_symbols.insert(symbol.to_string()),
            Err(err) => {
                eprintln!("error: --fail {raw:?}: {err}");
                std::process::exit(2);
            }
        };
    }
    if let Some(dist) = &args.dist
        && !dist.join("index.html").is_file()
    {
        eprintln!("error: --dist {}: no index.html there (build the app first: trunk build)", dist.display());
        std::process::exit(2);
    }
    let config = Config {
        profile: args.profile,
        failing_symbols,
        api_keys: BTreeSet::from([args.api_key]),
        seed: args.seed,
        dist: args.dist,
    };

    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.host, args.port)).await?;
    let addr = listener.local_addr()?;
    // The one line on stdout: scripts (xtask) read the port from it.
    println!("tickerboard market API listening on http://{addr}");
    tracing::info!(profile = ?config.profile, failing = ?config.failing_symbols, "serving");
    axum::serve(listener, app(config)).with_graceful_shutdown(shutdown_signal()).await
}

/// Resolves on Ctrl+C (SIGINT) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
