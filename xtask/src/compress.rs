//! The release build's precompressed variants: `<file>.br` (brotli, quality
//! 11, window 2^24) and `<file>.gz` (gzip, level 9) beside every compressible
//! file of a built app, which the API server sends to clients that accept
//! them (`crates/server/src/app_files.rs`).

use std::{
    fmt,
    fs::{self, File},
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use brotli::enc::BrotliEncoderParams;
use flate2::{Compression, write::GzEncoder};

/// The extensions of the files worth compressing: text and wasm. Images the
/// build emits compressed already (`png`, `ico`), and `.br`/`.gz` are the
/// variants themselves.
pub const COMPRESSIBLE: [&str; 9] = ["html", "js", "mjs", "wasm", "css", "svg", "json", "txt", "webmanifest"];

/// Brotli's best quality and its largest standard window (16 MiB), so a
/// multi-megabyte wasm module is matched against all of itself.
const BROTLI_QUALITY: i32 = 11;
const BROTLI_WINDOW_BITS: i32 = 24;

/// What [`precompress`] wrote: how many files, and their sizes raw and in
/// each encoding.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Precompressed {
    /// Files given variants.
    pub files: usize,
    /// Their bytes as built.
    pub raw_bytes: u64,
    /// The bytes of their `.br` variants.
    pub br_bytes: u64,
    /// The bytes of their `.gz` variants.
    pub gz_bytes: u64,
}

impl fmt::Display for Precompressed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = |bytes: u64| if self.raw_bytes == 0 { 0.0 } else { 100.0 * bytes as f64 / self.raw_bytes as f64 };
        write!(
            f,
            "{} files, {} → brotli {} ({:.0} %), gzip {} ({:.0} %)",
            self.files,
            kib(self.raw_bytes),
            kib(self.br_bytes),
            share(self.br_bytes),
            kib(self.gz_bytes),
            share(self.gz_bytes)
        )
    }
}

/// Writes `<file>.br` and `<file>.gz` beside every file under `dist` (its
/// folders included) whose extension is one of [`COMPRESSIBLE`], replacing
/// any written before, and says what it wrote.
///
/// ```text
/// let summary = precompress(Path::new("target/serve/dist"))?;
/// println!("precompressed {summary}");
/// ```
pub fn precompress(dist: &Path) -> Result<Precompressed> {
    let mut summary = Precompressed::default();
    for path in compressible_files(dist)? {
        let raw = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let br = brotli(&raw).with_context(|| format!("compressing {} with brotli", path.display()))?;
        let gz = gzip(&raw).with_context(|| format!("compressing {} with gzip", path.display()))?;
        write_beside(&path, "br", &br)?;
        write_beside(&path, "gz", &gz)?;
        summary.files += 1;
        summary.raw_bytes += raw.len() as u64;
        summary.br_bytes += br.len() as u64;
        summary.gz_bytes += gz.len() as u64;
    }
    Ok(summary)
}

/// Whether a file of this name gets variants: its last extension is one of
/// [`COMPRESSIBLE`] (so `x.js.br` and `x.js.gz` never do).
pub fn is_compressible(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|extension| COMPRESSIBLE.contains(&extension))
}

/// Every compressible file under `dir`, in a stable order.
fn compressible_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("reading {}", dir.display()))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type().with_context(|| format!("reading {}", path.display()))?;
        if kind.is_dir() {
            found.extend(compressible_files(&path)?);
        } else if kind.is_file() && is_compressible(&path) {
            found.push(path);
        }
    }
    Ok(found)
}

fn brotli(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_WINDOW_BITS,
        size_hint: raw.len(),
        ..BrotliEncoderParams::default()
    };
    let mut out = Vec::with_capacity(raw.len() / 3);
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

/// `raw` gzipped at level 9 (`gzip -9`): the `.gz` variants, and the bench's
/// bundle sizes.
pub fn gzip(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(raw.len() / 3), Compression::best());
    encoder.write_all(raw)?;
    encoder.finish()
}

/// Writes `bytes` to `<path>.<suffix>`, replacing it.
fn write_beside(path: &Path, suffix: &str, bytes: &[u8]) -> Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    let target = PathBuf::from(name);
    let mut file = File::create(&target).with_context(|| format!("writing {}", target.display()))?;
    file.write_all(bytes).with_context(|| format!("writing {}", target.display()))
}

/// `bytes` in KiB, with one decimal.
fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// Text that compresses, with some variety so both encoders work for it.
    fn sample(len: usize) -> Vec<u8> {
        let mut state = 0x9e37_79b9_u32;
        (0..len)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                if i % 7 == 0 { b"abcdefgh"[(state >> 29) as usize] } else { b"function quote() { }\n"[i % 21] }
            })
            .collect()
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
        out
    }

    fn ungzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    fn dist_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dist = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            let path = dist.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        dist
    }

    #[test]
    fn each_variant_decompresses_to_the_original() {
        let wasm = sample(300_000);
        let js = sample(5_000);
        let dist =
            dist_with(&[("app-0123456789abcdef_bg.wasm", &wasm), ("snippets/x/inline0.js", &js), ("empty.css", b"")]);
        let summary = precompress(dist.path()).unwrap();
        for (name, raw) in
            [("app-0123456789abcdef_bg.wasm", &wasm[..]), ("snippets/x/inline0.js", &js), ("empty.css", b"")]
        {
            let path = dist.path().join(name);
            let br = fs::read(format!("{}.br", path.display())).unwrap();
            let gz = fs::read(format!("{}.gz", path.display())).unwrap();
            assert_eq!(unbrotli(&br), raw, "{name}.br");
            assert_eq!(ungzip(&gz), raw, "{name}.gz");
        }
        assert_eq!(summary.files, 3);
        assert_eq!(summary.raw_bytes, 305_000);
        assert!(summary.br_bytes < summary.raw_bytes / 4, "{summary}");
        assert!(summary.gz_bytes < summary.raw_bytes / 4, "{summary}");
        assert!(summary.br_bytes <= summary.gz_bytes, "brotli at 11 beats gzip at 9: {summary}");
    }

    #[test]
    fn only_compressible_files_get_variants_and_variants_never_do() {
        let dist = dist_with(&[
            ("index.html", b"<title>t</title>"),
            ("favicon.png", b"\x89PNG"),
            ("app.js.map", b"{}"),
            ("README", b"no extension"),
            ("old.js.br", b"a variant"),
            ("old.js.gz", b"a variant"),
        ]);
        let summary = precompress(dist.path()).unwrap();
        assert_eq!(summary.files, 1, "{summary}");
        let mut names: Vec<String> =
            fs::read_dir(dist.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "README",
                "app.js.map",
                "favicon.png",
                "index.html",
                "index.html.br",
                "index.html.gz",
                "old.js.br",
                "old.js.gz"
            ]
        );
        for name in ["x.html", "x.js", "x.mjs", "x.wasm", "x.css", "x.svg", "x.json", "x.txt", "x.webmanifest"] {
            assert!(is_compressible(Path::new(name)), "{name}");
        }
        for name in ["x.js.br", "x.wasm.gz", "x.png", "x.ico", "x.map", "x", "x.JS", ".br"] {
            assert!(!is_compressible(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn running_again_rewrites_the_variants_and_adds_none() {
        let dist = dist_with(&[("main.css", b"body { color: red }")]);
        let first = precompress(dist.path()).unwrap();
        fs::write(dist.path().join("main.css"), b"body { color: blue }").unwrap();
        let second = precompress(dist.path()).unwrap();
        assert_eq!((first.files, second.files), (1, 1));
        let br = fs::read(dist.path().join("main.css.br")).unwrap();
        assert_eq!(unbrotli(&br), b"body { color: blue }", "the variant follows the file");
        assert_eq!(fs::read_dir(dist.path()).unwrap().count(), 3, "no .br.br or .gz.gz");
    }

    #[test]
    fn the_summary_reads_in_kib_and_shares() {
        let summary = Precompressed { files: 2, raw_bytes: 4096, br_bytes: 1024, gz_bytes: 2048 };
        assert_eq!(summary.to_string(), "2 files, 4.0 KiB → brotli 1.0 KiB (25 %), gzip 2.0 KiB (50 %)");
        assert_eq!(Precompressed::default().to_string(), "0 files, 0.0 KiB → brotli 0.0 KiB (0 %), gzip 0.0 KiB (0 %)");
    }
}
