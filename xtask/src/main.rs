//! `cargo xtask`: every chore of the project, as one small program.
//!
//! - `setup`: install the toolchain (checked by version, installed only when missing);
//! - `serve`: the release build and the API on one origin (`--dev`: `trunk serve` beside the API), until Ctrl+C;
//! - `test`: every tier (lint, native, browser, end to end) with counts and times;
//! - `e2e`: the end-to-end trials alone, as a libtest harness (filters, `--list`);
//! - `bench`: benchmarks that print their figures (the report against the peers and the first load
//!   against a React peer, `engine`, `ui`);
//! - `soak`: the app refreshing every second against faults for minutes, its memory and registry watched;
//! - `screenshot`: the README's picture of the app.

mod assets;
mod bench;
mod budget;
mod build;
mod cdp;
mod compress;
mod disk;
mod e2e;
mod first_load_probe;
mod paths;
mod process;
mod screenshot;
mod serve;
mod setup;
mod soak;
mod tally;
mod test;
mod toolchain;
mod wasm_test;
mod webdriver;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tickerboard's automation.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install what building and testing need; skips what is already there.
    Setup,
    /// Build the release app as served (split, optimised, hashed, precompressed) into a folder.
    Build(build::BuildArgs),
    /// Serve the release build and the API on one origin (`--dev`: trunk serve and the API); Ctrl+C stops it.
    Serve(serve::ServeArgs),
    /// Run every test tier and print each tier's count and duration.
    Test(test::TestArgs),
    /// Run the end-to-end trials (libtest's arguments: a filter, `--list`, `--exact`, `--skip`, `--test-threads`).
    E2e {
        /// Passed to the harness, as to a `cargo test` binary.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Run a benchmark and print its figures (by default the report: the lab against plain JS and Python).
    Bench(bench::BenchArgs),
    /// Soak the app: a refresh every second against faults for N minutes, watching memory, timers and listeners.
    Soak(soak::SoakArgs),
    /// Save a screenshot of the app (docs/screenshot.png by default).
    Screenshot(screenshot::ScreenshotArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup => setup::run(setup::Needs::Everything),
        Command::Build(args) => build::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Test(args) => with_scratch(|| test::run(&args)),
        Command::E2e { args } => with_scratch(|| e2e::run(&args)),
        Command::Screenshot(args) => with_scratch(|| screenshot::run(&args)),
        Command::Bench(args) => with_scratch(|| bench::run(&args)),
        Command::Soak(args) => with_scratch(|| soak::run(&args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command that starts browsers, emptying the tools' temporary folder
/// when it ends (see `disk`).
fn with_scratch(command: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    let _scratch = disk::Scratch;
    command()
}
