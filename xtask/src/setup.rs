//! `cargo xtask setup`: installs what the build and the tests need, each tool
//! checked by version first, so a warm machine is done in seconds.
//!
//! Everything comes from a package registry: crates.io (`cargo install`),
//! Debian (`apt-get`) and npm. Nothing downloads a prebuilt binary.

use std::{
    process::{Command, Stdio},
    time::Instant,
};

use anyhow::{Context, Result, bail};

use crate::{paths, toolchain};

/// What a step found.
enum Outcome {
    AlreadyThere(String),
    Installed(String),
}

/// Checks every tool and installs what is missing, printing each step and its time.
pub fn run() -> Result<()> {
    let start = Instant::now();
    println!("setup: checking the toolchain");
    let bindgen = toolchain::locked_version("wasm-bindgen")?;
    let pinned = toolchain::trunk_tool("wasm_bindgen")?;
    if pinned != bindgen {
        bail!("Trunk.toml pins wasm_bindgen = {pinned:?} but Cargo.lock has wasm-bindgen {bindgen}: make them equal");
    }
    step("wasm32 target", wasm_target)?;
    step(&format!("wasm-bindgen-cli {bindgen} (Cargo.lock's)"), || wasm_bindgen(&bindgen))?;
    step(&format!("trunk {}", toolchain::TRUNK), trunk)?;
    step(&format!("wasm-pack {}", toolchain::WASM_PACK), wasm_pack)?;
    step("chromium and chromedriver (Debian)", chromium)?;
    step(&format!("binaryen {} (npm)", toolchain::BINARYEN), binaryen)?;
    step("crates of Cargo.lock (cargo fetch)", fetch_crates)?;
    println!("setup: done in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

fn step(name: &str, check_or_install: impl FnOnce() -> Result<Outcome>) -> Result<()> {
    let start = Instant::now();
    let outcome = check_or_install().with_context(|| format!("setting up {name}"))?;
    let seconds = start.elapsed().as_secs_f64();
    match outcome {
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

/// Runs an install command with its output shown; fails if it fails.
fn install(mut command: Command) -> Result<()> {
    println!("setup:   running {command:?}");
    let status = command.stdin(Stdio::null()).status().with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}

/// Installs `crate_name` at `version` with `cargo install` unless `program
/// --version` already says `expected`.
fn cargo_tool(program: &str, expected: &str, crate_name: &str, version: &str, locked: bool) -> Result<Outcome> {
    if let Some(found) = version_of(program).filter(|v| v == expected) {
        return Ok(Outcome::AlreadyThere(found));
    }
    let mut command = paths::command("cargo");
    command.args(["install", crate_name, "--version", version, "--force"]);
    if locked {
        command.arg("--locked");
    }
    install(command)?;
    match version_of(program) {
        Some(found) if found == expected => Ok(Outcome::Installed(found)),
        other => bail!("after installing, `{program} --version` says {other:?}, not {expected:?}"),
    }
}

fn wasm_target() -> Result<Outcome> {
    let installed = paths::command("rustup").args(["target", "list", "--installed"]).output()?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == toolchain::WASM_TARGET) {
        return Ok(Outcome::AlreadyThere(toolchain::WASM_TARGET.to_owned()));
    }
    let mut command = paths::command("rustup");
    command.args(["target", "add", toolchain::WASM_TARGET]);
    install(command)?;
    Ok(Outcome::Installed(toolchain::WASM_TARGET.to_owned()))
}

fn wasm_bindgen(version: &str) -> Result<Outcome> {
    // Without --locked: its lockfile names a crate version the registry lacks.
    cargo_tool("wasm-bindgen", &format!("wasm-bindgen {version}"), "wasm-bindgen-cli", version, false)
}

fn trunk() -> Result<Outcome> {
    cargo_tool("trunk", &format!("trunk {}", toolchain::TRUNK), "trunk", toolchain::TRUNK, true)
}

fn wasm_pack() -> Result<Outcome> {
    let v = toolchain::WASM_PACK;
    cargo_tool("wasm-pack", &format!("wasm-pack {v}"), "wasm-pack", v, true)
}

fn chromium() -> Result<Outcome> {
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
    install(update)?;
    let mut add = paths::command("apt-get");
    add.args(["install", "-y", "-q", "chromium", "chromium-driver"]).env("DEBIAN_FRONTEND", "noninteractive");
    install(add)?;
    match (version_of("chromium"), version_of("chromedriver")) {
        (Some(browser), Some(driver)) => Ok(Outcome::Installed(format!("{browser}; {driver}"))),
        _ => bail!("apt-get finished but chromium or chromedriver still does not run"),
    }
}

/// Downloads every crate in `Cargo.lock` (for every target), so trunk's
/// offline cargo builds find them. Quick when they are already there.
fn fetch_crates() -> Result<Outcome> {
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

fn binaryen() -> Result<Outcome> {
    let major = toolchain::BINARYEN.split('.').next().unwrap_or_default();
    let wasm_opt = paths::binaryen_bin().join("wasm-opt");
    let wasm_opt = wasm_opt.to_string_lossy();
    if let Some(found) = version_of(&wasm_opt).filter(|v| v.contains(&format!("version {major}"))) {
        return Ok(Outcome::AlreadyThere(found));
    }
    let prefix = paths::binaryen_prefix();
    std::fs::create_dir_all(&prefix)?;
    let mut command = paths::command("npm");
    command
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(format!("binaryen@{}", toolchain::BINARYEN));
    install(command)?;
    match version_of(&wasm_opt) {
        Some(found) if found.contains(&format!("version {major}")) => Ok(Outcome::Installed(found)),
        other => bail!("after npm install, wasm-opt --version says {other:?}"),
    }
}
