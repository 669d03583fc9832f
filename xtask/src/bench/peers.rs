//! The peers of `cargo xtask bench`: the same N quote requests made by the seed
//! article's three Python strategies (`bench/python/peers.py`, real HTTP clients
//! in a venv) and by a plain-JavaScript page (`bench/js/`, in headless Chromium).

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Duration,
};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

use crate::{paths, webdriver::Browser};

/// The API key the peers send (the server's demo key).
const API_KEY: &str = "demo";

/// How long one WebDriver script (every run of the JavaScript peer) may take.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// One peer's figures for the same N requests.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerResult {
    /// Who made the requests: `python-sequential`, `python-threads-5`,
    /// `python-asyncio`, `js-promise-all`.
    pub peer: String,
    /// Wall time of each timed run, in milliseconds.
    pub walls_ms: Vec<f64>,
    /// Failed requests over all timed runs (non-200, network error, bad JSON).
    pub errors: u64,
    /// The library and its version (Python) or the protocol the browser used (`h2`, `http/1.1`).
    pub detail: String,
}

/// Makes (or repairs) the venv in `target/bench/venv`, installs
/// `bench/python/requirements.txt` into it when its pinned versions are not
/// the installed ones, and returns the venv's `python`.
pub fn python_env() -> Result<PathBuf> {
    let venv = paths::target().join("bench").join("venv");
    let python = venv.join("bin").join("python");
    let requirements = paths::root().join("bench").join("python").join("requirements.txt");
    let pins =
        pinned(&std::fs::read_to_string(&requirements).with_context(|| format!("reading {}", requirements.display()))?);

    let created = !runs(&python);
    if created {
        make_venv(&venv)?;
    }
    let wanted = pins.iter().map(|(name, version)| format!("{name} {version}")).collect::<Vec<_>>().join(", ");
    if installed(&python, &pins)? == pins {
        println!("python peers: {} already has {wanted}", venv.display());
        return Ok(python);
    }
    let status = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements)
        .stdin(Stdio::null())
        .status()
        .context("running pip")?;
    ensure!(status.success(), "pip could not install {} into {} ({status})", requirements.display(), venv.display());
    let now = installed(&python, &pins)?;
    ensure!(now == pins, "after pip install the venv has {now:?}, not the pinned {pins:?}");
    let what = if created { "made" } else { "updated" };
    println!("python peers: {what} {} with {wanted}", venv.display());
    Ok(python)
}

/// Runs `bench/python/peers.py` with `strategy` (`sequential`, `threads`,
/// `asyncio`) against `base` and reads its JSON line.
#[allow(clippy::too_many_arguments)]
pub fn run_python(
    python: &Path,
    base: &str,
    strategy: &str,
    workers: Option<usize>,
    n: usize,
    latency_ms: u64,
    runs: usize,
    symbols_file: &Path,
) -> Result<PeerResult> {
    let script = paths::root().join("bench").join("python").join("peers.py");
    let mut command = Command::new(python);
    command
        .arg(&script)
        .args(["--base", base, "--key", API_KEY, "--strategy", strategy])
        .args(["--n", &n.to_string(), "--latency-ms", &latency_ms.to_string(), "--runs", &runs.to_string()])
        .arg("--symbols-file")
        .arg(symbols_file)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(workers) = workers {
        command.args(["--workers", &workers.to_string()]);
    }
    if base.starts_with("https:") {
        // The API server's certificate is self-signed.
        command.arg("--insecure");
    }
    let output = command.output().with_context(|| format!("running {}", script.display()))?;
    ensure!(output.status.success(), "the Python peer ({strategy}) failed ({}); its message is above", output.status);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().rev().find(|l| !l.trim().is_empty()).context("the Python peer printed nothing")?;
    let result = parse_python_line(line)?;
    ensure!(result.walls_ms.len() == runs, "the Python peer timed {} runs, not {runs}", result.walls_ms.len());
    Ok(result)
}

/// Opens `{origin}/bench/index.html` (unless already there) and runs its
/// `window.tickerboardBench` with `Promise.all(fetch)` of `n` quotes, `runs` times.
pub async fn run_js(
    browser: &Browser,
    origin: &str,
    n: usize,
    latency_ms: u64,
    runs: usize,
    symbols: &[String],
) -> Result<PeerResult> {
    let page = format!("{}/bench/index.html", origin.trim_end_matches('/'));
    let here = browser.client.current_url().await.context("reading the browser's address")?;
    if here.as_str() != page {
        browser.client.goto(&page).await.with_context(|| format!("opening {page}"))?;
    }
    let mut timeouts = browser.client.get_timeouts().await.context("reading WebDriver's timeouts")?;
    if timeouts.script().is_none_or(|limit| limit < SCRIPT_TIMEOUT) {
        timeouts.set_script(Some(SCRIPT_TIMEOUT));
        browser.client.update_timeouts(timeouts).await.context("raising WebDriver's script timeout")?;
    }
    // Waits for bench.js (a module) if the page is still loading, and turns a
    // rejected promise into `{error}` (execute_async would only time out).
    let script = "const [args, done] = [arguments[0], arguments[arguments.length - 1]];
        const wait = left => typeof window.tickerboardBench === 'function' ? Promise.resolve()
            : left > 0 ? new Promise(resolve => setTimeout(resolve, 50)).then(() => wait(left - 1))
            : Promise.reject(new Error('window.tickerboardBench is missing: did bench.js load?'));
        wait(100).then(() => window.tickerboardBench(args))
            .then(done, error => done({ error: String((error && error.message) || error) }));";
    let args = json!({
        "n": n, "latencyMs": latency_ms, "runs": runs, "symbols": symbols, "key": API_KEY, "base": "",
    });
    let value = browser.eval_async(script, vec![args]).await?;
    let result = parse_js_result(&value).with_context(|| format!("the JavaScript peer at {page}"))?;
    ensure!(result.walls_ms.len() == runs, "the JavaScript peer timed {} runs, not {runs}", result.walls_ms.len());
    Ok(result)
}

/// Reads the line `peers.py` prints.
fn parse_python_line(line: &str) -> Result<PeerResult> {
    let value: Value = serde_json::from_str(line).with_context(|| format!("the Python peer printed {line:?}"))?;
    let field = |key: &str| value.get(key).with_context(|| format!("no {key:?} in the Python peer's {line:?}"));
    let text = |key: &str| -> Result<String> {
        Ok(field(key)?.as_str().with_context(|| format!("{key:?} is not text in {line:?}"))?.to_owned())
    };
    Ok(PeerResult {
        peer: text("peer")?,
        walls_ms: walls(field("walls_ms")?)?,
        errors: field("errors")?.as_u64().with_context(|| format!("\"errors\" is not a count in {line:?}"))?,
        detail: format!("{} on Python {}", text("library")?, text("python")?),
    })
}

/// Reads what `window.tickerboardBench` resolved to (or the `{error}` of its rejection).
fn parse_js_result(value: &Value) -> Result<PeerResult> {
    if let Some(error) = value.get("error") {
        bail!("tickerboardBench failed: {}", error.as_str().unwrap_or_default());
    }
    let walls_ms = walls(value.get("walls_ms").with_context(|| format!("no walls_ms in {value}"))?)?;
    Ok(PeerResult {
        peer: "js-promise-all".to_owned(),
        walls_ms,
        errors: value.get("errors").and_then(Value::as_u64).with_context(|| format!("no error count in {value}"))?,
        detail: value.get("protocol").and_then(Value::as_str).unwrap_or_default().to_owned(),
    })
}

/// A JSON array of wall times in milliseconds.
fn walls(value: &Value) -> Result<Vec<f64>> {
    let list = value.as_array().with_context(|| format!("wall times are not a list: {value}"))?;
    list.iter().map(|ms| ms.as_f64().with_context(|| format!("a wall time is not a number: {ms}"))).collect()
}

/// The `name==version` pins of a requirements file, in order.
fn pinned(requirements: &str) -> Vec<(String, String)> {
    requirements
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter_map(|line| line.split_once("=="))
        .map(|(name, version)| (name.trim().to_lowercase(), version.trim().to_owned()))
        .collect()
}

/// Whether `python` starts (a venv breaks when the Python it was made from goes).
fn runs(python: &Path) -> bool {
    Command::new(python).args(["-c", "pass"]).stdin(Stdio::null()).output().is_ok_and(|o| o.status.success())
}

/// The installed version of each pinned package (`-` when missing).
fn installed(python: &Path, pins: &[(String, String)]) -> Result<Vec<(String, String)>> {
    let script = "import sys
from importlib import metadata
for name in sys.argv[1:]:
    try:
        print(name, metadata.version(name))
    except metadata.PackageNotFoundError:
        print(name, '-')";
    let output = Command::new(python)
        .args(["-c", script])
        .args(pins.iter().map(|(name, _)| name))
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    ensure!(output.status.success(), "{} failed: {}", python.display(), String::from_utf8_lossy(&output.stderr));
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(name, version)| (name.to_owned(), version.to_owned()))
        .collect())
}

/// `python3 -m venv --clear DIR`; on Debian without `python3-venv` (no
/// `ensurepip`), installs it first when we are root, or says how.
fn make_venv(venv: &Path) -> Result<()> {
    let attempt = || -> Result<std::process::Output> {
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(venv)
            .stdin(Stdio::null())
            .output()
            .context("running python3 -m venv (is python3 installed?)")
    };
    let output = attempt()?;
    if output.status.success() {
        return Ok(());
    }
    let why = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if !nix::unistd::geteuid().is_root() {
        bail!(
            "python3 -m venv failed (Debian ships venv and ensurepip apart). Run:\n  \
             sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv\n{why}"
        );
    }
    println!("python peers: python3 -m venv failed; installing python3-venv with apt-get");
    for args in [&["update", "-q"][..], &["install", "-y", "-q", "python3-venv"]] {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .status()
            .context("running apt-get")?;
        ensure!(status.success(), "apt-get {} failed ({status}); python3 -m venv said:\n{why}", args.join(" "));
    }
    let output = attempt()?;
    ensure!(
        output.status.success(),
        "python3 -m venv still fails after installing python3-venv:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_python_peers_line() {
        let line = r#"{"peer": "python-threads-5", "n": 100, "latency_ms": 200, "walls_ms": [4012.5, 4003.25], "errors": 1, "python": "3.11.7", "library": "requests 2.34.2"}"#;
        let result = parse_python_line(line).unwrap();
        assert_eq!(
            result,
            PeerResult {
                peer: "python-threads-5".to_owned(),
                walls_ms: vec![4012.5, 4003.25],
                errors: 1,
                detail: "requests 2.34.2 on Python 3.11.7".to_owned(),
            }
        );
    }

    #[test]
    fn refuses_a_python_line_without_its_fields() {
        assert!(parse_python_line(r#"{"peer": "python-asyncio", "walls_ms": [1.0], "errors": 0}"#).is_err());
        assert!(
            parse_python_line(r#"{"peer": "x", "walls_ms": ["fast"], "errors": 0, "python": "3", "library": "l"}"#)
                .is_err()
        );
        assert!(parse_python_line("Traceback (most recent call last):").is_err());
    }

    #[test]
    fn reads_the_pages_result_and_its_error() {
        let result = parse_js_result(&json!({ "walls_ms": [300.5], "errors": 0, "protocol": "h2" })).unwrap();
        assert_eq!((result.walls_ms, result.errors, result.detail.as_str()), (vec![300.5], 0, "h2"));
        let error = parse_js_result(&json!({ "error": "symbols must be a non-empty array" })).unwrap_err();
        assert!(format!("{error:#}").contains("non-empty array"), "{error:#}");
    }

    #[test]
    fn reads_the_pins_of_the_requirements_file() {
        let text = std::fs::read_to_string(paths::root().join("bench/python/requirements.txt")).unwrap();
        let names: Vec<_> = pinned(&text).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["requests", "aiohttp"]);
        assert_eq!(
            pinned("# comment\nRequests == 2.0  # why\n\naiohttp>=3"),
            [("requests".to_owned(), "2.0".to_owned())]
        );
    }
}
