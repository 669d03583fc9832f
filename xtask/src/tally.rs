//! Counting tests: reading cargo's and wasm-bindgen-test's result lines, and
//! the per-tier summary.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Duration,
};

use anyhow::{Context, Result};

/// Passed, failed and skipped counts of one tier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Tests that passed.
    pub passed: u32,
    /// Tests that failed.
    pub failed: u32,
    /// Tests that did not run (cargo's "ignored": the live smoke tests without
    /// their keys) — never counted as passed.
    pub skipped: u32,
}

impl Tally {
    /// Adds another count to this one.
    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }

    /// Counts one check.
    pub fn record(&mut self, ok: bool) {
        if ok { self.passed += 1 } else { self.failed += 1 }
    }
}

/// Reads `test result: ok. 5 passed; 0 failed; …` (cargo test and
/// wasm-bindgen-test-runner print the same line).
pub fn parse_result_line(line: &str) -> Option<Tally> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u32> {
        rest.split(';').find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(word)?
                .trim()
                .parse()
                .ok()
        })
    };
    Some(Tally {
        passed: number_before("passed")?,
        failed: number_before("failed")?,
        skipped: number_before("ignored").unwrap_or(0),
    })
}

/// Runs `command`, echoing its stdout, and adds up its test result lines.
/// Returns the tally and whether the command succeeded.
pub fn run_counting(mut command: Command) -> Result<(Tally, bool)> {
    let mut child = command.stdout(Stdio::piped()).spawn().with_context(|| format!("starting {command:?}"))?;
    let mut tally = Tally::default();
    let stdout = child.stdout.take().context("piped stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some(result) = parse_result_line(&line) {
            tally.add(result);
        }
    }
    Ok((tally, child.wait()?.success()))
}

/// One row of the final summary.
#[derive(Debug, Clone)]
pub struct TierReport {
    /// The tier's name.
    pub name: &'static str,
    /// Its counts.
    pub tally: Tally,
    /// How long it took.
    pub duration: Duration,
    /// Whether it passed (counts can be zero for a tier that failed to start).
    pub ok: bool,
}

/// Prints the per-tier table and the closing `xtask: N passed, M failed` line.
pub fn print_summary(tiers: &[TierReport]) {
    println!();
    println!("{:<10} {:>7} {:>7} {:>7} {:>10}  result", "tier", "passed", "failed", "skipped", "seconds");
    let mut total = Tally::default();
    for tier in tiers {
        println!(
            "{:<10} {:>7} {:>7} {:>7} {:>10.1}  {}",
            tier.name,
            tier.tally.passed,
            tier.tally.failed,
            tier.tally.skipped,
            tier.duration.as_secs_f64(),
            if tier.ok { "ok" } else { "FAILED" }
        );
        total.add(tier.tally);
    }
    let failed_tiers = tiers.iter().filter(|t| !t.ok).count() as u32;
    // A tier that failed without a count (a build error) still counts once.
    let failed = total.failed.max(failed_tiers);
    println!("xtask: {} passed, {} failed, {} skipped", total.passed, failed, total.skipped);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_of_cargo_and_wasm_bindgen_test_are_counted() {
        assert_eq!(
            parse_result_line(
                "test result: ok. 15 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.56s"
            ),
            Some(Tally { passed: 15, failed: 0, skipped: 0 })
        );
        assert_eq!(
            parse_result_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out; finished in 5.01s"),
            Some(Tally { passed: 3, failed: 2, skipped: 0 })
        );
        assert_eq!(
            parse_result_line("test result: ok. 0 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out"),
            Some(Tally { passed: 0, failed: 0, skipped: 2 }),
            "ignored tests are skipped, not passed"
        );
        assert_eq!(parse_result_line("running 5 tests"), None);
    }
}
