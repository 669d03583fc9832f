//! The app's wasm-bindgen tests in headless Chromium: `cargo test --target
//! wasm32-unknown-unknown` with `wasm-bindgen-test-runner` as cargo's runner.
//!
//! The runner comes with wasm-bindgen-cli (installed anyway, at Cargo.lock's
//! version), so no wasm-pack is needed: that saved its six-minute install on a
//! bare machine. The runner reads `webdriver.json` beside the crate for
//! Chromium's options and is headless unless `NO_HEADLESS` is set.

use std::process::Command;

use crate::{paths, toolchain};

/// `cargo test` of the app on wasm32, run in headless Chromium through
/// ChromeDriver; each test may take up to `timeout_s` seconds.
pub fn command(release: bool, timeout_s: u32) -> Command {
    let mut command = paths::command("cargo");
    command.args(["test", "--package", "tickerboard", "--target", toolchain::WASM_TARGET]);
    if release {
        command.arg("--release");
    }
    command
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", paths::which("wasm-bindgen-test-runner"))
        .env("CHROMEDRIVER", paths::which("chromedriver"))
        .env("WASM_BINDGEN_TEST_TIMEOUT", timeout_s.to_string());
    command
}
