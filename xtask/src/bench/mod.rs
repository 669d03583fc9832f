//! `cargo xtask bench`: benchmarks that print their figures, each measured side
//! by side in one run (these machines are noisy; ratios travel, seconds do not).
//!
//! The report (the default) is [`measure`]'s: the cases of a [`plan`], run by
//! the app's [`lab`] and by the [`peers`], told by [`report`] with the bundle's
//! [`size`] and the [`host`] it ran on, and the [`first_load`] case against the
//! React peer ([`first_load_report`], with [`lighthouse`]).

mod first_load;
mod first_load_report;
mod host;
mod lab;
mod lighthouse;
mod measure;
mod peers;
mod plan;
mod report;
mod report_json;
mod size;

use anyhow::{Context, Result, ensure};
use clap::{Args, ValueEnum};

use self::plan::Plan;
use crate::{paths, process, setup, wasm_test};

/// Options of `cargo xtask bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark to run.
    #[arg(value_enum, default_value = "report")]
    which: Which,
    /// The report on a subset (N = 5 at 1 s and N = 100 at 200 ms): under 3 minutes.
    #[arg(long)]
    quick: bool,
    /// Also put the report into docs/benchmarks.md (between its bench markers).
    #[arg(long)]
    docs: bool,
    /// Render the last report again from `target/bench/report.json` without measuring.
    #[arg(long)]
    render: bool,
    /// Only the first load against the React + TanStack peer (bytes, time to
    /// five prices, paint, Lighthouse): a few minutes; into the last report
    /// and `docs/first-load.md`.
    #[arg(long, conflicts_with_all = ["render", "quick"])]
    first_load: bool,
    /// Skip the browser half (headless Chromium); natively only.
    #[arg(long)]
    native_only: bool,
    /// Do not check and install the toolchain first.
    #[arg(long)]
    no_setup: bool,
}

/// The benchmarks.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Which {
    /// The app's lab beside plain JavaScript and the article's Python
    /// clients, every case against its ideal, and the first load against the
    /// React + TanStack peer: `target/bench/report.md` and `report.json`.
    Report,
    /// The fanout engine's own cost per request against a bare `join_all`,
    /// natively and in headless Chromium; end to end against the API server;
    /// bounded concurrency against the ideal wall time.
    Engine,
    /// The quotes table at 500 rows: first render and one update of every row.
    Ui,
}

/// Runs the chosen benchmark optimised and lets it print its tables.
pub fn run(args: &BenchArgs) -> Result<()> {
    match args.which {
        Which::Report if args.render => measure::render(args.docs)?,
        Which::Report if args.first_load => measure::run_first_load(args.no_setup, args.docs)?,
        Which::Report => {
            let plan = if args.quick { Plan::quick() } else { Plan::full() };
            measure::run(&plan, args.no_setup, args.docs)?;
        }
        Which::Engine => {
            let status = paths::command("cargo")
                .args(["run", "--profile", "native", "--quiet", "--package", "fanout", "--example", "overhead"])
                .status()?;
            ensure!(status.success(), "the engine benchmark failed natively");
            if !args.native_only {
                if !args.no_setup {
                    setup::run(setup::Needs::NoTrunk)?;
                }
                engine_in_browser()?;
            }
        }
        Which::Ui => {
            if !args.no_setup {
                setup::run(setup::Needs::NoTrunk)?;
            }
            browser_bench("bench_ui", &[])?;
        }
    }
    Ok(())
}

/// Runs the browser benchmark `test` (a `browser-bench` test of the app),
/// optimised, in headless Chromium, with `env` baked in; it prints its tables.
fn browser_bench(test: &str, env: &[(&str, String)]) -> Result<()> {
    println!("\nin headless Chromium (building {test} optimised; its figures follow)");
    let status = wasm_test::command(true, 600)
        .args(["--features", "browser-bench", "--test", test, "--", "--nocapture"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .status()?;
    ensure!(status.success(), "the benchmark {test} failed in the browser");
    Ok(())
}

/// The app's `tests/bench_engine.rs`, optimised, in headless Chromium against
/// an optimised API server with no latency on HTTP/1.1 and HTTP/2.
fn engine_in_browser() -> Result<()> {
    let server = process::build_optimised_api_server()?;
    let log = paths::target().join("xtask").join("bench-api.log");
    std::fs::create_dir_all(log.parent().context("the log's folder")?)?;
    let args = ["--latency-ms", "0", "--tls-port", "0"];
    let (_api, ports) = process::start_api_server_ports(&server, &args, &log, 2)?;
    let env = [
        ("TICKERBOARD_BENCH_HTTP1", format!("http://127.0.0.1:{}", ports[0])),
        ("TICKERBOARD_BENCH_HTTP2", format!("https://127.0.0.1:{}", ports[1])),
    ];
    browser_bench("bench_engine", &env).with_context(|| format!("API server log: {}", log.display()))
}
