//! The report: each measured [`Row`] beside its ideal and the peers, the
//! issue's goals met or missed, the first-load comparison and the bundle's
//! sizes, as markdown (`target/bench/report.md`, `docs/first-load.md`, the
//! copy in `docs/benchmarks.md`); as `report.json` through serde (the figures
//! written for its readers beside it are [`super::report_json`]'s).

use std::{fmt::Write as _, path::PathBuf};

use anyhow::{Result, ensure};
use serde::{Deserialize, Serialize};

use super::{first_load_report::Comparison, plan::Protocol, size::Size};
use crate::{
    budget::{FIRST_LOAD_BUDGET_BYTES, kb},
    paths,
};

/// The plain-JavaScript peer's name in the report.
pub const JS_PEER: &str = "JS Promise.all";
/// The article's asyncio client's name in the report.
pub const ASYNCIO_PEER: &str = "Python asyncio.gather + aiohttp";

/// One measured client on one case.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// Quotes asked for.
    pub n: usize,
    /// The server's latency per answer.
    pub latency_ms: u64,
    /// `HTTP/1.1` or `HTTP/2`.
    pub protocol: Protocol,
    /// Who asked: `app · <strategy>` or a peer's name.
    pub client: String,
    /// Whether the quotes went in batches rather than one request each.
    #[serde(default)]
    pub batched: bool,
    /// Each run's wall time (a run that gave none is left out on reading).
    #[serde(deserialize_with = "super::report_json::numbers")]
    pub walls_ms: Vec<f64>,
    /// Quotes that failed, over all runs.
    pub errors: u64,
    /// The critical path: ceil(N / at once) · L.
    pub ideal_ms: f64,
}

impl Row {
    /// The median of the runs' wall times (NaN for none).
    pub fn median(&self) -> f64 {
        let mut walls = self.walls_ms.clone();
        walls.sort_by(f64::total_cmp);
        walls.get(walls.len() / 2).copied().unwrap_or(f64::NAN)
    }

    /// The median over the ideal (none for an ideal of 0).
    pub fn over_ideal(&self) -> Option<f64> {
        (self.ideal_ms > 0.0).then(|| self.median() / self.ideal_ms)
    }
}

/// A benchmark report: what was measured, where, and how long it took.
#[derive(Debug, Serialize, Deserialize)]
pub struct Report {
    /// Date, machine and versions, as the report lists them.
    pub machine: Vec<(String, String)>,
    /// How long the measuring took.
    pub seconds: f64,
    /// The bundle's first-load files (`first_load` in the JSON).
    #[serde(rename = "first_load")]
    pub size: Size,
    /// The first-load case against the React peer, when it ran.
    #[serde(rename = "first_load_comparison", default)]
    pub first_load: Option<Comparison>,
    /// Every client on every case, in the order measured.
    #[serde(serialize_with = "super::report_json::rows_with_figures")]
    pub rows: Vec<Row>,
}

impl Report {
    /// The row of `client` on N = `n`, L = `l` over `protocol`.
    pub fn find(&self, n: usize, l: u64, protocol: Protocol, client: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.n == n && r.latency_ms == l && r.protocol == protocol && r.client == client)
    }

    /// `row`'s median over `peer`'s on the same N and L (over `protocol`),
    /// as the table shows it ("—" for the peer itself or when it did not run).
    pub fn versus(&self, row: &Row, protocol: Protocol, peer: &str) -> String {
        self.find(row.n, row.latency_ms, protocol, peer)
            .filter(|p| p.client != row.client)
            .map_or("—".to_owned(), |p| format!("{:.2}", row.median() / p.median()))
    }

    /// The goals, each as (what, measured, goal, met): the app's
    /// default refresh ("app · refresh") unless the goal says per request.
    pub fn goals(&self) -> Vec<(String, String, String, Option<bool>)> {
        let mut goals = Vec::new();
        let mut goal = |what: String, value: f64, target: f64, digits: usize| {
            goals.push((what, format!("{value:.digits$}"), format!("≤ {target}"), Some(value <= target)));
        };
        for protocol in [Protocol::Http1, Protocol::Http2] {
            if let (Some(seq), Some(all)) =
                (self.find(5, 1000, protocol, "app · sequential"), self.find(5, 1000, protocol, "app · refresh"))
            {
                goal(format!("5 × 1 s, {protocol}: refresh / sequential"), all.median() / seq.median(), 0.22, 3);
            }
        }
        // N = 1000 over HTTP/1.1 needs two rounds (ten calls, six connections):
        // the goal is for HTTP/2.
        for (n, target, protocols) in
            [(100, 1.15, &[Protocol::Http2, Protocol::Http1][..]), (1000, 1.5, &[Protocol::Http2][..])]
        {
            for &protocol in protocols {
                if let Some(row) = self.find(n, 200, protocol, "app · refresh") {
                    goal(
                        format!("N = {n}, L = 200 ms, refresh, {protocol}: wall / L"),
                        row.median() / 200.0,
                        target,
                        2,
                    );
                }
            }
        }
        for protocol in [Protocol::Http1, Protocol::Http2] {
            if let (Some(app), Some(js)) =
                (self.find(1000, 0, protocol, "app · join_all"), self.find(1000, 0, protocol, "JS Promise.all"))
            {
                goal(
                    format!("N = 1000, L = 0, per quote, {protocol}: app join_all / JS Promise.all"),
                    app.median() / js.median(),
                    1.2,
                    2,
                );
            }
        }
        goals.extend(self.first_load.iter().flat_map(Comparison::goals));
        goals
    }

    /// The report as markdown: the machine, the goals, every row, the first
    /// load and the bundle's files.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        // `--first-load` alone, with no earlier report: its section says the rest.
        let first_load_only = self.rows.is_empty() && self.first_load.is_some();
        if first_load_only {
            let _ = writeln!(md, "### Benchmark report (`cargo xtask bench --first-load`: the first load only)\n");
        } else {
            let _ = writeln!(md, "### Benchmark report (`cargo xtask bench`)\n");
            for (key, value) in &self.machine {
                let _ = writeln!(md, "- {key}: {value}");
            }
            let _ = writeln!(
                md,
                "- method: every client asks the same optimised API server for N quotes, each answered after L \
                 (`x-tickerboard-latency-ms`); median of 3 runs (1 when the ideal is over 5 s); runs whose ideal \
                 exceeds the plan's limit are skipped. The ideal is the critical path: ceil(N / at once) · L.\n"
            );
        }
        let _ = writeln!(md, "| goal | measured | target | met |\n|---|---|---|---|");
        for (what, measured, target, met) in self.goals() {
            let met = match met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            };
            let _ = writeln!(md, "| {what} | {measured} | {target} | {met} |");
        }
        if !first_load_only {
            let _ = writeln!(
                md,
                "\n| N | L | protocol | client | requests | median wall | × ideal | × JS | × asyncio | errors |\n|---|---|---|---|---|---|---|---|---|---|"
            );
        }
        for row in &self.rows {
            let vs_js = self.versus(row, row.protocol, JS_PEER);
            let vs_asyncio = self.versus(row, Protocol::Http1, ASYNCIO_PEER);
            let ratio = row.over_ideal().map_or("—".to_owned(), |r| format!("{r:.2}"));
            let kind = if row.batched { "batched" } else { "per quote" };
            let _ = writeln!(
                md,
                "| {} | {} ms | {} | {} | {kind} | {} | {ratio} | {vs_js} | {vs_asyncio} | {} |",
                row.n,
                row.latency_ms,
                row.protocol,
                row.client,
                wall(row.median()),
                row.errors
            );
        }
        if let Some(comparison) = &self.first_load {
            let _ = writeln!(md, "\n{}", comparison.markdown());
        }
        if self.size.files.is_empty() {
            return md;
        }
        let _ = writeln!(
            md,
            "\nThe bundle's first-load files, gzip -9 (information; the goal judges the bytes the browser received): {}",
            self.size
                .files
                .iter()
                .map(|f| format!("{} {:.1} KB ({:.1} KB raw)", f.name, f.gzip as f64 / 1024.0, f.raw as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
        md
    }
}

/// Writes report.md (and `docs/first-load.md`), prints it, updates the copy
/// in `docs/benchmarks.md` if asked, and fails if the first load is over
/// budget.
pub fn publish(report: &Report, update_docs: bool) -> Result<()> {
    let out = paths::target().join("bench");
    let markdown = report.markdown();
    std::fs::write(out.join("report.md"), &markdown)?;
    println!("\n{markdown}");
    println!("bench: wrote {} and report.json (measured in {:.0} s)", out.join("report.md").display(), report.seconds);
    if let Some(comparison) = &report.first_load {
        let docs = paths::root().join("docs").join("first-load.md");
        std::fs::write(&docs, comparison.document())?;
        println!("bench: wrote {}", docs.display());
    }
    if update_docs {
        docs_update(&markdown)?;
    }
    if let Some(bytes) = report.first_load.as_ref().and_then(Comparison::first_load_bytes) {
        ensure!(
            bytes <= FIRST_LOAD_BUDGET_BYTES,
            "size check failed: the first load of / is {bytes} bytes ({}) as transferred, over the budget of {}",
            kb(bytes),
            kb(FIRST_LOAD_BUDGET_BYTES)
        );
    }
    Ok(())
}

/// A wall time as the table shows it: seconds from 1 s, else milliseconds.
fn wall(ms: f64) -> String {
    if ms >= 1000.0 { format!("{:.2} s", ms / 1000.0) } else { format!("{ms:.0} ms") }
}

/// The page that holds a copy of the report, between [`BENCH_BEGIN`] and
/// [`BENCH_END`].
fn benchmarks_page() -> PathBuf {
    paths::root().join("docs").join("benchmarks.md")
}

/// Where the report's copy in [`benchmarks_page`] begins.
const BENCH_BEGIN: &str = "<!-- bench:begin -->";
/// Where it ends.
const BENCH_END: &str = "<!-- bench:end -->";

/// Puts the report between the `<!-- bench:begin -->` and
/// `<!-- bench:end -->` markers of `docs/benchmarks.md`.
fn docs_update(markdown: &str) -> Result<()> {
    let path = benchmarks_page();
    let page = std::fs::read_to_string(&path)?;
    std::fs::write(&path, between_markers(&page, markdown)?)?;
    println!("bench: updated the report in {}", path.display());
    Ok(())
}

/// `page` with `markdown` in place of whatever stood between its bench
/// markers (the markers kept).
fn between_markers(page: &str, markdown: &str) -> Result<String> {
    let (Some(a), Some(b)) = (page.find(BENCH_BEGIN), page.find(BENCH_END)) else {
        anyhow::bail!("docs/benchmarks.md has no {BENCH_BEGIN} … {BENCH_END} markers");
    };
    ensure!(a < b, "docs/benchmarks.md has {BENCH_END} before {BENCH_BEGIN}");
    Ok(format!("{}{BENCH_BEGIN}\n{markdown}{}", &page[..a], &page[b..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{first_load_report, size::BundleFile};

    #[test]
    fn the_report_states_goals_met_and_missed() {
        let row = |client: &str, protocol, n, l, wall: f64| Row {
            n,
            latency_ms: l,
            protocol,
            client: client.to_owned(),
            batched: client.contains("batched"),
            walls_ms: vec![wall, wall * 2.0, wall * 0.5],
            errors: 0,
            ideal_ms: 200.0,
        };
        let report = Report {
            rows: vec![
                row("app · sequential", Protocol::Http2, 5, 1000, 5000.0),
                row("app · refresh", Protocol::Http2, 5, 1000, 1010.0),
                row("app · refresh", Protocol::Http2, 1000, 200, 400.0),
                row(JS_PEER, Protocol::Http2, 1000, 200, 2000.0),
                row(ASYNCIO_PEER, Protocol::Http1, 1000, 200, 2100.0),
            ],
            size: Size {
                files: vec![BundleFile { name: "tickerboard-1.wasm".to_owned(), raw: 900_000, gzip: 300 * 1024 }],
            },
            machine: vec![("date".to_owned(), "today".to_owned()), ("browser".to_owned(), "Chromium".to_owned())],
            seconds: 1.0,
            first_load: Some(first_load_report::example(3.0)),
        };
        let goals = report.goals();
        let met = |prefix: &str| goals.iter().find(|g| g.0.starts_with(prefix)).map(|g| g.3);
        assert_eq!(met("5 × 1 s, HTTP/2"), Some(Some(true)), "{goals:?}");
        assert_eq!(met("N = 1000, L = 200 ms, refresh, HTTP/2"), Some(Some(false)), "2.0 L is over 1.5");
        assert_eq!(met("first load of `/`"), Some(Some(false)), "270 KB transferred is over budget");
        assert_eq!(met("time to five prices, throttled"), Some(Some(false)), "3× the peer's");
        let json = report.to_json().unwrap();
        let again = Report::from_json(&json).unwrap();
        assert_eq!(again.markdown(), report.markdown(), "the report survives its JSON");
        let written: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(written["rows"][2]["median_ms"], 400.0, "{json}");
        assert_eq!(written["rows"][2]["over_ideal"], 2.0, "{json}");
        assert_eq!(written["first_load_gzip_bytes"], 300 * 1024, "{json}");
        assert_eq!(written["goals"].as_array().map(Vec::len), Some(goals.len()), "{json}");
        let md = report.markdown();
        // Each row beside the peers on the same N and L: plain JS over its protocol, asyncio over HTTP/1.1.
        assert!(
            md.contains("| 1000 | 200 ms | HTTP/2 | app · refresh | per quote | 400 ms | 2.00 | 0.20 | 0.19 | 0 |"),
            "{md}"
        );
        assert!(
            md.contains("| 1000 | 200 ms | HTTP/2 | JS Promise.all | per quote | 2.00 s | 10.00 | — | 0.95 | 0 |"),
            "{md}"
        );
    }

    #[test]
    fn the_report_goes_between_the_markers_of_docs_benchmarks_md() {
        let page = format!("# Benchmarks\n\nbefore\n\n{BENCH_BEGIN}\nold report\n{BENCH_END}\n\nafter\n");
        let updated = between_markers(&page, "new report\n").unwrap();
        assert_eq!(updated, format!("# Benchmarks\n\nbefore\n\n{BENCH_BEGIN}\nnew report\n{BENCH_END}\n\nafter\n"));
        assert!(between_markers("no markers", "x").is_err());
        assert!(between_markers(&format!("{BENCH_END}{BENCH_BEGIN}"), "x").is_err());
        let real = std::fs::read_to_string(benchmarks_page()).unwrap();
        let again = between_markers(&real, "x").expect("docs/benchmarks.md keeps its bench markers");
        assert!(again.contains(&format!("{BENCH_BEGIN}\nx{BENCH_END}")), "{again}");
    }
}
