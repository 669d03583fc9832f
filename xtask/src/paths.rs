//! Where things are: the workspace, the target folder, the tools, and a
//! `Command` that finds them.

use std::{
    env,
    ffi::OsString,
    path::{Path, PathBuf},
    process::Command,
};

/// The workspace root (the folder holding the top `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_owned()
}

/// Cargo's target folder.
pub fn target() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Where npm installs binaryen (its `wasm-opt`).
pub fn binaryen_prefix() -> PathBuf {
    target().join("tools").join("binaryen")
}

/// Folder of the npm-installed `wasm-opt`.
pub fn binaryen_bin() -> PathBuf {
    binaryen_prefix().join("node_modules").join(".bin")
}

/// Cargo's binary folder, where `cargo install` puts trunk and wasm-bindgen (with its test runner).
pub fn cargo_bin() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// `PATH` with the npm binaryen and cargo's bin first, so the pinned tools win
/// over any others (Debian's old `wasm-opt` among them).
pub fn tool_path() -> OsString {
    let mut dirs = vec![binaryen_bin(), cargo_bin()];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).unwrap_or_default()
}

/// A command run from the workspace root that finds the pinned tools first.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    // Temporary files (Chromium's profiles among them) stay under target/:
    // see `disk`.
    let scratch = crate::disk::scratch();
    if std::fs::create_dir_all(&scratch).is_ok() {
        command.env("TMPDIR", scratch);
    }
    command
}

/// The full path of `program` on the tool PATH, or the bare name.
pub fn which(program: &str) -> String {
    std::env::split_paths(&tool_path())
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .map_or_else(|| program.to_owned(), |p| p.to_string_lossy().into_owned())
}
