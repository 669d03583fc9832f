//! `cargo xtask test`: every tier, each with its count and duration, in one
//! command. Servers are started on free ports and stopped after their tier.
//!
//! 1. lint: `cargo fmt --check`, clippy for the whole workspace on the host and for the app on wasm32;
//! 2. native: `cargo test` for the host crates (fanout, market, server, xtask) and the app's library;
//! 3. browser: the app's wasm-bindgen tests in headless Chromium (`wasm_test`) against a running API server;
//! 4. e2e: the release build in headless Chromium over WebDriver (`cargo xtask e2e`,
//!    a libtest harness: arguments after `--` go to it, so `-- faults` runs the
//!    fault trials and `-- --list` lists every trial);
//! 5. dev: `serve --dev`'s test, which needs trunk: installed beside the
//!    other tiers at the lowest priority, so only this tier waits for it.

use std::{
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Result;
use clap::Args;

use crate::{
    disk, paths,
    process::{self},
    setup,
    tally::{Tally, TierReport, print_summary, run_counting},
    wasm_test,
};

/// Options of `cargo xtask test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Skip the toolchain check.
    #[arg(long)]
    no_setup: bool,
    /// Run only these tiers (lint, native, browser, e2e, dev); all by default.
    #[arg(long = "tier", value_name = "TIER")]
    tiers: Vec<String>,
    /// Arguments for the e2e harness, after `--` (a filter, `--list`, `--exact`, `--skip S`).
    #[arg(last = true, value_name = "E2E_ARGS")]
    e2e_args: Vec<String>,
}

/// A tier: runs its tests and counts them.
type Tier = fn(&TestArgs) -> Result<Tally>;

/// Runs the tiers in order and fails if any test in any tier failed.
pub fn run(args: &TestArgs) -> Result<()> {
    if args.e2e_args.iter().any(|a| a == "--list") {
        // Listing runs nothing: no setup, no other tier.
        let status = e2e_harness(&args.e2e_args)?.status()?;
        anyhow::ensure!(status.success(), "listing the e2e trials failed");
        return Ok(());
    }
    let wanted = |tier: &str| args.tiers.is_empty() || args.tiers.iter().any(|t| t == tier);
    if !args.no_setup {
        setup::run(setup::Needs::NoTrunk)?;
        if wanted("dev") {
            // Only `serve --dev`'s test, the last tier, needs trunk.
            setup::trunk_in_background()?;
        }
    }
    println!("disk: {}", disk::summary());
    let mut reports = Vec::new();
    let tiers: [(&'static str, Tier); 5] =
        [("lint", lint), ("native", native), ("browser", browser), ("e2e", e2e), ("dev", dev)];
    for (name, tier) in tiers {
        if !wanted(name) {
            continue;
        }
        println!("\n==> tier {name}");
        let start = Instant::now();
        let (tally, ok) = match tier(args) {
            Ok(tally) => (tally, tally.failed == 0 && tally.passed > 0),
            Err(err) => {
                eprintln!("tier {name} failed: {err:#}");
                (Tally::default(), false)
            }
        };
        let duration = start.elapsed();
        println!(
            "==> tier {name}: {} passed, {} failed in {:.1} s (disk: {})",
            tally.passed,
            tally.failed,
            duration.as_secs_f64(),
            disk::summary()
        );
        reports.push(TierReport { name, tally, duration, ok });
    }
    // A trunk install the dev tier did not wait for (it failed early) is not left running.
    if let Err(err) = setup::wait_for_trunk() {
        eprintln!("setup: {err:#}");
    }
    print_summary(&reports);
    anyhow::ensure!(reports.iter().all(|r| r.ok), "some tests failed");
    Ok(())
}

/// Formatting and clippy (the workspace on the host, then the app for wasm32); each is one check.
fn lint(_: &TestArgs) -> Result<Tally> {
    let mut tally = Tally::default();
    let checks: [(&str, &[&str]); 3] = [
        ("cargo fmt --check", &["fmt", "--all", "--check"]),
        ("clippy (host, the guide's command)", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        (
            "clippy (app, wasm32)",
            &[
                "clippy",
                "--package",
                "tickerboard",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
    ];
    for (name, cargo_args) in checks {
        let ok = paths::command("cargo").args(cargo_args).status()?.success();
        println!("test lint::{name} ... {}", if ok { "ok" } else { "FAILED" });
        tally.record(ok);
    }
    Ok(tally)
}

/// The one native test that needs trunk (`xtask/tests/serve.rs`).
const SERVE_DEV_TEST: &str = "serve_dev_proxies_the_api_and_ctrl_c_stops_both_servers_within_five_seconds";

/// `cargo test` for every host crate (but `serve --dev`'s test: the dev
/// tier's), then the server's load test optimised.
fn native(_: &TestArgs) -> Result<Tally> {
    let mut all_but_one = host_tests();
    all_but_one.args(["--", "--skip", SERVE_DEV_TEST]);
    let mut tally = counted(all_but_one)?;
    // The app's own logic (watchlist, store, settings, errors) runs natively too;
    // its `tests/` are browser tests, run by the browser tier.
    let mut app = paths::command("cargo");
    app.args(["test", "--package", "tickerboard", "--lib"]);
    tally.add(counted(app)?);
    let (live, ran) = live_smoke()?;
    // The workspace run counted every live test as skipped; those that ran are not.
    tally.skipped = tally.skipped.saturating_sub(ran);
    tally.add(live);
    let mut load = paths::command("cargo");
    load.args(["test", "--profile", "native", "--package", "server", "--test", "load", "--", "--nocapture"]);
    tally.add(counted(load)?);
    Ok(tally)
}

/// `cargo test` of every host crate. The dev tier selects the same packages,
/// so cargo builds nothing again: a narrower selection would unify other
/// features and build the shared crates anew.
fn host_tests() -> Command {
    let mut command = paths::command("cargo");
    command.args(["test", "--workspace", "--exclude", "tickerboard", "--no-fail-fast"]);
    command
}

/// `serve --dev`'s test, last: it needs trunk, installed beside the other
/// tiers at the lowest priority (waited for here).
fn dev(_: &TestArgs) -> Result<Tally> {
    setup::wait_for_trunk()?;
    let mut serve_dev = host_tests();
    serve_dev.args(["--test", "serve", "--", "--exact", SERVE_DEV_TEST]);
    let mut tally = counted(serve_dev)?;
    if tally.passed + tally.failed != 1 {
        println!(
            "test dev::{SERVE_DEV_TEST} ... FAILED (it ran {} times, not once: renamed?)",
            tally.passed + tally.failed
        );
        tally.failed += 1;
    }
    Ok(tally)
}

/// The live smoke tests (`crates/server/tests/live.rs`): run against the real
/// providers when their keys are in the environment; otherwise the workspace
/// run above has counted them as skipped. Each run here turns one skip into
/// a pass or a failure; returns their tally and how many ran.
fn live_smoke() -> Result<(Tally, u32)> {
    let live: [(&str, &[&str]); 2] = [
        ("live_twelve_data_quotes_and_history", &["TWELVEDATA_API_KEY"]),
        ("live_alpaca_quotes_and_history", &["APCA_API_KEY_ID", "APCA_API_SECRET_KEY"]),
    ];
    let (mut tally, mut ran) = (Tally::default(), 0);
    for (test, vars) in live {
        if !vars.iter().all(|v| std::env::var(v).is_ok_and(|k| !k.trim().is_empty())) {
            println!("note: {test} skipped ({} not set)", vars.join(", "));
            continue;
        }
        let mut command = paths::command("cargo");
        command.args(["test", "--package", "server", "--test", "live", "--", "--ignored", "--exact", test]);
        tally.add(Tally { skipped: 0, ..counted(command)? });
        ran += 1;
    }
    Ok((tally, ran))
}

/// The app's wasm-bindgen tests in headless Chromium, against an API server
/// with the seed profile and NFLX failing; every test file runs even when one fails.
fn browser(_: &TestArgs) -> Result<Tally> {
    let server = process::build_api_server()?;
    let log = paths::target().join("xtask").join("browser-api.log");
    std::fs::create_dir_all(log.parent().unwrap_or(&paths::target()))?;
    // A fixed port when free keeps the test build's baked-in URL (and so the
    // compiled tests) the same from run to run.
    let port = if process::port_open(18787) { process::free_port()? } else { 18787 };
    let port_arg = port.to_string();
    let (_api, port) =
        process::start_api_server(&server, &["--port", &port_arg, "--profile", "seed", "--fail", "NFLX"], &log)?;
    // The leak tests run hundreds of refreshes in a debug build: two minutes
    // each on a quiet machine is plenty, on a busy CI machine it was not.
    let mut command = wasm_test::command(false, 300);
    command.arg("--no-fail-fast").env("TICKERBOARD_TEST_API", format!("http://127.0.0.1:{port}"));
    let started = Instant::now();
    let tally = counted(command)?;
    if started.elapsed() > Duration::from_secs(600) {
        println!("note: the browser tier took {:.0} s", started.elapsed().as_secs_f64());
    }
    Ok(tally)
}

/// The e2e harness (`cargo xtask e2e`), in a process of its own: the tier
/// counts its trials from its `test result:` line, as it does cargo's.
fn e2e(args: &TestArgs) -> Result<Tally> {
    counted(e2e_harness(&args.e2e_args)?)
}

/// `cargo xtask e2e ARGS` (this binary).
fn e2e_harness(args: &[String]) -> Result<Command> {
    // The native tier's cargo may have rebuilt this binary in place (other
    // features unified): Linux then names the running one "… (deleted)", and
    // the new file at the same path is the one to start.
    let exe = std::env::current_exe()?;
    let path = exe.to_string_lossy();
    let exe = path.strip_suffix(" (deleted)").map_or_else(|| exe.clone(), std::path::PathBuf::from);
    let mut command = Command::new(exe);
    command.arg("e2e").args(args);
    Ok(command)
}

/// Runs a test command and returns its tally; a failing command with no failed
/// test (a build error) counts as one failure.
fn counted(command: Command) -> Result<Tally> {
    let (mut tally, ok) = run_counting(command)?;
    if !ok && tally.failed == 0 {
        tally.failed = 1;
    }
    Ok(tally)
}
