//! `tickerboard-server`: serves the market API (and optionally the built app)
//! over HTTP/1.1, and over HTTP/2 with TLS when asked.

use std::{collections::BTreeSet, net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

use clap::Parser;
use providers::ProviderId;
use server::{
    Config, DEMO_KEY, EmulateConfig, FaultPlan, Latency, LatencyProfile, ProviderConfig, RateLimit, app, tls,
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use tracing_subscriber::EnvFilter;

/// The Tickerboard market API: a deterministic simulated market.
///
/// Per request, the headers `x-tickerboard-latency-ms: N` and
/// `x-tickerboard-fault: KIND` override latency and faults (kinds: 500, 503,
/// hang, 429, malformed, wrong-shape, drip, drop, 401, and the data faults
/// nan, infinity, negative, no-price, extra-fields, huge).
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// Port for HTTP/1.1; 0 picks a free one (the chosen port is printed).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Also serve HTTP/2 and HTTP/1.1 over TLS on this port (0 picks one),
    /// with a self-signed certificate made at start.
    #[arg(long)]
    tls_port: Option<u16>,
    /// Write the self-signed certificate (PEM) here, to trust it in a browser.
    #[arg(long, requires = "tls_port")]
    tls_cert_out: Option<PathBuf>,
    /// Latency profile: `fast` (tens of ms), `seed` (quotes 1 s, history 1.5 s,
    /// portfolio 0.5 s, as in the seed article), `realistic` (median 80 ms, p99 800 ms).
    #[arg(long, value_enum, default_value_t = LatencyProfile::Fast)]
    profile: LatencyProfile,
    /// One fixed latency for every endpoint, in milliseconds (instead of a profile).
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Make this symbol's quote answer 503 (repeatable).
    #[arg(long = "fail", value_name = "SYMBOL")]
    fail: Vec<String>,
    /// Inject a fault into a share of requests, e.g. `503=0.1` or `hang=0.02`
    /// (repeatable; kinds: 500, 503, hang, 429, malformed, wrong-shape, drip,
    /// drop, 401, nan, infinity, negative, no-price, extra-fields, huge).
    #[arg(long = "fault", value_name = "KIND=RATE")]
    faults: Vec<String>,
    /// Shorthand: this share of requests fails, half with 500 and half with 503.
    #[arg(long, value_name = "RATE")]
    error_rate: Option<f64>,
    /// Allow this many requests per second per API key (429 with Retry-After beyond).
    #[arg(long, value_name = "PER_SECOND")]
    rate_limit: Option<f64>,
    /// Burst allowed on top of the rate (default: one second's worth, at least 1).
    #[arg(long, requires = "rate_limit")]
    burst: Option<u32>,
    /// Serve a built app (trunk's dist/) from this folder on the same origin.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Accepted API key (Bearer). Never logged.
    #[arg(long, env = "TICKERBOARD_API_KEY", default_value = DEMO_KEY, hide_env_values = true)]
    api_key: String,
    /// Seed of the simulated market, latencies and faults.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Answer as if it were always this instant (RFC 3339), for reproducible output.
    #[arg(long, value_name = "RFC3339")]
    frozen_time: Option<String>,
    /// The emulated providers' key: Twelve Data's API key and Alpaca's key id
    /// (`/emulate/…`). Never logged.
    #[arg(long, default_value = "emulator-key", hide_default_value = true)]
    emulate_key: String,
    /// The emulated Alpaca's secret key. Never logged.
    #[arg(long, default_value = "emulator-secret", hide_default_value = true)]
    emulate_secret: String,
    /// How long an emulated minute lasts, in milliseconds: the emulated
    /// providers' budget windows (a day is 1 440 of them).
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    emulate_minute_ms: u64,
    /// Requests the emulated Alpaca allows per emulated minute.
    #[arg(long, value_name = "N", default_value_t = providers::alpaca::LIMITS.per_minute)]
    emulate_alpaca_per_minute: u32,
    /// Credits the emulated Twelve Data allows per emulated day (its free
    /// plan's 800 by default; fewer to spend a day quickly in tests).
    #[arg(long, value_name = "N", default_value_t = EmulateConfig::default().twelvedata_per_day)]
    emulate_twelvedata_per_day: u32,
    /// Provider mode: quotes and history from this provider (`twelvedata` or
    /// `alpaca`) instead of the simulated market, under one budget for all
    /// clients. Keys come only from the environment: TWELVEDATA_API_KEY, or
    /// APCA_API_KEY_ID and APCA_API_SECRET_KEY.
    #[arg(long, value_name = "PROVIDER", value_parser = parse_provider)]
    provider: Option<ProviderId>,
    /// The provider's base URL (default: its real API), e.g. an emulator's
    /// `http://127.0.0.1:8787/emulate/twelvedata`.
    #[arg(long, value_name = "URL", requires = "provider")]
    provider_url: Option<String>,
    /// The provider budget's minute, in milliseconds (to match an emulator's
    /// `--emulate-minute-ms`).
    #[arg(long, value_name = "MS", default_value_t = 60_000, requires = "provider")]
    provider_minute_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let args = Args::parse();
    let result = match config(&args) {
        Ok(config) => serve(&args, config).await,
        Err(message) => Err(message),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The server's settings from its flags, or what is wrong with them.
fn config(args: &Args) -> Result<Config, String> {
    let mut failing_symbols = BTreeSet::new();
    for raw in &args.fail {
        let symbol = market::Symbol::parse(raw).map_err(|err| format!("--fail {raw:?}: {err}"))?;
        failing_symbols.insert(symbol.to_string());
    }
    let mut faults = FaultPlan::default();
    if let Some(rate) = args.error_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(format!("--error-rate {rate}: give a number from 0 to 1"));
        }
        faults = faults.with(server::Fault::Internal, rate / 2.0).with(server::Fault::Unavailable, rate / 2.0);
    }
    for flag in &args.faults {
        faults = faults.with_flag(flag).map_err(|err| err.to_string())?;
    }
    if let Some(dist) = &args.dist
        && !dist.join("index.html").is_file()
    {
        return Err(format!("--dist {}: no index.html there (build the app first: trunk build)", dist.display()));
    }
    let rate_limit = match args.rate_limit {
        Some(per_second) if per_second > 0.0 => {
            let burst = args.burst.unwrap_or(per_second.ceil() as u32).max(1);
            Some(RateLimit { per_second, burst })
        }
        Some(other) => return Err(format!("--rate-limit {other}: give a positive number of requests per second")),
        None => None,
    };
    let frozen_time = args
        .frozen_time
        .as_deref()
        .map(|t| OffsetDateTime::parse(t, &Rfc3339).map_err(|err| format!("--frozen-time {t:?}: {err}")))
        .transpose()?;
    Ok(Config {
        latency: args.latency_ms.map_or(Latency::Profile(args.profile), |ms| Latency::Fixed(Duration::from_millis(ms))),
        faults,
        failing_symbols,
        api_keys: BTreeSet::from([args.api_key.clone()]),
        rate_limit,
        seed: args.seed,
        dist: args.dist.clone(),
        frozen_time,
        emulate: emulate_config(args)?,
        provider: args.provider.map(|id| provider_config(args, id)).transpose()?,
    })
}

fn parse_provider(text: &str) -> Result<ProviderId, String> {
    ProviderId::parse(text).ok_or_else(|| format!("{text:?}: give twelvedata or alpaca"))
}

/// Provider mode's settings: the flags, and the keys from the environment.
fn provider_config(args: &Args, id: ProviderId) -> Result<ProviderConfig, String> {
    if args.provider_minute_ms == 0 {
        return Err("--provider-minute-ms 0: give a positive number of milliseconds".into());
    }
    let minute = Duration::from_millis(args.provider_minute_ms);
    ProviderConfig::from_vars(id, args.provider_url.clone(), minute, |name| std::env::var(name).ok())
}

/// The provider emulator's settings from the flags.
fn emulate_config(args: &Args) -> Result<EmulateConfig, String> {
    if args.emulate_minute_ms == 0 {
        return Err("--emulate-minute-ms 0: give a positive number of milliseconds".into());
    }
    if args.emulate_alpaca_per_minute == 0 {
        return Err("--emulate-alpaca-per-minute 0: give a positive number of requests".into());
    }
    if args.emulate_twelvedata_per_day == 0 {
        return Err("--emulate-twelvedata-per-day 0: give a positive number of credits".into());
    }
    for (flag, key) in [("--emulate-key", &args.emulate_key), ("--emulate-secret", &args.emulate_secret)] {
        if key.trim().is_empty() || key.trim() != key {
            return Err(format!("{flag}: give a key without spaces around it"));
        }
    }
    Ok(EmulateConfig {
        key: args.emulate_key.clone(),
        secret: args.emulate_secret.clone(),
        minute: Duration::from_millis(args.emulate_minute_ms),
        alpaca_per_minute: args.emulate_alpaca_per_minute,
        twelvedata_per_day: args.emulate_twelvedata_per_day,
    })
}

async fn serve(args: &Args, config: Config) -> Result<(), String> {
    tracing::info!(latency = ?config.latency, failing = ?config.failing_symbols, "starting");
    if let Some(provider) = &config.provider {
        // The URL and the minute; the keys never.
        tracing::info!(provider = %provider.id, url = %provider.url, minute = ?provider.minute, "provider mode");
    }
    let router = app(config);
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.host, args.port))
        .await
        .map_err(|err| format!("cannot listen on {}:{}: {err}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|err| err.to_string())?;
    // The first line on stdout: scripts (xtask) read the port from it.
    println!("tickerboard market API listening on http://{addr}");

    let tls = match args.tls_port {
        Some(port) => {
            let (cert, key) = tls::self_signed().map_err(|err| format!("making a certificate: {err}"))?;
            if let Some(path) = &args.tls_cert_out {
                std::fs::write(path, &cert).map_err(|err| format!("--tls-cert-out {}: {err}", path.display()))?;
            }
            let server = tls::TlsServer::start(router.clone(), SocketAddr::new(args.host, port), &cert, &key)
                .await
                .map_err(|err| format!("cannot serve TLS on {}:{port}: {err}", args.host))?;
            println!("tickerboard market API listening on https://{} (HTTP/2, self-signed certificate)", server.addr());
            Some(server)
        }
        None => None,
    };
    // TCP_NODELAY, as on the TLS listener: no answer waits on Nagle's algorithm.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!(%err, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await.map_err(|err| err.to_string())?;
    if let Some(tls) = tls {
        tls.shutdown(Duration::from_secs(1)).await.map_err(|err| err.to_string())?;
    }
    Ok(())
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
