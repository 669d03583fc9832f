//! `cargo xtask bench`: benchmarks that print their figures, each measured side
//! by side in one run (these machines are noisy; ratios travel, seconds do not).

use anyhow::{Result, ensure};
use clap::{Args, ValueEnum};

use crate::paths;

/// Options of `cargo xtask bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark to run.
    #[arg(value_enum, default_value = "engine")]
    which: Which,
}

/// The benchmarks.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Which {
    /// The fanout engine's own cost per request against a bare `join_all`.
    Engine,
}

/// Runs the chosen benchmark optimised and lets it print its table.
pub fn run(args: &BenchArgs) -> Result<()> {
    match args.which {
        Which::Engine => {
            let status = paths::command("cargo")
                .args(["run", "--release", "--quiet", "--package", "fanout", "--example", "overhead"])
                .status()?;
            ensure!(status.success(), "the engine benchmark failed");
        }
    }
    Ok(())
}
