//! The first-load comparison's figures and how they are told: the side-by-side
//! table of Tickerboard and the React + TanStack peer with the ratios, the
//! goals for the bench's goal table, the JSON kept in `report.json`, and
//! `docs/first-load.md`.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::{
    budget::{FIRST_LOAD_BUDGET_BYTES, kb},
    lighthouse::Audit,
};

/// The two apps compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    /// Tickerboard: Leptos compiled to wasm.
    Ours,
    /// `bench/react-tanstack/`: React 19 + TanStack Query 5 + react-router 7.
    Peer,
}

impl App {
    /// The key in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            App::Ours => "ours",
            App::Peer => "peer",
        }
    }

    fn from_key(key: &str) -> Result<App> {
        match key {
            "ours" => Ok(App::Ours),
            "peer" => Ok(App::Peer),
            other => anyhow::bail!("unknown app {other:?}"),
        }
    }
}

/// One cold load of one app's `/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub app: App,
    pub throttled: bool,
    /// The page's files as received (Resource Timing's `transferSize`; no API answers).
    pub bytes: u64,
    /// From the navigation's start until five prices were in the DOM.
    pub five_prices_ms: f64,
    /// First contentful paint.
    pub fcp_ms: f64,
}

/// One Lighthouse run.
#[derive(Debug, Clone, PartialEq)]
pub struct Audited {
    pub app: App,
    /// The page's path (`/`, `/t/AAPL`).
    pub path: String,
    pub audit: Audit,
}

/// One file of a cold, unthrottled load, for the per-file list.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub app: App,
    pub path: String,
    pub transfer: u64,
    pub decoded: u64,
}

/// Everything the first-load case measured in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Date, machine and versions, as the bench report lists them.
    pub machine: Vec<(String, String)>,
    pub loads: Vec<Load>,
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

    pub fn json(&self) -> Value {
        json!({
            "machine": self.machine.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "loads": self.loads.iter().map(|l| json!({
                "app": l.app.key(), "throttled": l.throttled, "bytes": l.bytes,
                "five_prices_ms": l.five_prices_ms, "fcp_ms": l.fcp_ms,
            })).collect::<Vec<_>>(),
            "lighthouse": self.audits.iter().map(|a| json!({
                "app": a.app.key(), "path": a.path, "score": a.audit.score, "lcp_ms": a.audit.lcp_ms,
                "cls": a.audit.cls, "tbt_ms": a.audit.tbt_ms, "fcp_ms": a.audit.fcp_ms,
            })).collect::<Vec<_>>(),
            "files": self.files.iter().map(|f| json!({
                "app": f.app.key(), "path": f.path, "transfer": f.transfer, "decoded": f.decoded,
            })).collect::<Vec<_>>(),
        })
    }

    /// The comparison as [`Comparison::json`] wrote it.
    pub fn from_json(value: &Value) -> Result<Comparison> {
        let list = |k: &str| value.get(k).and_then(Value::as_array).cloned().with_context(|| format!("no {k:?}"));
        let number = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).with_context(|| format!("no {k:?}"));
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let app = |v: &Value| App::from_key(&text(v, "app"));
        let machine = list("machine")?
            .iter()
            .map(|pair| {
                let part = |i: usize| pair.get(i).and_then(Value::as_str).unwrap_or_default().to_owned();
                (part(0), part(1))
            })
            .collect();
        let loads = list("loads")?
            .iter()
            .map(|l| {
                Ok(Load {
                    app: app(l)?,
                    throttled: l.get("throttled").and_then(Value::as_bool).unwrap_or_default(),
                    bytes: number(l, "bytes")? as u64,
                    five_prices_ms: number(l, "five_prices_ms")?,
                    fcp_ms: number(l, "fcp_ms")?,
                })
            })
            .collect::<Result<_>>()?;
        let audits = list("lighthouse")?
            .iter()
            .map(|a| {
                let audit = Audit {
                    score: number(a, "score")?,
                    lcp_ms: number(a, "lcp_ms")?,
                    cls: number(a, "cls")?,
                    tbt_ms: number(a, "tbt_ms")?,
                    fcp_ms: number(a, "fcp_ms")?,
                };
                Ok(Audited { app: app(a)?, path: text(a, "path"), audit })
            })
            .collect::<Result<_>>()?;
        let files = list("files")?
            .iter()
            .map(|f| {
                let (transfer, decoded) = (number(f, "transfer")? as u64, number(f, "decoded")? as u64);
                Ok(File { app: app(f)?, path: text(f, "path"), transfer, decoded })
            })
            .collect::<Result<_>>()?;
        Ok(Comparison { machine, loads, audits, files })
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
        assert_eq!(Comparison::from_json(&report.json()).unwrap(), report, "the comparison survives its JSON");
        assert!(
            report
                .document()
                .contains("| first load of `/` as transferred (brotli) | 270.0 KB | ≤ 200.0 KB | **no** |")
        );
    }
}
