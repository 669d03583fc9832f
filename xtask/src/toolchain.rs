//! The pinned tool versions, and where the pins live.

use std::fs;

use anyhow::{Context, Result, bail};

use crate::paths;

/// trunk: 0.22 needs a newer rustc than the machine's 1.95.
pub const TRUNK: &str = "0.21.14";
/// binaryen from npm (Debian's 108 breaks wasm-bindgen's output).
pub const BINARYEN: &str = "132.0.0";
/// The Rust target the app is built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The version of `package` in `Cargo.lock`.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string(paths::root().join("Cargo.lock")).context("reading Cargo.lock")?;
    locked_version_in(&lock, package)
}

fn locked_version_in(lock: &str, package: &str) -> Result<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    bail!("{package} is not in Cargo.lock")
}

/// A tool version pinned in `Trunk.toml`'s `[tools]` section.
pub fn trunk_tool(tool: &str) -> Result<String> {
    let toml = fs::read_to_string(paths::root().join("Trunk.toml")).context("reading Trunk.toml")?;
    let mut in_tools = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_tools = line == "[tools]";
        } else if in_tools
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == tool
        {
            return Ok(value.trim().trim_matches('"').to_owned());
        }
    }
    bail!("Trunk.toml pins no {tool} under [tools]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_pins_the_wasm_bindgen_that_cargo_lock_uses() {
        let locked = locked_version("wasm-bindgen").unwrap();
        let pinned = trunk_tool("wasm_bindgen").unwrap();
        assert_eq!(
            pinned, locked,
            "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen (and the installed CLI)"
        );
    }

    #[test]
    fn trunk_pins_the_binaryen_that_setup_installs() {
        let major = BINARYEN.split('.').next().unwrap();
        assert_eq!(trunk_tool("wasm_opt").unwrap(), format!("version_{major}"));
    }

    #[test]
    fn the_lockfile_reader_finds_exact_names_only() {
        let lock = "[[package]]\nname = \"wasm-bindgen-shared\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version_in(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version_in(lock, "leptos").is_err());
    }
}
