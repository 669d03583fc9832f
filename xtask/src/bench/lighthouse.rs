//! Lighthouse from npm, pinned, installed into `target/tools/lighthouse`, run
//! with its default mobile profile (simulated slow 4G, 4× CPU) against the
//! system Chromium, performance category only.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::paths;

/// The pinned Lighthouse (12.2.3 runs on the machine's Node 20).
pub const VERSION: &str = "12.2.3";

/// Chromium's flags for Lighthouse's own headless browser (as root, offline).
const CHROME_FLAGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
     --disable-background-networking --disable-component-update --disable-sync";

/// Where npm installs Lighthouse.
fn prefix() -> PathBuf {
    paths::target().join("tools").join("lighthouse")
}

/// Lighthouse's command line script.
fn cli() -> PathBuf {
    prefix().join("node_modules").join("lighthouse").join("cli").join("index.js")
}

/// The installed version, if any.
fn installed_version() -> Option<String> {
    let manifest = prefix().join("node_modules").join("lighthouse").join("package.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    value.get("version").and_then(Value::as_str).map(str::to_owned)
}

/// Installs Lighthouse [`VERSION`] from npm unless it is already there.
pub fn ensure_installed() -> Result<()> {
    if installed_version().as_deref() == Some(VERSION) && cli().is_file() {
        return Ok(());
    }
    println!("bench: installing lighthouse@{VERSION} into {}", prefix().display());
    std::fs::create_dir_all(prefix())?;
    let status = paths::command("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(prefix())
        .arg(format!("lighthouse@{VERSION}"))
        .status()
        .context("running npm install lighthouse")?;
    ensure!(status.success(), "npm install lighthouse@{VERSION} failed");
    Ok(())
}

/// The figures of one Lighthouse run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    /// The performance score, 0–100.
    pub score: f64,
    /// Largest contentful paint, ms.
    pub lcp_ms: f64,
    /// Cumulative layout shift.
    pub cls: f64,
    /// Total blocking time, ms.
    pub tbt_ms: f64,
    /// First contentful paint, ms.
    pub fcp_ms: f64,
}

impl Audit {
    /// Each figure's median over `runs` (NaN for none).
    pub fn median(runs: &[Audit]) -> Audit {
        let of = |figure: fn(&Audit) -> f64| {
            let mut values: Vec<f64> = runs.iter().map(figure).collect();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
        };
        Audit {
            score: of(|a| a.score),
            lcp_ms: of(|a| a.lcp_ms),
            cls: of(|a| a.cls),
            tbt_ms: of(|a| a.tbt_ms),
            fcp_ms: of(|a| a.fcp_ms),
        }
    }
}

/// Runs Lighthouse's mobile profile on `url`, keeping its JSON as `out`.
pub fn audit(url: &str, out: &Path) -> Result<Audit> {
    if let Some(folder) = out.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let status = paths::command("node")
        .arg(cli())
        .arg(url)
        .args(["--only-categories=performance", "--output=json", "--quiet", "--max-wait-for-load=60000"])
        .arg(format!("--output-path={}", out.display()))
        .arg(format!("--chrome-flags={CHROME_FLAGS}"))
        .env("CHROME_PATH", "/usr/bin/chromium")
        .status()
        .context("running lighthouse")?;
    ensure!(status.success(), "lighthouse failed on {url}");
    let text = std::fs::read_to_string(out).with_context(|| format!("reading {}", out.display()))?;
    read(&serde_json::from_str(&text)?).with_context(|| format!("reading Lighthouse's report {}", out.display()))
}

/// The figures out of a Lighthouse JSON report (`lhr`).
fn read(report: &Value) -> Result<Audit> {
    if let Some(error) = report.get("runtimeError").and_then(|e| e.get("message")) {
        anyhow::bail!("Lighthouse could not measure the page: {error}");
    }
    let audit = |id: &str| report["audits"][id]["numericValue"].as_f64().with_context(|| format!("no figure for {id}"));
    let score = report["categories"]["performance"]["score"].as_f64().context("no performance score")?;
    Ok(Audit {
        score: (score * 100.0).round(),
        lcp_ms: audit("largest-contentful-paint")?,
        cls: audit("cumulative-layout-shift")?,
        tbt_ms: audit("total-blocking-time")?,
        fcp_ms: audit("first-contentful-paint")?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_report_gives_its_figures() {
        let report = json!({
            "categories": { "performance": { "score": 0.73 } },
            "audits": {
                "largest-contentful-paint": { "numericValue": 7800.5 },
                "cumulative-layout-shift": { "numericValue": 0.13 },
                "total-blocking-time": { "numericValue": 180.0 },
                "first-contentful-paint": { "numericValue": 6900.0 },
            },
        });
        let audit = read(&report).unwrap();
        assert_eq!(audit, Audit { score: 73.0, lcp_ms: 7800.5, cls: 0.13, tbt_ms: 180.0, fcp_ms: 6900.0 });
        let failed = json!({ "runtimeError": { "code": "NO_FCP", "message": "The page did not paint" } });
        assert!(format!("{:#}", read(&failed).unwrap_err()).contains("did not paint"));
        assert!(read(&json!({ "categories": {} })).is_err());
    }

    #[test]
    fn the_median_is_taken_figure_by_figure() {
        let run = |score, tbt_ms| Audit { score, lcp_ms: 2000.0, cls: 0.0, tbt_ms, fcp_ms: 900.0 };
        let median = Audit::median(&[run(90.0, 300.0), run(70.0, 20.0), run(80.0, 100.0)]);
        assert_eq!(median, run(80.0, 100.0));
        assert!(Audit::median(&[]).score.is_nan());
    }
}
