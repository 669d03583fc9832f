//! `cargo xtask serve`: the app as production serves it — the release build,
//! precompressed, and the API from one optimised server on one origin — or,
//! with `--dev`, the market API and `trunk serve` together (rebuilds on every
//! change, `/api` proxied to the API). Ctrl+C (or SIGTERM) stops everything
//! and leaves no process behind.

use std::{
    path::{Path, PathBuf},
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
    /// Instead of the release build on one origin: `trunk serve` (rebuilds on
    /// every change) on `--port`, proxying `/api` to the API on `--api-port`.
    #[arg(long)]
    dev: bool,
    /// Port of the app and the API (with `--dev`, of trunk's dev server).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Port of the market API with `--dev` (the dev server proxies `/api` to it).
    #[arg(long, default_value_t = 8787, requires = "dev")]
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

/// Serves until Ctrl+C, SIGTERM, or a server exits: the release build on
/// one origin, or with `--dev` the dev server and the API.
pub fn run(args: &ServeArgs) -> Result<()> {
    if !args.no_setup {
        setup::run(if args.dev { setup::Needs::Everything } else { setup::Needs::NoTrunk })?;
    }
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("installing the Ctrl+C handler")?;
    let logs = paths::target().join("xtask");
    std::fs::create_dir_all(&logs)?;
    if args.dev { run_dev(args, &logs, &stop_rx) } else { run_release(args, &logs, &stop_rx) }
}

/// Where `cargo xtask serve` puts the release build it serves.
fn dist() -> PathBuf {
    paths::target().join("serve").join("dist")
}

/// The release build (precompressed) and the API, both from one optimised
/// `tickerboard-server --dist` on `--port`.
fn run_release(args: &ServeArgs, logs: &Path, stop_rx: &mpsc::Receiver<()>) -> Result<()> {
    let started = Instant::now();
    let dist = dist();
    let built = crate::build::served(&dist).and_then(|()| process::build_optimised_api_server());
    if stop_rx.try_recv().is_ok() {
        // Ctrl+C reached the builds too: stopping is what was asked for.
        println!("serve: stopped");
        return Ok(());
    }
    let server = built?;

    let (port, dist_arg) = (args.port.to_string(), dist.to_string_lossy().into_owned());
    let cert = logs.join("tickerboard-cert.pem").to_string_lossy().into_owned();
    let tls_port = args.tls_port.to_string();
    let mut api_args = vec!["--dist", &dist_arg, "--port", &port];
    if args.tls {
        api_args.extend(["--tls-port", &tls_port, "--tls-cert-out", &cert]);
    }
    let extra = api_flags(args);
    api_args.extend(extra.iter().map(String::as_str));
    let log = logs.join("serve.log");
    let lines = if args.tls { 2 } else { 1 };
    let (mut api, _) = process::start_api_server_ports(&server, &api_args, &log, lines)?;
    println!("serve: app and market API on one origin (pid {}, log {})", api.pid(), log.display());
    if args.tls {
        print_tls_help(args.tls_port, &cert);
    }
    println!(
        "serve: ready after {:.0} s — open http://127.0.0.1:{}/  (Ctrl+C stops the server)",
        started.elapsed().as_secs_f64(),
        args.port
    );
    wait_for_stop(stop_rx, &mut [&mut api]);
    api.stop();
    println!("serve: stopped");
    Ok(())
}

/// `trunk serve` (rebuilding on every change) and the market API beside it,
/// the dev server proxying `/api` to it.
fn run_dev(args: &ServeArgs, logs: &Path, stop_rx: &mpsc::Receiver<()>) -> Result<()> {
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
    let mut api_args = vec!["--port", &port];
    if args.tls {
        api_args.extend(["--tls-port", &tls_port, "--tls-cert-out", &cert, "--dist", &dist]);
    }
    let extra = api_flags(args);
    api_args.extend(extra.iter().map(String::as_str));
    let api_log = logs.join("serve-api.log");
    let lines = if args.tls { 2 } else { 1 };
    let (mut api, _) = process::start_api_server_ports(&server, &api_args, &api_log, lines)?;
    println!("serve: market API on http://127.0.0.1:{} (pid {}, log {})", args.api_port, api.pid(), api_log.display());
    if args.tls {
        print_tls_help(args.tls_port, &cert);
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

/// The API server's flags both modes pass on: latency, failing symbols, provider.
fn api_flags(args: &ServeArgs) -> Vec<String> {
    let mut flags = vec!["--profile".to_owned(), args.profile.clone()];
    for symbol in &args.fail {
        flags.extend(["--fail".to_owned(), symbol.clone()]);
    }
    if let Some(provider) = &args.provider {
        flags.extend(["--provider".to_owned(), provider.clone()]);
    }
    if let Some(url) = &args.provider_url {
        flags.extend(["--provider-url".to_owned(), url.clone()]);
    }
    flags
}

/// Waits for Ctrl+C (or SIGTERM), or for one of `services` to exit.
fn wait_for_stop(stop_rx: &mpsc::Receiver<()>, services: &mut [&mut Service]) {
    loop {
        if stop_rx.recv_timeout(Duration::from_millis(200)).is_ok() {
            println!("serve: stopping");
            return;
        }
        if let Some(err) = services.iter_mut().find_map(|service| service.check_running().err()) {
            eprintln!("serve: {err}; stopping");
            return;
        }
    }
}

fn print_tls_help(tls_port: u16, cert: &str) {
    println!(
        "serve: HTTP/2 — app and API on https://127.0.0.1:{tls_port}/ with a self-signed certificate. To trust it, \
         either proceed past the browser's warning once, start Chromium with --ignore-certificate-errors, \
         or import {cert} as an authority (chrome://certificate-manager)."
    );
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("serve").chain(args.iter().copied())).map(|cli| cli.serve)
    }

    #[test]
    fn the_release_build_on_one_origin_is_the_default() {
        let args = parse(&[]).unwrap();
        assert!(!args.dev);
        assert_eq!(args.port, 8080);
        assert_eq!(api_flags(&args), ["--profile", "fast"]);
    }

    #[test]
    fn the_api_port_needs_dev() {
        assert!(parse(&["--api-port", "9000"]).is_err(), "one origin: there is no separate API port");
        let dev = parse(&["--dev", "--api-port", "9000", "--port", "9001"]).unwrap();
        assert_eq!((dev.dev, dev.api_port, dev.port), (true, 9000, 9001));
    }

    #[test]
    fn the_api_servers_flags_pass_through() {
        let args = parse(&[
            "--profile",
            "seed",
            "--fail",
            "TSLA",
            "--fail",
            "NVDA",
            "--provider",
            "twelvedata",
            "--provider-url",
            "http://x",
        ])
        .unwrap();
        assert_eq!(
            api_flags(&args),
            [
                "--profile",
                "seed",
                "--fail",
                "TSLA",
                "--fail",
                "NVDA",
                "--provider",
                "twelvedata",
                "--provider-url",
                "http://x"
            ]
        );
    }
}
