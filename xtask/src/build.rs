//! The app's release build, as users receive it: cargo → wasm-split →
//! wasm-bindgen → wasm-opt, then content-hashed names, `index.html`, and
//! brotli and gzip copies of every file.
//!
//! trunk builds the development app (`cargo xtask serve --dev`), but it
//! cannot split a wasm module: the split has to run between cargo's link and
//! wasm-bindgen, where trunk has no hook (trunk#1022). So this pipeline does
//! what trunk's release build did, plus the split, from the same `index.html`
//! template (its `data-trunk` links) and the same tools (`cargo xtask setup`).

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::{Context, Result, bail, ensure};

use crate::{assets, paths};

/// `cargo xtask build`'s options.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Where the built app goes (emptied first).
    #[arg(long, default_value = "target/dist")]
    pub dist: PathBuf,
}

/// `cargo xtask build`: the release app, as `cargo xtask serve` and the
/// end-to-end tier serve it.
pub fn run(args: &BuildArgs) -> Result<()> {
    served(&paths::root().join(&args.dist))
}

/// The release build as served ([`release`]) into `dist`, with the CSP meta
/// and precompressed copies: what `cargo xtask build`, `serve`, the
/// end-to-end tier and the benchmarks serve.
pub fn served(dist: &Path) -> Result<()> {
    let start = Instant::now();
    release(dist)?;
    add_csp_meta(dist)?;
    println!("build: built the app in {:.1} s into {}", start.elapsed().as_secs_f64(), dist.display());
    let compressed = crate::compress::precompress(dist)?;
    println!("build: precompressed {compressed} (.br and .gz beside each file)");
    Ok(())
}

/// The Content-Security-Policy every page is served with (the API server
/// sends the same text as a header).
pub fn content_security_policy() -> Result<String> {
    let path = paths::root().join("web").join("content-security-policy.txt");
    Ok(std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?.trim().to_owned())
}

/// Puts the policy into the release build's `index.html` as a `<meta>` tag,
/// first in `<head>`, so it holds wherever the files are hosted. (Only release
/// builds: `trunk serve` injects an inline live-reload script the policy
/// would block.)
fn add_csp_meta(dist: &Path) -> Result<()> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)?;
    let policy = content_security_policy()?;
    ensure!(!policy.contains('"'), "the policy must not contain a double quote");
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}">"#);
    let head = html.find("<head>").context("index.html has no <head>")? + "<head>".len();
    std::fs::write(&index, format!("{}{meta}{}", &html[..head], &html[head..]))?;
    Ok(())
}

/// cargo's folder for this build: its own, as its flags differ from trunk's
/// (sharing one, each build would undo the other's).
fn cargo_target() -> PathBuf {
    paths::target().join("app-wasm")
}

/// The app's wasm32 release artefacts.
fn wasm_out() -> PathBuf {
    cargo_target().join("wasm32-unknown-unknown").join("release")
}

/// Where the pipeline's intermediate files go.
fn stage() -> PathBuf {
    paths::target().join("app-build")
}

/// Builds the release app into `dist` (emptied first) and returns the names
/// of its files.
pub fn release(dist: &Path) -> Result<Vec<String>> {
    let start = Instant::now();
    // One build at a time (two tests may ask at once): they share cargo's
    // output and the stage, and a link without relocations in between would
    // leave wasm-split nothing to read.
    fs::create_dir_all(paths::target())?;
    let lock = fs::File::create(paths::target().join("app-build.lock")).context("creating the build's lock")?;
    let _lock = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, errno)| anyhow::anyhow!("locking the app's build: {errno}"))?;
    // The app, with its split points, linked with relocations kept: wasm-split
    // reads them to find each function's references. `cargo rustc` puts the
    // link flag on the app alone, so the dependencies stay cached.
    cargo(&["rustc", "--bin", "tickerboard", "--features", "split", "--", "-Clink-args=--emit-relocs"])?;
    cargo(&["build", "--bin", "worker"])?;
    let stage = stage();
    recreate(&stage)?;
    let split_dir = stage.join("split");
    let bindgen_dir = stage.join("bindgen");
    fs::create_dir_all(&split_dir)?;
    fs::create_dir_all(&bindgen_dir)?;

    let input = fs::read(wasm_out().join("tickerboard.wasm")).context("reading the app's wasm")?;
    let main_split = split_dir.join("main.wasm");
    let split = {
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &split_dir;
        options.main_out_path = &main_split;
        options.link_name = assets::SPLIT_LINK;
        options.main_module = assets::MAIN_MODULE;
        wasm_split_cli_support::transform(options).map_err(|err| anyhow::anyhow!("wasm-split: {err:?}"))?
    };
    bindgen(&main_split, "web", "tickerboard", &bindgen_dir, &["--keep-lld-exports", "--no-demangle"])?;
    bindgen(&wasm_out().join("worker.wasm"), "no-modules", "worker", &bindgen_dir, &[])?;

    let mut chunks = Vec::new();
    for module in &split.split_modules {
        let name = module.file_name().context("a chunk without a name")?.to_string_lossy().into_owned();
        if name.ends_with(".wasm") {
            optimise(module)?;
            chunks.push(module.clone());
        }
    }
    optimise(&bindgen_dir.join("tickerboard_bg.wasm"))?;
    optimise(&bindgen_dir.join("worker_bg.wasm"))?;

    recreate(dist)?;
    let files = assets::Assets {
        chunks: &chunks,
        split_link: &split_dir.join(assets::SPLIT_LINK),
        bindgen: &bindgen_dir,
        root: &paths::root(),
    }
    .write(dist)?;
    println!(
        "build: the app in {:.1} s into {} ({} chunks: {})",
        start.elapsed().as_secs_f64(),
        dist.display(),
        chunks.len(),
        describe(&split.prefetch_map)
    );
    Ok(files)
}

/// `cargo <args>` for the release wasm32 build.
fn cargo(args: &[&str]) -> Result<()> {
    let (verb, rest) = args.split_first().context("no cargo verb")?;
    let status = paths::command("cargo")
        // Leptos' type-erased components (every component an `AnyView`):
        // the same views in 8 % fewer brotli bytes (measured on this app,
        // 382 → 349 KB for the whole, unsplit), as cargo-leptos builds in
        // development. Set for every crate, so it is the wasm32 release
        // build's own cache.
        .env("RUSTFLAGS", "--cfg erase_components")
        .arg(verb)
        .args(["--release", "--target", "wasm32-unknown-unknown", "--package", "tickerboard", "--target-dir"])
        .arg(cargo_target())
        .args(rest)
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    ensure!(status.success(), "cargo {} failed", args.join(" "));
    Ok(())
}

/// wasm-bindgen (the version Cargo.lock names, from `cargo xtask setup`).
fn bindgen(input: &Path, target: &str, name: &str, out: &Path, extra: &[&str]) -> Result<()> {
    let status = paths::command("wasm-bindgen")
        .arg(format!("--target={target}"))
        .arg(format!("--out-name={name}"))
        .arg("--out-dir")
        .arg(out)
        .arg("--no-typescript")
        .args(extra)
        .arg(input)
        .status()
        .context("running wasm-bindgen")?;
    ensure!(status.success(), "wasm-bindgen failed on {}", input.display());
    Ok(())
}

/// `wasm-opt -Oz` in place (binaryen from npm: Debian's breaks wasm-bindgen's
/// output), with the features Rust's wasm32 target emits.
fn optimise(wasm: &Path) -> Result<()> {
    let status = paths::command("wasm-opt")
        .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
        .args(["--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"])
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .status()
        .context("running wasm-opt")?;
    if !status.success() {
        bail!("wasm-opt failed on {}", wasm.display());
    }
    Ok(())
}

fn recreate(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

/// "lab: split_lab, chunk_3; …", for the build's log line.
fn describe(prefetch: &std::collections::HashMap<String, Vec<String>>) -> String {
    let sorted: BTreeMap<_, _> = prefetch.iter().collect();
    sorted.iter().map(|(split, files)| format!("{split}: {}", files.join(", "))).collect::<Vec<_>>().join("; ")
}
