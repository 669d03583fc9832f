//! The first-load comparison's figures and how they are told: the side-by-side
//! table of Tickerboard and the React + TanStack peer with the ratios, the
//! goals for the bench's goal table, the JSON kept in `report.json` (serde),
//! and `docs/first-load.md`.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::lighthouse::Audit;
use crate::budget::{FIRST_LOAD_BUDGET_BYTES, kb};

/// The two apps compared (in the JSON, [`App::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum App {
    /// Tickerboard: Leptos compiled to wasm.
    Ours,
    /// `bench/react-tanstack/`: React 19 + TanStack Query 5 + react-router 7.
    Peer,
}

impl App {
    /// The key in the JSON, the log and the Lighthouse reports' names.
    pub fn key(self) -> &'static str {
        match self {
            App::Ours => "ours",
            App::Peer => "peer",
        }
    }
}

/// One cold load of one app's `/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Load {
    pub app: App,
    #[serde(default)]
    pub throttled: bool,
    /// The page's files as received (Resource Timing's `transferSize`; no API answers).
    pub bytes: u64,
    /// From the navigation's start until five prices were in the DOM.
    pub five_prices_ms: f64,
    /// First contentful paint.
    pub fcp_ms: f64,
}

/// One Lighthouse run (in the JSON, its figures beside the app and path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audited {
    pub app: App,
    /// The page's path (`/`, `/t/AAPL`).
    #[serde(default)]
    pub path: String,
    #[serde(flatten)]
    pub audit: Audit,
}

/// One file of a cold, unthrottled load, for the per-file list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct File {
    pub app: App,
    #[serde(default)]
    pub path: String,
    pub transfer: u64,
    pub decoded: u64,
}

/// Everything the first-load case measured in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Date, machine and versions, as the bench report lists them.
    pub machine: Vec<(String, String)>,
    pub loads: Vec<Load>,
    /// Lighthouse's figures (`lighthouse` in the JSON).
    #[serde(rename = "lighthouse")]
    pub audits: Vec<Audited>,
    pub files: Vec<File>,
}

/// A row of the bench's goal table: what, measured, target, met.
pub type Goal = (String, String, String, Option<bool>);

/// One figure of a load or an audit.
type Figure<T> = fn(&T) -> f64;

/// How a figure is printed.
type Shown<'a> = &'a dyn Fn(f64) -> String;

impl Comparison {
    /// The median of `figure` over `app`'s loads, throttled or not.
    fn median(&self, app: App, throttled: bool, figure: Figure<Load>) -> Option<f64> {
        let mut values: Vec<f64> =
            self.loads.iter().filter(|l| l.app == app && l.throttled == throttled).map(figure).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied()
    }

    /// Our app's first load in bytes (median over the unthrottled cold loads).
    pub fn first_load_bytes(&self) -> Option<u64> {
        self.median(App::Ours, false, |l| l.bytes as f64).map(|b| b as u64)
    }

    fn audit(&self, app: App, path: &str) -> Option<&Audit> {
        self.audits.iter().find(|a| a.app == app && a.path == path).map(|a| &a.audit)
    }

    /// Ours over the peer's of the same median.
    fn ratio(&self, throttled: bool, figure: Figure<Load>) -> Option<f64> {
        Some(self.median(App::Ours, throttled, figure)? / self.median(App::Peer, throttled, figure)?)
    }

    /// The first-load goals.
    pub fn goals(&self) -> Vec<Goal> {
        let mut goals = Vec::new();
        let mut at_most = |what: String, value: Option<f64>, target: f64, shown: Shown| {
            if let Some(value) = value {
                goals.push((what, shown(value), format!("≤ {}", shown(target)), Some(value <= target)));
            }
        };
        let ratio = |v: f64| format!("{v:.2}");
        let seconds = |ms: f64| format!("{:.2} s", ms / 1000.0);
        let millis = |ms: f64| format!("{ms:.0} ms");
        let cls = |v: f64| format!("{v:.3}");
        let five = |l: &Load| l.five_prices_ms;
        at_most("time to five prices, throttled: ours / React peer".into(), self.ratio(true, five), 1.0, &ratio);
        at_most("time to five prices, unthrottled: ours / React peer".into(), self.ratio(false, five), 1.1, &ratio);
        let fcp = self.median(App::Ours, true, |l| l.fcp_ms);
        at_most("first contentful paint, throttled".into(), fcp, 1000.0, &seconds);
        for path in ["/", "/t/AAPL"] {
            let audit = self.audit(App::Ours, path);
            at_most(format!("Lighthouse mobile `{path}`: LCP"), audit.map(|a| a.lcp_ms), 2500.0, &seconds);
            at_most(format!("Lighthouse mobile `{path}`: CLS"), audit.map(|a| a.cls), 0.02, &cls);
            at_most(format!("Lighthouse mobile `{path}`: TBT"), audit.map(|a| a.tbt_ms), 100.0, &millis);
        }
        if let Some(bytes) = self.first_load_bytes() {
            goals.push((
                "first load of `/` as transferred (brotli)".to_owned(),
                kb(bytes),
                format!("≤ {}", kb(FIRST_LOAD_BUDGET_BYTES)),
                Some(bytes <= FIRST_LOAD_BUDGET_BYTES),
            ));
        }
        goals
    }

    /// The side-by-side table (ours, the peer's, ours / peer), then the files.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "### First load: Tickerboard against React + TanStack Query\n");
        for (key, value) in &self.machine {
            let _ = writeln!(md, "- {key}: {value}");
        }
        let runs = self.loads.iter().filter(|l| l.app == App::Ours && !l.throttled).count();
        let _ = writeln!(
            md,
            "- method: both apps served by one optimised API server binary (two instances, the same flags, \
             files precompressed); each load in a fresh Chromium session (cold cache), the two apps alternating, \
             median of {runs}; throttled = 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up and 4× CPU through the \
             DevTools protocol, set before the navigation (the e2e control measures 2–4× CPU across it on a busy \
             machine); bytes = Resource Timing's `transferSize` of the page's \
             files (no API answers); time to five prices = `performance.now()` when a `MutationObserver` installed \
             before the page's scripts first sees five price cells holding numbers; Lighthouse: the median of three \
             runs each, apps alternating, default mobile profile (simulated slow 4G, 4× CPU).\n"
        );
        let _ = writeln!(md, "| measure | Tickerboard (Leptos, wasm) | React + TanStack Query | ours / peer |");
        let _ = writeln!(md, "|---|---|---|---|");
        let mut row = |what: &str, ours: Option<f64>, peer: Option<f64>, shown: Shown| {
            let cell = |v: Option<f64>| v.map_or("—".to_owned(), shown);
            let ratio = match (ours, peer) {
                (Some(o), Some(p)) if p != 0.0 => format!("{:.2}", o / p),
                _ => "—".to_owned(),
            };
            let _ = writeln!(md, "| {what} | {} | {} | {ratio} |", cell(ours), cell(peer));
        };
        let wall = |ms: f64| if ms >= 1000.0 { format!("{:.2} s", ms / 1000.0) } else { format!("{ms:.0} ms") };
        let bytes = |b: f64| kb(b as u64);
        for throttled in [false, true] {
            let label = if throttled { "throttled" } else { "unthrottled" };
            let of = |app, figure| self.median(app, throttled, figure);
            let figures: [(&str, Figure<Load>, Shown); 3] = [
                ("bytes transferred", |l| l.bytes as f64, &bytes),
                ("time to five prices", |l| l.five_prices_ms, &wall),
                ("first contentful paint", |l| l.fcp_ms, &wall),
            ];
            for (what, figure, shown) in figures {
                row(&format!("{what}, {label}"), of(App::Ours, figure), of(App::Peer, figure), shown);
            }
        }
        let mut paths: Vec<&str> = Vec::new();
        for audited in &self.audits {
            if !paths.contains(&audited.path.as_str()) {
                paths.push(&audited.path);
            }
        }
        for path in paths {
            let (ours, peer) = (self.audit(App::Ours, path), self.audit(App::Peer, path));
            let figures: [(&str, Figure<Audit>, Shown); 5] = [
                ("performance score", |a| a.score, &|v| format!("{v:.0}")),
                ("LCP", |a| a.lcp_ms, &wall),
                ("CLS", |a| a.cls, &|v| format!("{v:.3}")),
                ("TBT", |a| a.tbt_ms, &|v| format!("{v:.0} ms")),
                ("FCP", |a| a.fcp_ms, &wall),
            ];
            for (what, figure, shown) in figures {
                row(&format!("Lighthouse mobile `{path}`: {what}"), ours.map(figure), peer.map(figure), shown);
            }
        }
        for app in [App::Ours, App::Peer] {
            let files: Vec<String> = self
                .files
                .iter()
                .filter(|f| f.app == app)
                .map(|f| format!("`{}` {} ({} decoded)", f.path, kb(f.transfer), kb(f.decoded)))
                .collect();
            let name = if app == App::Ours { "Tickerboard" } else { "React peer" };
            let _ = writeln!(md, "\n{name}'s files, cold and unthrottled, as received: {}", files.join(", "));
        }
        md
    }

    /// The page `docs/first-load.md`: the table and the goals.
    pub fn document(&self) -> String {
        let mut md = String::from(
            "# First load\n\nWritten by `cargo xtask bench --first-load` (and the full `cargo xtask bench`); \
             do not edit by hand. The budget is `FIRST_LOAD_BUDGET_BYTES` in `xtask/src/budget.rs`, which the \
             end-to-end check `first_load_of_the_watchlist_is_within_budget` also judges.\n\n",
        );
        md.push_str(&self.markdown());
        let _ = writeln!(md, "\n| goal | measured | target | met |\n|---|---|---|---|");
        for (what, measured, target, met) in self.goals() {
            let met = if met == Some(true) { "yes" } else { "**no**" };
            let _ = writeln!(md, "| {what} | {measured} | {target} | {met} |");
        }
        md
    }
}

/// A made-up comparison for tests: ours `scale` times the peer's on everything.
#[cfg(test)]
pub fn example(scale: f64) -> Comparison {
    let mut loads = Vec::new();
    for throttled in [false, true] {
        for (app, factor) in [(App::Ours, scale), (App::Peer, 1.0)] {
            for run in [1.0, 0.9, 1.2] {
                let base = if throttled { 2000.0 } else { 250.0 } * factor * run;
                loads.push(Load {
                    app,
                    throttled,
                    bytes: (90_000.0 * factor) as u64,
                    five_prices_ms: base,
                    fcp_ms: base / 2.0,
                });
            }
        }
    }
    let audit =
        |f: f64| Audit { score: 90.0 / f, lcp_ms: 2000.0 * f, cls: 0.01 * f, tbt_ms: 50.0 * f, fcp_ms: 900.0 * f };
    let audits = vec![
        Audited { app: App::Ours, path: "/".into(), audit: audit(scale) },
        Audited { app: App::Ours, path: "/t/AAPL".into(), audit: audit(scale) },
        Audited { app: App::Peer, path: "/".into(), audit: audit(1.0) },
    ];
    let files = vec![File { app: App::Ours, path: "/".into(), transfer: 1_200, decoded: 3_000 }];
    Comparison { machine: vec![("date".into(), "today".into())], loads, audits, files }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_goals_judge_ours_against_the_peer_and_the_budget() {
        let even = example(1.0);
        let goals = even.goals();
        assert_eq!(goals.len(), 10, "{goals:?}");
        let met = |goals: &[Goal], prefix: &str| goals.iter().find(|g| g.0.starts_with(prefix)).and_then(|g| g.3);
        assert_eq!(met(&goals, "time to five prices, throttled"), Some(true), "1.00 ≤ 1.0");
        assert_eq!(met(&goals, "first load"), Some(true), "90 KB");
        assert_eq!(met(&goals, "first contentful paint"), Some(true), "1.0 s at most");
        let slow = example(3.0).goals();
        assert_eq!(met(&slow, "time to five prices, unthrottled"), Some(false));
        assert_eq!(met(&slow, "first load"), Some(false), "270 KB is over budget");
        assert_eq!(met(&slow, "Lighthouse mobile `/t/AAPL`: LCP"), Some(false), "6 s");
        assert_eq!(example(3.0).first_load_bytes(), Some(270_000));
    }

    #[test]
    fn the_table_puts_both_apps_side_by_side() {
        let report = example(3.0);
        let md = report.markdown();
        assert!(md.contains("| time to five prices, throttled | 6.00 s | 2.00 s | 3.00 |"), "{md}");
        assert!(md.contains("| bytes transferred, unthrottled | 270.0 KB | 90.0 KB | 3.00 |"), "{md}");
        assert!(md.contains("| Lighthouse mobile `/t/AAPL`: LCP | 6.00 s | — | — |"), "{md}");
        assert!(md.contains("| Lighthouse mobile `/`: performance score | 30 | 90 | 0.33 |"), "{md}");
        let json = serde_json::to_string(&report).unwrap();
        let again: Comparison = serde_json::from_str(&json).unwrap();
        assert_eq!(again, report, "the comparison survives its JSON");
        let written: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(written["lighthouse"][0]["app"], "ours", "{json}");
        assert_eq!(written["lighthouse"][0]["lcp_ms"], 6000.0, "{json}");
        assert!(
            report
                .document()
                .contains("| first load of `/` as transferred (brotli) | 270.0 KB | ≤ 200.0 KB | **no** |")
        );
    }
}
