//! `cargo xtask serve`: the market API and `trunk serve` together, with the
//! dev server proxying `/api` to the API. Ctrl+C (or SIGTERM) stops both and
//! leaves no process behind.

use std::{
    sync::mpsc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use clap::Args;

use crate::{
    paths,
    process::{self, Service},
    setup,
};

/// Options of `cargo xtask serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port of the app's dev server.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Port of the market API (the dev server proxies `/api` to it).
    #[arg(long, default_value_t = 8787)]
    api_port: u16,
    /// Latency profile: `fast` (everyday) or `seed` (the article's 1 s / 1.5 s / 0.5 s).
    #[arg(long, default_value = "fast")]
    profile: String,
    /// Make this symbol's quote fail with 503 (repeatable).
    #[arg(long = "fail", value_name = "SYMBOL")]
    fail: Vec<String>,
    /// Also serve the app and the API over HTTP/2 (TLS, self-signed) from the
    /// API server, on `--tls-port`.
    #[arg(long)]
    tls: bool,
    /// Port of the HTTP/2 listener (with `--tls`).
    #[arg(long, default_value_t = 8443)]
    tls_port: u16,
    /// Quotes and history from a real provider: `twelvedata` (key in
    /// `TWELVEDATA_API_KEY`) or `alpaca` (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`).
    /// The keys stay in this process's environment; the app needs none.
    #[arg(long, value_name = "PROVIDER")]
    provider: Option<String>,
    /// The provider's address (its real API by default; an emulator's for trying it out).
    #[arg(long, requires = "provider")]
    provider_url: Option<String>,
    /// Skip the toolchain check (it only takes seconds on a ready machine).
    #[arg(long)]
    no_setup: bool,
}

/// Runs both servers until Ctrl+C, SIGTERM, or one of them exits.
pub fn run(args: &ServeArgs) -> Result<()> {
    if !args.no_setup {
        setup::run()?;
    }
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("installing the Ctrl+C handler")?;

    let logs = paths::target().join("xtask");
    std::fs::create_dir_all(&logs)?;
    let server = process::build_api_server()?;

    let mut trunk_command = paths::command("trunk");
    trunk_command
        .args(["serve", "--port", &args.port.to_string(), "--proxy-backend"])
        .arg(format!("http://127.0.0.1:{}/api", args.api_port))
        .env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    let mut trunk = Service::spawn("trunk serve", trunk_command)?;
    println!("serve: trunk serve building the app (pid {}); the URL follows when it is up", trunk.pid());
    if args.tls {
        // The API server serves trunk's dist/ over HTTP/2: wait for the first build.
        let index = paths::root().join("dist").join("index.html");
        while !index.is_file() {
            if stop_rx.recv_timeout(Duration::from_millis(200)).is_ok() {
                trunk.stop();
                return Ok(());
            }
            trunk.check_running()?;
        }
    }

    let (port, tls_port) = (args.api_port.to_string(), args.tls_port.to_string());
    let dist = paths::root().join("dist").to_string_lossy().into_owned();
    let cert = logs.join("tickerboard-cert.pem").to_string_lossy().into_owned();
    let mut api_args = vec!["--port", &port, "--profile", &args.profile];
    if args.tls {
        api_args.extend(["--tls-port", &tls_port, "--tls-cert-out", &cert, "--dist", &dist]);
    }
    for symbol in &args.fail {
        api_args.extend(["--fail", symbol]);
    }
    if let Some(provider) = &args.provider {
        api_args.extend(["--provider", provider]);
    }
    if let Some(url) = &args.provider_url {
        api_args.extend(["--provider-url", url]);
    }
    let api_log = logs.join("serve-api.log");
    let lines = if args.tls { 2 } else { 1 };
    let (mut api, _) = process::start_api_server_ports(&server, &api_args, &api_log, lines)?;
    println!("serve: market API on http://127.0.0.1:{} (pid {}, log {})", args.api_port, api.pid(), api_log.display());
    if args.tls {
        println!(
            "serve: HTTP/2 — app and API on https://127.0.0.1:{}/ with a self-signed certificate. To trust it, \
             either proceed past the browser's warning once, start Chromium with --ignore-certificate-errors, \
             or import {cert} as an authority (chrome://certificate-manager).",
            args.tls_port
        );
    }

    let started = Instant::now();
    let mut announced = false;
    loop {
        if stop_rx.recv_timeout(Duration::from_millis(200)).is_ok() {
            println!("serve: stopping");
            break;
        }
        if let Err(err) = api.check_running().and_then(|()| trunk.check_running()) {
            eprintln!("serve: {err}; stopping");
            break;
        }
        if !announced && process::port_open(args.port) {
            announced = true;
            println!(
                "serve: ready after {:.0} s — open http://127.0.0.1:{}/  (Ctrl+C stops both servers)",
                started.elapsed().as_secs_f64(),
                args.port
            );
        }
    }
    trunk.stop();
    api.stop();
    println!("serve: stopped");
    Ok(())
}
