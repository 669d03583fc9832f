//! The release build's files as served: every file the first screen loads
//! gets a content-hashed name (`main-0123456789abcdef.css`), so the server
//! can let browsers keep it for a year (`immutable`), and `index.html` is
//! written from the template trunk also reads (its `data-trunk` tags).

use std::{
    fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};

/// The module the split wasm imports its chunk loaders from.
pub const SPLIT_LINK: &str = "./__wasm_split.js";
/// The wasm-bindgen module the chunk loader takes the app's exports from.
pub const MAIN_MODULE: &str = "./tickerboard.js";

/// The pipeline's outputs, before naming.
pub struct Assets<'a> {
    /// The split chunks (`split_lab.wasm`, `chunk_3.wasm`, …), optimised.
    pub chunks: &'a [PathBuf],
    /// wasm-split's chunk loader (JavaScript).
    pub split_link: &'a Path,
    /// wasm-bindgen's output: `tickerboard.js`, `tickerboard_bg.wasm`, `worker.js`, `worker_bg.wasm`.
    pub bindgen: &'a Path,
    /// The workspace (where `index.html` and its assets are).
    pub root: &'a Path,
}

/// The first 16 hex digits of the SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// `stem-<hash>.ext` for `name` (`main.css` → `main-0123456789abcdef.css`).
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    match name.split_once('.') {
        Some((stem, ext)) => format!("{stem}-{hash}.{ext}"),
        None => format!("{name}-{hash}"),
    }
}

impl Assets<'_> {
    /// Writes every file into `dist` (which exists and is empty) and returns their names.
    pub fn write(&self, dist: &Path) -> Result<Vec<String>> {
        let mut written = Vec::new();
        let mut put = |name: &str, bytes: &[u8]| -> Result<String> {
            fs::write(dist.join(name), bytes).with_context(|| format!("writing {name}"))?;
            written.push(name.to_owned());
            Ok(format!("/{name}"))
        };

        // The chunks first: the loader names them.
        let mut link = fs::read_to_string(self.split_link).context("reading wasm-split's loader")?;
        for chunk in self.chunks {
            let name = file_name(chunk)?;
            let bytes = fs::read(chunk)?;
            let hashed = hashed_name(&name, &bytes);
            let quoted = format!("\"./{name}\"");
            ensure!(link.contains(&quoted), "wasm-split's loader does not name {name}");
            link = link.replace(&quoted, &format!("\"./{hashed}\""));
            put(&hashed, &bytes)?;
        }

        let wasm = fs::read(self.bindgen.join("tickerboard_bg.wasm"))?;
        let wasm_url = put(&hashed_name("tickerboard_bg.wasm", &wasm), &wasm)?;

        // The app's module and the chunk loader import each other, so neither
        // can be named after its own bytes alone: both take the hash of the two.
        let main = fs::read_to_string(self.bindgen.join("tickerboard.js"))?;
        let both = content_hash(format!("{main}\u{0}{link}").as_bytes());
        let main_name = format!("tickerboard-{both}.js");
        let link_name = format!("__wasm_split-{both}.js");
        let main = replace_import(&main, SPLIT_LINK, &format!("./{link_name}"))?;
        let link = replace_import(&link, MAIN_MODULE, &format!("./{main_name}"))?;
        let main_url = put(&main_name, main.as_bytes())?;
        let link_url = put(&link_name, link.as_bytes())?;

        // The lab's worker is started by its fixed name (`/worker.js`), and
        // gloo-worker derives the wasm's from it: these two are not hashed
        // (the server answers them `no-cache`), and no first screen loads them.
        for name in ["worker.js", "worker_bg.wasm"] {
            put(name, &fs::read(self.bindgen.join(name))?)?;
        }

        let template = fs::read_to_string(self.root.join("index.html")).context("reading index.html")?;
        let app = format!(
            "<link rel=\"modulepreload\" href=\"{main_url}\" />\n    \
             <link rel=\"modulepreload\" href=\"{link_url}\" />\n    \
             <link rel=\"preload\" href=\"{wasm_url}\" as=\"fetch\" type=\"application/wasm\" crossorigin />\n    "
        );
        let mut html = String::new();
        let mut rest = template.as_str();
        let mut app_placed = false;
        while let Some(at) = next_trunk_tag(rest) {
            html.push_str(&rest[..at]);
            let (tag, after) = split_tag(&rest[at..])?;
            rest = after;
            let attrs = attributes(tag);
            let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            let is_script = tag.starts_with("<script");
            match (is_script, get("rel")) {
                (false, Some("rust")) => {
                    if !app_placed {
                        html.push_str(&app);
                        app_placed = true;
                    } else {
                        // The tag's line is gone: drop the indentation before it.
                        trim_line_end(&mut html);
                        rest = rest.strip_prefix('\n').unwrap_or(rest);
                    }
                }
                (false, Some(rel @ ("css" | "icon"))) => {
                    let url = self.copy_hashed(get("href").context("a data-trunk link without href")?, &mut put)?;
                    let rel = if rel == "css" { "stylesheet" } else { "icon" };
                    html.push_str(&format!("<link rel=\"{rel}\" href=\"{url}\" />"));
                }
                (false, Some("copy-file")) => {
                    let source = get("href").context("a copy-file link without href")?;
                    ensure!(source.ends_with("start.js"), "copy-file {source}: only web/start.js is expected");
                    let url = self.copy_hashed(source, &mut put)?;
                    html.push_str(&format!(
                        "<script type=\"module\" src=\"{url}\" data-tickerboard-js=\"{main_url}\" data-tickerboard-wasm=\"{wasm_url}\"></script>"
                    ));
                }
                (true, _) => {
                    let url = self.copy_hashed(get("src").context("a data-trunk script without src")?, &mut put)?;
                    let kept: Vec<String> = attrs
                        .iter()
                        .filter(|(k, _)| k != "data-trunk" && k != "src")
                        .map(|(k, v)| if v.is_empty() { k.clone() } else { format!("{k}=\"{v}\"") })
                        .collect();
                    html.push_str(&format!("<script {} src=\"{url}\"></script>", kept.join(" ")));
                }
                (_, other) => bail!("index.html: a data-trunk tag this build does not know (rel={other:?})"),
            }
        }
        html.push_str(rest);
        ensure!(app_placed, "index.html has no data-trunk rust link");
        put("index.html", html.as_bytes())?;
        Ok(written)
    }

    /// Copies the workspace file `source` under its hashed name; returns its URL.
    fn copy_hashed(&self, source: &str, put: &mut impl FnMut(&str, &[u8]) -> Result<String>) -> Result<String> {
        let path = self.root.join(source);
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        put(&hashed_name(&file_name(&path)?, &bytes), &bytes)
    }
}

fn file_name(path: &Path) -> Result<String> {
    Ok(path.file_name().context("a path without a file name")?.to_string_lossy().into_owned())
}

/// Replaces the module path of `from "<old>"` (either quote) in `js`.
fn replace_import(js: &str, old: &str, new: &str) -> Result<String> {
    let mut out = js.to_owned();
    let mut found = false;
    for quote in ['"', '\''] {
        let needle = format!("from {quote}{old}{quote}");
        if out.contains(&needle) {
            out = out.replace(&needle, &format!("from {quote}{new}{quote}"));
            found = true;
        }
    }
    ensure!(found, "no `from \"{old}\"` import to rename");
    Ok(out)
}

fn next_trunk_tag(html: &str) -> Option<usize> {
    [html.find("<link data-trunk"), html.find("<script data-trunk")].into_iter().flatten().min()
}

/// Splits `<tag …>` (and a script's `</script>`) from what follows.
fn split_tag(html: &str) -> Result<(&str, &str)> {
    let end = html.find('>').context("an unclosed tag in index.html")? + 1;
    if html.starts_with("<script") {
        let close = html.find("</script>").context("a script without </script>")?;
        return Ok((&html[..end], &html[close + "</script>".len()..]));
    }
    Ok((&html[..end], &html[end..]))
}

/// The `name="value"` (or bare `name`) attributes of a tag.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    let mut rest = inner.split_once(char::is_whitespace).map_or("", |(_, r)| r).trim();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let name = rest[..name_end].to_owned();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(quoted) = after.strip_prefix('"') {
                let close = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..close].to_owned();
                rest = quoted.get(close + 1..).unwrap_or("").trim_start();
            } else {
                let close = after.find(char::is_whitespace).unwrap_or(after.len());
                value = after[..close].to_owned();
                rest = after[close..].trim_start();
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

fn trim_line_end(html: &mut String) {
    while html.ends_with(' ') {
        html.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_sixteen_hex_digits_of_the_content() {
        let name = hashed_name("main.css", b"body {}");
        assert!(name.starts_with("main-") && name.ends_with(".css"), "{name}");
        assert_eq!(name.len(), "main-.css".len() + 16);
        assert_ne!(name, hashed_name("main.css", b"body { }"), "other bytes, another name");
        assert_eq!(hashed_name("tickerboard_bg.wasm", b"x"), format!("tickerboard_bg-{}.wasm", content_hash(b"x")));
    }

    #[test]
    fn attributes_are_read_with_or_without_values() {
        let attrs = attributes(r#"<script data-trunk async src="web/shell.js">"#);
        assert_eq!(
            attrs,
            vec![
                ("data-trunk".to_owned(), String::new()),
                ("async".to_owned(), String::new()),
                ("src".to_owned(), "web/shell.js".to_owned())
            ]
        );
        let attrs = attributes(r#"<link data-trunk rel="css" href="style/main.css" />"#);
        assert_eq!(attrs[1], ("rel".to_owned(), "css".to_owned()));
        assert_eq!(attrs[2], ("href".to_owned(), "style/main.css".to_owned()));
    }

    #[test]
    fn only_the_import_path_is_renamed() {
        let js = "import * as a from './__wasm_split.js';\nimports['./__wasm_split.js'] = a;";
        let out = replace_import(js, SPLIT_LINK, "./__wasm_split-00.js").unwrap();
        assert!(out.contains("from './__wasm_split-00.js'"));
        assert!(out.contains("imports['./__wasm_split.js']"), "the wasm's own import name stays: {out}");
        assert!(replace_import("nothing", SPLIT_LINK, "x").is_err());
    }
}
