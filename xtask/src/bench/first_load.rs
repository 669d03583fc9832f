//! The benchmark's first-load case: Tickerboard's release build against the
//! React 19 + TanStack Query 5 peer (`bench/react-tanstack/`), both served,
//! precompressed, by the same optimised API server binary (one instance per
//! app, the same flags). Each load runs in a fresh Chromium session (a cold
//! cache), the two apps alternating, unthrottled and throttled (slow 4G and
//! 4× CPU, set through the DevTools protocol before the navigation); then
//! Lighthouse's mobile profile on both. `cargo xtask bench --first-load`
//! runs this case alone.

use std::{
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use anyhow::{Context, Result, ensure};

use super::{
    first_load_report::{App, Audited, Comparison, File, Load},
    host::host,
    lighthouse::{self, Audit},
};
use crate::{
    budget::kb,
    cdp::{self, NetworkConditions},
    first_load_probe::{self, Timings, Transfer},
    paths,
    process::{self, Service},
    setup,
    webdriver::Browser,
};

/// Loads per app and condition (the median is reported).
const RUNS: usize = 5;

/// The CPU slowdown of the throttled loads (Lighthouse's mobile profile).
const CPU_SLOWDOWN: f64 = 4.0;

/// The API server's flags for both apps.
const SERVER_FLAGS: &[&str] = &["--profile", "fast"];

/// Lighthouse runs per page (its TBT varies most on a busy machine).
const LIGHTHOUSE_RUNS: usize = 3;

/// The pages Lighthouse audits, on both apps.
const AUDITED_PATHS: &[&str] = &["/", "/t/AAPL"];

/// How long one load may take to show five prices (throttled: seconds).
const LOAD_LIMIT: Duration = Duration::from_secs(120);

/// Builds both apps, serves them, measures, and returns the comparison.
pub fn run(no_setup: bool) -> Result<Comparison> {
    if !no_setup {
        setup::run(setup::Needs::NoTrunk)?;
    }
    // Pure JavaScript from npm: installs while the apps build.
    let lighthouse_install = std::thread::spawn(lighthouse::ensure_installed);
    let out = paths::target().join("bench");
    let server = process::build_optimised_api_server()?;
    let ours = out.join("app-dist");
    crate::build::served(&ours)?;
    let peer = out.join("peer-dist");
    build_peer(&peer)?;
    // `build::served` precompresses ours; the peer's the same way.
    crate::compress::precompress(&peer).with_context(|| format!("precompressing {}", peer.display()))?;
    for dist in [&ours, &peer] {
        ensure!(has_brotli(dist)?, "no .br files in {}: the server would send it uncompressed", dist.display());
    }
    let (_ours_server, ours_url) = serve(&server, &ours, &out.join("first-load-ours.log"))?;
    let (_peer_server, peer_url) = serve(&server, &peer, &out.join("first-load-peer.log"))?;
    let urls = [(App::Ours, ours_url.as_str()), (App::Peer, peer_url.as_str())];

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (loads, files) = runtime.block_on(measure_loads(&urls))?;

    lighthouse_install.join().map_err(|_| anyhow::anyhow!("installing Lighthouse panicked"))??;
    let audits = audit_all(&urls, &out.join("lighthouse"))?;
    Ok(Comparison { machine: machine(), loads, audits, files })
}

/// Lighthouse on every audited page of both apps, [`LIGHTHOUSE_RUNS`] times
/// with the apps alternating; each figure the median of its runs.
fn audit_all(urls: &[(App, &str)], out: &Path) -> Result<Vec<Audited>> {
    let mut runs: Vec<(App, &str, Vec<Audit>)> =
        urls.iter().flat_map(|&(app, _)| AUDITED_PATHS.iter().map(move |&path| (app, path, Vec::new()))).collect();
    for round in 0..LIGHTHOUSE_RUNS {
        let mut order = urls.to_vec();
        if round % 2 == 1 {
            order.reverse();
        }
        for (app, url) in order {
            for &path in AUDITED_PATHS {
                let page = format!("{}{path}", url.trim_end_matches('/'));
                let name = match path.trim_matches('/') {
                    "" => "root".to_owned(),
                    other => other.replace('/', "-"),
                };
                let report = out.join(format!("{}-{name}-{}.json", app.key(), round + 1));
                let audit = lighthouse::audit(&page, &report)?;
                println!(
                    "bench: Lighthouse {} mobile, {} {path}, run {}/{LIGHTHOUSE_RUNS}: performance {:.0}, \
                     LCP {:.0} ms, CLS {:.3}, TBT {:.0} ms, FCP {:.0} ms",
                    lighthouse::VERSION,
                    app.key(),
                    round + 1,
                    audit.score,
                    audit.lcp_ms,
                    audit.cls,
                    audit.tbt_ms,
                    audit.fcp_ms
                );
                if let Some(entry) = runs.iter_mut().find(|(a, p, _)| *a == app && *p == path) {
                    entry.2.push(audit);
                }
            }
        }
    }
    Ok(runs
        .into_iter()
        .map(|(app, path, audits)| Audited { app, path: path.to_owned(), audit: Audit::median(&audits) })
        .collect())
}

/// The date, machine and versions the comparison ran on.
fn machine() -> Vec<(String, String)> {
    let mut machine = host();
    let node = paths::command("node").arg("--version").output().ok();
    let node = node.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default();
    machine.push(("node".to_owned(), node));
    let git = |args: &[&str]| {
        let output = paths::command("git").args(args).output().ok();
        output.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default()
    };
    let dirty = if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " with uncommitted changes"
    };
    machine.push(("commit".to_owned(), format!("{}{dirty}", git(&["rev-parse", "--short", "HEAD"]))));
    machine.push(("lighthouse".to_owned(), lighthouse::VERSION.to_owned()));
    machine.push((
        "server".to_owned(),
        format!(
            "tickerboard-server (release) `{}` on loopback, HTTP/1.1, one instance per app",
            SERVER_FLAGS.join(" ")
        ),
    ));
    machine
}

/// Every load of both apps, alternating, unthrottled first; and the files of
/// each app's first unthrottled load.
async fn measure_loads(urls: &[(App, &str)]) -> Result<(Vec<Load>, Vec<File>)> {
    let mut loads = Vec::new();
    let mut files = Vec::new();
    for throttled in [false, true] {
        for run in 0..RUNS {
            let mut order = urls.to_vec();
            if run % 2 == 1 {
                order.reverse();
            }
            for (app, url) in order {
                let (timings, transfer) =
                    cold_load(url, throttled).await.with_context(|| format!("loading {url} ({})", app.key()))?;
                let bytes = transfer.total();
                println!(
                    "bench: first load {} {}, run {}/{RUNS}: {}, five prices at {:.0} ms, FCP {:.0} ms",
                    app.key(),
                    if throttled { "throttled" } else { "unthrottled" },
                    run + 1,
                    kb(bytes),
                    timings.five_prices_ms,
                    timings.fcp_ms
                );
                if !throttled && run == 0 {
                    files.extend(transfer.resources.iter().map(|r| File {
                        app,
                        path: r.path.clone(),
                        transfer: r.transfer,
                        decoded: r.decoded,
                    }));
                }
                let five_prices_ms = timings.five_prices_ms;
                loads.push(Load { app, throttled, bytes, five_prices_ms, fcp_ms: timings.fcp_ms });
            }
        }
    }
    Ok((loads, files))
}

/// One load of `url` in a fresh browser session (an empty cache), with the
/// five-prices observer installed and, if `throttled`, slow 4G and a slower
/// CPU, all before the navigation.
async fn cold_load(url: &str, throttled: bool) -> Result<(Timings, Transfer)> {
    let browser = Browser::start().await?;
    let measured = async {
        let client = &browser.client;
        client.goto("about:blank").await.context("opening about:blank")?;
        cdp::clear_cache(client).await?;
        cdp::add_script_on_new_document(client, &first_load_probe::five_prices_observer()).await?;
        if throttled {
            let slow = NetworkConditions::SLOW_4G;
            cdp::throttle_network(client, slow.rtt_ms, slow.down_bits_per_s, slow.up_bits_per_s).await?;
            cdp::throttle_cpu(client, CPU_SLOWDOWN).await?;
        }
        client.goto(url).await.with_context(|| format!("opening {url}"))?;
        let timings = first_load_probe::timings(&browser, LOAD_LIMIT).await?;
        let transfer = first_load_probe::transfer(&browser).await?;
        ensure!(transfer.total() > 0, "nothing measured for {url}: {}", transfer.describe());
        Ok((timings, transfer))
    }
    .await;
    let _ = browser.close().await;
    measured
}

/// Whether `dist` holds a precompressed `.br` beside its files.
fn has_brotli(dist: &Path) -> Result<bool> {
    let mut folders = vec![dist.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "br") {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Serves `dist` with the API from its own server instance.
fn serve(server: &Path, dist: &Path, log: &Path) -> Result<(Service, String)> {
    let dist_arg = dist.to_string_lossy();
    let mut args = vec!["--dist", &*dist_arg];
    args.extend_from_slice(SERVER_FLAGS);
    let (service, port) = process::start_api_server(server, &args, log)?;
    Ok((service, format!("http://127.0.0.1:{port}/")))
}

/// `npm ci` (when `node_modules` is older than the lock file) and `npm run
/// build` of the React peer, into `out`.
fn build_peer(out: &Path) -> Result<()> {
    let folder = paths::root().join("bench").join("react-tanstack");
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let installed = modified(folder.join("node_modules").join(".package-lock.json"));
    let locked = modified(folder.join("package-lock.json")).unwrap_or(SystemTime::UNIX_EPOCH);
    if installed.is_none_or(|installed| installed < locked) {
        let status = paths::command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&folder)
            .status()
            .context("running npm ci for the React peer")?;
        ensure!(status.success(), "npm ci failed in {}", folder.display());
    }
    let status = paths::command("npm")
        .args(["run", "build", "--", "--emptyOutDir", "--outDir"])
        .arg(out)
        .current_dir(&folder)
        .status()
        .context("running npm run build for the React peer")?;
    ensure!(status.success(), "npm run build failed in {}", folder.display());
    ensure!(out.join("index.html").is_file(), "the React peer's build has no {}", out.join("index.html").display());
    Ok(())
}
