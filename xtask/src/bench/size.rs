//! The bundle's first-load files and their sizes, raw and gzipped at level 9
//! (through [`crate::compress::gzip`]): where the bytes are, for information
//! in the report (the budget judges what the browser received, measured by
//! [`super::first_load`]).

use std::path::Path;

use anyhow::{Context, Result, ensure};
use serde::{Deserialize, Serialize};

use crate::compress;

/// The first load's files, raw and gzip (in `report.json`, the list itself).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Size {
    pub files: Vec<BundleFile>,
}

/// One file `index.html` names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BundleFile {
    /// Its name in the build's root folder.
    #[serde(rename = "file")]
    pub name: String,
    /// Its bytes as built.
    pub raw: u64,
    /// Its bytes gzipped at level 9.
    pub gzip: u64,
}

impl Size {
    /// The files' gzip bytes.
    pub fn gzip_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.gzip).sum()
    }

    /// The files' gzip bytes in KB.
    pub fn total_kb(&self) -> f64 {
        self.gzip_bytes() as f64 / 1024.0
    }
}

/// The wasm, JS and CSS that `index.html` names (its `href`s and `src`s;
/// chunks loaded on first use are not among them), each gzipped at level 9.
pub fn bundle_files(site: &Path) -> Result<Size> {
    let html = std::fs::read_to_string(site.join("index.html")).context("reading the build's index.html")?;
    let mut names: Vec<String> = ["href=\"/", "src=\"/"]
        .iter()
        .flat_map(|attribute| html.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| [".wasm", ".js", ".css"].iter().any(|ext| name.ends_with(ext)))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    let mut size = Size::default();
    for name in names {
        let path = site.join(&name);
        let bytes = std::fs::read(&path).with_context(|| format!("index.html names {name}, not in the build"))?;
        let gzipped = compress::gzip(&bytes).with_context(|| format!("gzipping {}", path.display()))?;
        size.files.push(BundleFile { name, raw: bytes.len() as u64, gzip: gzipped.len() as u64 });
    }
    ensure!(size.files.iter().any(|f| f.name.ends_with(".wasm")), "index.html in {} names no wasm", site.display());
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_files_are_those_index_html_names() {
        let site = tempfile::tempdir().unwrap();
        let html = r#"<link rel="modulepreload" href="/app-1.js"><link rel="preload" href="/app_bg-2.wasm">
            <link rel="stylesheet" href="/main-3.css"><script src="/start-4.js"></script><a href="/lab">lab</a>"#;
        std::fs::write(site.path().join("index.html"), html).unwrap();
        for name in ["app-1.js", "app_bg-2.wasm", "main-3.css", "start-4.js", "chunk_9-5.wasm"] {
            std::fs::write(site.path().join(name), name.repeat(100)).unwrap();
        }
        let size = bundle_files(site.path()).unwrap();
        let names: Vec<&str> = size.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["app-1.js", "app_bg-2.wasm", "main-3.css", "start-4.js"], "no lazily loaded chunk");
        assert!(size.files.iter().all(|f| f.gzip < f.raw), "gzip shrinks repeated text: {:?}", size.files);
    }
}
