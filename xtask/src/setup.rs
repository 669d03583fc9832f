//! `cargo xtask setup`: installs what the build and the tests need, each tool
//! checked by version first, so a warm machine is done in seconds.
//!
//! Everything comes from a package registry: crates.io (`cargo install`),
//! Debian (`apt-get`) and npm. Nothing downloads a prebuilt binary.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Mutex, PoisonError},
    thread,
    time::Instant,
};

use anyhow::{Context, Result, anyhow, bail};

use crate::{paths, toolchain};

/// What a step found.
enum Outcome {
    AlreadyThere(String),
    Installed(String),
}

/// A check-or-install step; `log` takes the output of what it runs.
type Step = Box<dyn FnOnce(&Path) -> Result<Outcome> + Send>;

/// Which tools a command needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Everything (`cargo xtask setup`, `serve --dev`): trunk too.
    Everything,
    /// What the release build, the test tiers and the benchmarks use. trunk
    /// is not among them (the release build is `build`'s own pipeline; trunk
    /// serves only `serve --dev`, whose test is the last tier, `dev`), and it
    /// is the slowest install by far. [`trunk_in_background`] installs it
    /// beside the tiers.
    NoTrunk,
}

/// The trunk install started by [`trunk_in_background`], if one is running.
static TRUNK_INSTALL: Mutex<Option<thread::JoinHandle<Result<()>>>> = Mutex::new(None);

/// Checks trunk, installing it if missing, on a thread of its own and at the
/// lowest priority: it compiles in what CPU the test tiers leave idle, and
/// only `serve --dev`'s test, last, waits for it ([`wait_for_trunk`]).
pub fn trunk_in_background() -> Result<()> {
    let logs = logs()?;
    let handle = thread::spawn(move || {
        step(&format!("trunk {} (beside the tiers)", toolchain::TRUNK), &logs.join("trunk.log"), Box::new(trunk))
    });
    *TRUNK_INSTALL.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
    Ok(())
}

/// Waits for the trunk install [`trunk_in_background`] started (at once if none did).
pub fn wait_for_trunk() -> Result<()> {
    let pending = TRUNK_INSTALL.lock().unwrap_or_else(PoisonError::into_inner).take();
    match pending {
        Some(handle) => {
            println!("setup: waiting for the trunk install");
            handle.join().unwrap_or_else(|_| Err(anyhow!("the trunk install panicked")))
        }
        None => Ok(()),
    }
}

/// Where each step's output goes.
fn logs() -> Result<PathBuf> {
    let logs = paths::target().join("xtask").join("setup");
    fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    Ok(logs)
}

/// Checks the tools `needs` names and installs what is missing, printing each step and its time.
///
/// The steps are independent, so they run side by side: on a bare machine the
/// `cargo install`s (trunk about 7 min, wasm-bindgen-cli about 3) keep both
/// cores busy while apt-get and npm wait on the network. Each step's output
/// goes to its own log under `target/xtask/setup/`, shown when it fails.
pub fn run(needs: Needs) -> Result<()> {
    let start = Instant::now();
    println!("setup: checking the toolchain");
    let bindgen = toolchain::locked_version("wasm-bindgen")?;
    let pinned = toolchain::trunk_tool("wasm_bindgen")?;
    if pinned != bindgen {
        bail!("Trunk.toml pins wasm_bindgen = {pinned:?} but Cargo.lock has wasm-bindgen {bindgen}: make them equal");
    }
    let mut steps: Vec<(String, &str, Step)> = vec![
        (
            format!("wasm-bindgen-cli {bindgen} (Cargo.lock's)"),
            "wasm-bindgen",
            Box::new(move |log: &Path| wasm_bindgen(&bindgen, log)),
        ),
        ("wasm32 target".to_owned(), "wasm-target", Box::new(wasm_target)),
        ("chromium and chromedriver (Debian)".to_owned(), "chromium", Box::new(chromium)),
        (format!("binaryen {} (npm)", toolchain::BINARYEN), "binaryen", Box::new(binaryen)),
        ("crates of Cargo.lock (cargo fetch)".to_owned(), "cargo-fetch", Box::new(fetch_crates)),
    ];
    if needs == Needs::Everything {
        steps.insert(0, (format!("trunk {}", toolchain::TRUNK), "trunk", Box::new(trunk)));
    } else {
        println!("setup: trunk not needed here (only `serve --dev` uses it)");
    }
    let logs = logs()?;
    let results: Vec<Result<()>> = thread::scope(|scope| {
        let running: Vec<_> = steps
            .into_iter()
            .map(|(name, file, check_or_install)| {
                let log = logs.join(format!("{file}.log"));
                scope.spawn(move || step(&name, &log, check_or_install))
            })
            .collect();
        running.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow!("a setup step panicked")))).collect()
    });
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).map(|e| format!("{e:#}")).collect();
    if !failures.is_empty() {
        bail!("setup failed:\n{}", failures.join("\n"));
    }
    println!("setup: done in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

fn step(name: &str, log: &Path, check_or_install: Step) -> Result<()> {
    let start = Instant::now();
    fs::write(log, "").with_context(|| format!("creating {}", log.display()))?;
    let outcome = check_or_install(log).with_context(|| format!("setting up {name}"));
    let seconds = start.elapsed().as_secs_f64();
    match outcome? {
        Outcome::AlreadyThere(found) => {
            println!("setup: {name}: already there ({found}) [{seconds:.1} s]")
        }
        Outcome::Installed(found) => {
            println!("setup: {name}: installed ({found}) [{seconds:.1} s]")
        }
    }
    Ok(())
}

/// The first line a tool prints for `--version`, if it runs at all.
fn version_of(program: &str) -> Option<String> {
    let output = paths::command(program).arg("--version").stdin(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").trim().to_owned())
}

/// Runs an install command with its output appended to `log`; fails, with the
/// log's last lines, if it fails.
fn install(mut command: Command, log: &Path) -> Result<()> {
    let shown: Vec<String> = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    let shown = shown.join(" ");
    println!("setup:   running {shown} (output in {})", log.display());
    let file = fs::OpenOptions::new().create(true).append(true).open(log)?;
    let status = command
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file)
        .status()
        .with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        let text = fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!("{shown} failed ({status}); the end of {}:\n{}", log.display(), tail.join("\n"));
    }
    Ok(())
}

/// Installs `crate_name` at `version` with `cargo install` unless `program
/// --version` already says `expected`.
/// How much `cargo install` optimises a tool.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Optimise {
    /// Fully (opt-level 3): a tool on the build's path (wasm-bindgen reads
    /// every build's wasm).
    Fully,
    /// Lightly (opt-level 1), in far less compile time: a tool that only
    /// starts others (trunk runs cargo, wasm-bindgen and wasm-opt).
    Lightly,
}

fn cargo_tool(
    program: &str,
    expected: &str,
    (crate_name, version): (&str, &str),
    locked: bool,
    optimise: Optimise,
    log: &Path,
) -> Result<Outcome> {
    if let Some(found) = version_of(program).filter(|v| v == expected) {
        return Ok(Outcome::AlreadyThere(found));
    }
    // At the lowest priority: an install beside the test tiers (trunk's)
    // takes only the CPU they leave idle, and never slows a timed test.
    let mut command = paths::command("nice");
    command.args(["-n", "19", "cargo", "install", crate_name, "--version", version, "--force"]);
    // trunk's own release profile asks for fat LTO in one codegen unit: a
    // single-threaded link of minutes that leaves a core idle. cargo's
    // config profile overrides the manifest's, so tools build with ordinary
    // release settings (parallel units, no LTO).
    command.env("CARGO_PROFILE_RELEASE_LTO", "off").env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    if optimise == Optimise::Lightly {
        command.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1");
    }
    if locked {
        command.arg("--locked");
    }
    install(command, log)?;
    match version_of(program) {
        Some(found) if found == expected => Ok(Outcome::Installed(found)),
        other => bail!("after installing, `{program} --version` says {other:?}, not {expected:?}"),
    }
}

fn wasm_target(log: &Path) -> Result<Outcome> {
    let installed = paths::command("rustup").args(["target", "list", "--installed"]).output()?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == toolchain::WASM_TARGET) {
        return Ok(Outcome::AlreadyThere(toolchain::WASM_TARGET.to_owned()));
    }
    let mut command = paths::command("rustup");
    command.args(["target", "add", toolchain::WASM_TARGET]);
    install(command, log)?;
    Ok(Outcome::Installed(toolchain::WASM_TARGET.to_owned()))
}

/// wasm-bindgen-cli also installs `wasm-bindgen-test-runner`, the browser tier's runner.
fn wasm_bindgen(version: &str, log: &Path) -> Result<Outcome> {
    // Without --locked: its lockfile names a crate version the registry lacks.
    let expected = format!("wasm-bindgen {version}");
    cargo_tool("wasm-bindgen", &expected, ("wasm-bindgen-cli", version), false, Optimise::Fully, log)
}

fn trunk(log: &Path) -> Result<Outcome> {
    let expected = format!("trunk {}", toolchain::TRUNK);
    cargo_tool("trunk", &expected, ("trunk", toolchain::TRUNK), true, Optimise::Lightly, log)
}

fn chromium(log: &Path) -> Result<Outcome> {
    if let (Some(browser), Some(driver)) = (version_of("chromium"), version_of("chromedriver")) {
        return Ok(Outcome::AlreadyThere(format!("{browser}; {driver}")));
    }
    if !nix::unistd::geteuid().is_root() {
        bail!(
            "Chromium and ChromeDriver are missing and installing them needs root. Run:\n  \
             sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver"
        );
    }
    let mut update = paths::command("apt-get");
    update.args(["update", "-q"]);
    install(update, log)?;
    let mut add = paths::command("apt-get");
    add.args(["install", "-y", "-q", "chromium", "chromium-driver"]).env("DEBIAN_FRONTEND", "noninteractive");
    install(add, log)?;
    match (version_of("chromium"), version_of("chromedriver")) {
        (Some(browser), Some(driver)) => Ok(Outcome::Installed(format!("{browser}; {driver}"))),
        _ => bail!("apt-get finished but chromium or chromedriver still does not run"),
    }
}

/// Downloads every crate in `Cargo.lock` (for every target), so trunk's
/// offline cargo builds find them. Quick when they are already there.
fn fetch_crates(_: &Path) -> Result<Outcome> {
    let output = paths::command("cargo").args(["fetch", "--locked"]).stdin(Stdio::null()).output()?;
    if !output.status.success() {
        bail!("cargo fetch failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let downloaded = String::from_utf8_lossy(&output.stderr).matches("Downloaded ").count();
    Ok(if downloaded == 0 {
        Outcome::AlreadyThere("all crates present".to_owned())
    } else {
        Outcome::Installed(format!("{downloaded} crates downloaded"))
    })
}

fn binaryen(log: &Path) -> Result<Outcome> {
    let major = toolchain::BINARYEN.split('.').next().unwrap_or_default();
    let wasm_opt = paths::binaryen_bin().join("wasm-opt");
    let wasm_opt = wasm_opt.to_string_lossy();
    if let Some(found) = version_of(&wasm_opt).filter(|v| v.contains(&format!("version {major}"))) {
        return Ok(Outcome::AlreadyThere(found));
    }
    let prefix = paths::binaryen_prefix();
    fs::create_dir_all(&prefix)?;
    let mut command = paths::command("npm");
    command
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(format!("binaryen@{}", toolchain::BINARYEN));
    install(command, log)?;
    match version_of(&wasm_opt) {
        Some(found) if found.contains(&format!("version {major}")) => Ok(Outcome::Installed(found)),
        other => bail!("after npm install, wasm-opt --version says {other:?}"),
    }
}
