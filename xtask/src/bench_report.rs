//! `cargo xtask bench` (the report): the same quote requests made by the
//! app's lab, by a plain-JavaScript page and by the seed article's three
//! Python strategies, against one optimised API server, over HTTP/1.1 and
//! HTTP/2 — medians of several runs, each beside its ideal wall time and
//! beside the peers — plus the first-load case against the React peer
//! (`first_load`) and the bundle's file sizes. Writes
//! `target/bench/report.md` and `report.json` and prints the table.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::{
    bench_lab::run_lab,
    bench_peers::{self, PeerResult},
    budget::{FIRST_LOAD_BUDGET_BYTES, kb},
    first_load,
    first_load_report::Comparison,
    paths, process, setup,
    webdriver::Browser,
};
/// Quotes per call of the batch endpoint.
const BATCH: usize = 100;
/// aiohttp's default connection limit.
const AIOHTTP_LIMIT: usize = 100;
/// The plain-JavaScript peer's name in the report.
const JS_PEER: &str = "JS Promise.all";
/// The article's asyncio client's name in the report.
const ASYNCIO_PEER: &str = "Python asyncio.gather + aiohttp";

/// Which cases to run.
#[derive(Debug, Clone)]
pub struct Plan {
    cases: Vec<(usize, u64)>,
    /// Runs longer than this (by their ideal) are skipped.
    max_ideal: Duration,
    /// Runs per case, when not chosen by the case's ideal.
    runs: Option<usize>,
}

impl Plan {
    /// N ∈ {5, 100, 1000} × L ∈ {0, 200 ms, 1 s}; nothing whose ideal is
    /// over a minute (sequential only where N·L ≤ 60 s).
    pub fn full() -> Plan {
        let cases = [5, 100, 1000].into_iter().flat_map(|n| [0, 200, 1000].map(|l| (n, l))).collect();
        Plan { cases, max_ideal: Duration::from_secs(60), runs: None }
    }

    /// The article's 5 × 1 s and N = 100 at 200 ms, nothing over 6 s, one
    /// run each: under three minutes.
    pub fn quick() -> Plan {
        Plan { cases: vec![(5, 1000), (100, 200)], max_ideal: Duration::from_secs(6), runs: Some(1) }
    }

    /// The plan's runs per case, or the median of three when a run's ideal
    /// is at most 5 s, else one.
    fn runs(&self, ideal_ms: f64) -> usize {
        self.runs.unwrap_or(if ideal_ms <= 5000.0 { 3 } else { 1 })
    }
}

/// One measured client on one case.
#[derive(Debug, Clone)]
struct Row {
    n: usize,
    latency_ms: u64,
    protocol: &'static str,
    client: String,
    batched: bool,
    walls_ms: Vec<f64>,
    errors: u64,
    ideal_ms: f64,
}

impl Row {
    fn median(&self) -> f64 {
        let mut walls = self.walls_ms.clone();
        walls.sort_by(f64::total_cmp);
        walls.get(walls.len() / 2).copied().unwrap_or(f64::NAN)
    }

    fn over_ideal(&self) -> Option<f64> {
        (self.ideal_ms > 0.0).then(|| self.median() / self.ideal_ms)
    }
}

/// ceil(a / b) · latency, in ms.
fn rounds(requests: usize, at_once: usize, latency_ms: u64) -> f64 {
    (requests.div_ceil(at_once.max(1)) as u64 * latency_ms) as f64
}

/// Streams one host carries at once over `protocol`.
fn in_flight(protocol: &str) -> usize {
    if protocol == "HTTP/2" { 256 } else { 6 }
}

/// Calls the dashboard's refresh makes for `n` quotes: one per quote up to
/// six, else six even batches (of at most 100).
fn refresh_calls(n: usize) -> usize {
    n.div_ceil(n.div_ceil(6).clamp(1, BATCH))
}

/// The app's lab strategy's ideal.
fn lab_ideal(strategy: &str, n: usize, latency_ms: u64, protocol: &str) -> f64 {
    match strategy {
        "sequential" => rounds(n, 1, latency_ms),
        "batched" => rounds(n.div_ceil(BATCH), in_flight(protocol), latency_ms),
        "refresh" => rounds(refresh_calls(n), in_flight(protocol), latency_ms),
        _ => rounds(n, in_flight(protocol), latency_ms),
    }
}

/// Runs the whole comparison and writes the report; fails (after writing
/// it) if the first load is over [`FIRST_LOAD_BUDGET_BYTES`].
pub fn run(plan: &Plan, no_setup: bool, update_readme: bool) -> Result<()> {
    let started = Instant::now();
    if !no_setup {
        setup::run(setup::Needs::NoTrunk)?;
    }
    let python = bench_peers::python_env()?;
    let out = paths::target().join("bench");
    let site = out.join("site");
    let server = process::build_optimised_api_server()?;
    crate::build::served(&site)?;
    copy_dir(&paths::root().join("bench").join("js"), &site.join("bench"))?;
    let size = bundle_files(&site)?;
    println!("bench: the bundle's first-load files are {:.1} KB gzip -9 (information)", size.total_kb());

    let symbols: Vec<String> = market::universe::listings().iter().map(|l| l.symbol.clone()).collect();
    let symbols_file = out.join("symbols.txt");
    std::fs::write(&symbols_file, symbols.join("\n"))?;
    let site_arg = site.to_string_lossy();
    let args = ["--dist", &site_arg, "--latency-ms", "0", "--tls-port", "0"];
    let (api, ports) = process::start_api_server_ports(&server, &args, &out.join("api.log"), 2)?;
    let origins =
        [("HTTP/1.1", format!("http://127.0.0.1:{}", ports[0])), ("HTTP/2", format!("https://127.0.0.1:{}", ports[1]))];

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let rows = runtime.block_on(async {
        let browser = Browser::start().await?;
        let rows = measure(plan, &browser, &origins, &python, &symbols, &symbols_file).await;
        let _ = browser.close().await;
        rows
    })?;
    drop(api);
    let first_load = first_load::run(true)?;

    let machine = machine();
    let seconds = started.elapsed().as_secs_f64();
    let report = Report { rows, size, machine, seconds, first_load: Some(first_load) };
    std::fs::write(out.join("report.json"), serde_json::to_string_pretty(&report.json())?)?;
    publish(&report, update_readme)
}

/// Runs the first-load case alone (`cargo xtask bench --first-load`) and
/// puts it into the last report (`report.json`, if there is one) and
/// `docs/first-load.md`; fails (after writing them) if the first load is over
/// the budget.
pub fn run_first_load(no_setup: bool, update_readme: bool) -> Result<()> {
    let started = Instant::now();
    let comparison = first_load::run(no_setup)?;
    let path = paths::target().join("bench").join("report.json");
    let last = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str(&t).ok());
    let mut report = match last.as_ref().map(Report::from_json) {
        Some(Ok(report)) => report,
        _ => Report {
            rows: Vec::new(),
            size: Size::default(),
            machine: comparison.machine.clone(),
            seconds: started.elapsed().as_secs_f64(),
            first_load: None,
        },
    };
    report.first_load = Some(comparison);
    if report.rows.is_empty() {
        report.seconds = started.elapsed().as_secs_f64();
    }
    std::fs::create_dir_all(paths::target().join("bench"))?;
    std::fs::write(&path, serde_json::to_string_pretty(&report.json())?)?;
    publish(&report, update_readme)
}

/// Renders `target/bench/report.md` (and the README's copy, with
/// `update_readme`) again from `report.json`, without measuring: for a change
/// of the report's layout or goals.
pub fn render(update_readme: bool) -> Result<()> {
    let path = paths::target().join("bench").join("report.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {} (run the bench first)", path.display()))?;
    let report =
        Report::from_json(&serde_json::from_str(&text)?).with_context(|| format!("reading {}", path.display()))?;
    publish(&report, update_readme)
}

/// Writes report.md (and `docs/first-load.md`), prints it, updates the
/// README if asked, and fails if the first load is over budget.
fn publish(report: &Report, update_readme: bool) -> Result<()> {
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
    if update_readme {
        readme_update(&markdown)?;
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

async fn measure(
    plan: &Plan,
    browser: &Browser,
    origins: &[(&'static str, String)],
    python: &Path,
    symbols: &[String],
    symbols_file: &Path,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let fits = |ideal_ms: f64| ideal_ms <= plan.max_ideal.as_secs_f64() * 1e3;
    for &(n, l) in &plan.cases {
        for (protocol, origin) in origins {
            let strategies: Vec<String> = ["sequential", "join_all", "batched", "refresh"]
                .into_iter()
                .filter(|s| fits(lab_ideal(s, n, l, protocol)))
                .map(str::to_owned)
                .collect();
            let slowest = strategies.iter().map(|s| lab_ideal(s, n, l, protocol)).fold(0.0, f64::max);
            let runs = plan.runs(slowest);
            let limit = Duration::from_secs_f64(slowest / 1e3 * 3.0 * (runs * strategies.len()) as f64 + 120.0);
            let readings = run_lab(browser, origin, n, l, &strategies, runs, limit).await?;
            for strategy in &strategies {
                let mine: Vec<_> = readings.iter().filter(|r| &r.strategy == strategy).collect();
                if let Some(seen) = mine.iter().find(|r| r.protocol != *protocol) {
                    anyhow::bail!("the lab at {origin} used {}, not {protocol}", seen.protocol);
                }
                let row = Row {
                    n,
                    latency_ms: l,
                    protocol,
                    client: format!("app · {strategy}"),
                    batched: strategy == "batched" || (strategy == "refresh" && refresh_calls(n) < n),
                    walls_ms: mine.iter().map(|r| r.wall_ms).collect(),
                    errors: mine.iter().map(|r| r.errors).sum(),
                    ideal_ms: lab_ideal(strategy, n, l, protocol),
                };
                print_row(&row);
                rows.push(row);
            }
            let ideal = rounds(n, in_flight(protocol), l);
            if fits(ideal) {
                let js = bench_peers::run_js(browser, origin, n, l, plan.runs(ideal), symbols).await?;
                rows.push(peer_row(n, l, protocol, JS_PEER, js, ideal));
                print_row(rows.last().expect("just pushed"));
            }
        }
        // The Python clients speak HTTP/1.1 (without a browser's six-connection cap).
        let base = &origins[0].1;
        let pythons = [
            ("sequential", None, "Python requests, sequential", 1),
            ("threads", Some(5), "Python ThreadPoolExecutor(5)", 5),
            ("threads", Some(n), &*format!("Python ThreadPoolExecutor({n})"), n),
            ("asyncio", None, ASYNCIO_PEER, AIOHTTP_LIMIT),
        ];
        for (index, (strategy, workers, name, at_once)) in pythons.into_iter().enumerate() {
            let ideal = rounds(n, at_once, l);
            // ThreadPoolExecutor(N) is ThreadPoolExecutor(5) again when N = 5.
            let duplicate = index == 2 && n == 5;
            if !fits(ideal) || duplicate {
                continue;
            }
            let result =
                bench_peers::run_python(python, base, strategy, workers, n, l, plan.runs(ideal), symbols_file)?;
            rows.push(peer_row(n, l, "HTTP/1.1", name, result, ideal));
            print_row(rows.last().expect("just pushed"));
        }
    }
    Ok(rows)
}

fn peer_row(n: usize, latency_ms: u64, protocol: &'static str, client: &str, result: PeerResult, ideal_ms: f64) -> Row {
    Row {
        n,
        latency_ms,
        protocol,
        client: client.to_owned(),
        batched: false,
        walls_ms: result.walls_ms,
        errors: result.errors,
        ideal_ms,
    }
}

fn print_row(row: &Row) {
    let ratio = row.over_ideal().map_or("—".to_owned(), |r| format!("{r:.2}"));
    println!(
        "bench: N={:<4} L={:<4} {:<8} {:<34} median {:>9.1} ms  × ideal {ratio:>6}  errors {}",
        row.n,
        row.latency_ms,
        row.protocol,
        row.client,
        row.median(),
        row.errors
    );
}

/// The first load's files, raw and gzip.
#[derive(Debug, Clone, Default)]
struct Size {
    files: Vec<(String, u64, u64)>,
}

impl Size {
    fn total_kb(&self) -> f64 {
        self.files.iter().map(|f| f.2).sum::<u64>() as f64 / 1024.0
    }
}

/// The wasm, JS and CSS that `index.html` names (its `href`s and `src`s;
/// chunks loaded on first use are not among them), each gzipped at level 9:
/// where the bytes are, for information (the budget judges what the browser
/// received, measured by `first_load`).
fn bundle_files(site: &Path) -> Result<Size> {
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
        let raw = std::fs::metadata(&path).with_context(|| format!("index.html names {name}, not in the build"))?.len();
        let output = Command::new("gzip").args(["-9", "-c"]).arg(&path).output().context("running gzip")?;
        ensure!(output.status.success(), "gzip failed on {}", path.display());
        size.files.push((name, raw, output.stdout.len() as u64));
    }
    ensure!(size.files.iter().any(|f| f.0.ends_with(".wasm")), "index.html in {} names no wasm", site.display());
    Ok(size)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry?.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap_or_default()))?;
        }
    }
    Ok(())
}

/// The machine and the versions of everything measured.
fn machine() -> Vec<(String, String)> {
    let python = paths::target().join("bench/venv/bin/python");
    let mut machine = host();
    machine.push(("python".to_owned(), output(&python.to_string_lossy(), &["--version"])));
    machine.push((
        "server".to_owned(),
        "tickerboard-server (release), HTTP/1.1 and HTTP/2 over TLS on loopback".to_owned(),
    ));
    machine
}

/// What `program args` prints, trimmed ("unknown" if it cannot run).
fn output(program: &str, args: &[&str]) -> String {
    paths::command(program)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The date, the machine, the browser and rustc: what every report states.
pub fn host() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map_or("unknown", |l| l.trim_start_matches([' ', '\t', ':']));
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|kb| kb.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or("unknown".to_owned(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    vec![
        ("date".to_owned(), output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])),
        ("machine".to_owned(), format!("{cores} cores ({cpu}), {memory}, {}", output("uname", &["-sr"]))),
        ("browser".to_owned(), output("chromium", &["--version"])),
        ("rust".to_owned(), output("rustc", &["--version"])),
    ]
}

struct Report {
    rows: Vec<Row>,
    size: Size,
    machine: Vec<(String, String)>,
    seconds: f64,
    /// The first-load case against the React peer, when it ran.
    first_load: Option<Comparison>,
}

impl Report {
    fn find(&self, n: usize, l: u64, protocol: &str, client: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.n == n && r.latency_ms == l && r.protocol == protocol && r.client == client)
    }

    /// `row`'s median over `peer`'s on the same N and L (over `protocol`),
    /// as the table shows it ("—" for the peer itself or when it did not run).
    fn versus(&self, row: &Row, protocol: &str, peer: &str) -> String {
        self.find(row.n, row.latency_ms, protocol, peer)
            .filter(|p| p.client != row.client)
            .map_or("—".to_owned(), |p| format!("{:.2}", row.median() / p.median()))
    }

    /// The issue's goals, each as (what, measured, goal, met): the app's
    /// default refresh ("app · refresh") unless the goal says per request.
    fn goals(&self) -> Vec<(String, String, String, Option<bool>)> {
        let mut goals = Vec::new();
        let mut goal = |what: String, value: f64, target: f64, digits: usize| {
            goals.push((what, format!("{value:.digits$}"), format!("≤ {target}"), Some(value <= target)));
        };
        for protocol in ["HTTP/1.1", "HTTP/2"] {
            if let (Some(seq), Some(all)) =
                (self.find(5, 1000, protocol, "app · sequential"), self.find(5, 1000, protocol, "app · refresh"))
            {
                goal(format!("5 × 1 s, {protocol}: refresh / sequential"), all.median() / seq.median(), 0.22, 3);
            }
        }
        // N = 1000 over HTTP/1.1 needs two rounds (ten calls, six connections):
        // the goal is for HTTP/2.
        for (n, target, protocols) in [(100, 1.15, &["HTTP/2", "HTTP/1.1"][..]), (1000, 1.5, &["HTTP/2"][..])] {
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
        for protocol in ["HTTP/1.1", "HTTP/2"] {
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

    fn markdown(&self) -> String {
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
            let vs_asyncio = self.versus(row, "HTTP/1.1", ASYNCIO_PEER);
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
                .map(|(name, raw, gz)| format!(
                    "{name} {:.1} KB ({:.1} KB raw)",
                    *gz as f64 / 1024.0,
                    *raw as f64 / 1024.0
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        md
    }

    /// The report as [`Report::json`] wrote it.
    fn from_json(value: &Value) -> Result<Report> {
        let text = |v: &Value, k: &str| {
            v.get(k).and_then(Value::as_str).map(str::to_owned).with_context(|| format!("no {k:?}"))
        };
        let number = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).with_context(|| format!("no {k:?}"));
        let list =
            |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().with_context(|| format!("no {k:?}"));
        let machine = list(value, "machine")?
            .iter()
            .map(|pair| {
                let part = |i: usize| pair.get(i).and_then(Value::as_str).unwrap_or_default().to_owned();
                (part(0), part(1))
            })
            .collect();
        let files = list(value, "first_load")?
            .iter()
            .map(|f| Ok((text(f, "file")?, number(f, "raw")? as u64, number(f, "gzip")? as u64)))
            .collect::<Result<Vec<_>>>()?;
        let rows = list(value, "rows")?
            .iter()
            .map(|r| {
                let protocol = if text(r, "protocol")? == "HTTP/2" { "HTTP/2" } else { "HTTP/1.1" };
                Ok(Row {
                    n: number(r, "n")? as usize,
                    latency_ms: number(r, "latency_ms")? as u64,
                    protocol,
                    client: text(r, "client")?,
                    batched: r.get("batched").and_then(Value::as_bool).unwrap_or(false),
                    walls_ms: list(r, "walls_ms")?.iter().filter_map(Value::as_f64).collect(),
                    errors: number(r, "errors")? as u64,
                    ideal_ms: number(r, "ideal_ms")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let first_load = match value.get("first_load_comparison") {
            Some(Value::Null) | None => None,
            Some(comparison) => Some(Comparison::from_json(comparison).context("reading first_load_comparison")?),
        };
        Ok(Report { rows, size: Size { files }, machine, seconds: number(value, "seconds")?, first_load })
    }

    fn json(&self) -> Value {
        json!({
            "machine": self.machine.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "seconds": self.seconds,
            "first_load_gzip_bytes": self.size.files.iter().map(|f| f.2).sum::<u64>(),
            "first_load_comparison": self.first_load.as_ref().map(Comparison::json),
            "first_load": self.size.files.iter().map(|(name, raw, gz)| json!({"file": name, "raw": raw, "gzip": gz})).collect::<Vec<_>>(),
            "goals": self.goals().into_iter().map(|(what, measured, target, met)| json!({"goal": what, "measured": measured, "target": target, "met": met})).collect::<Vec<_>>(),
            "rows": self.rows.iter().map(|r| json!({
                "n": r.n, "latency_ms": r.latency_ms, "protocol": r.protocol, "client": r.client,
                "batched": r.batched, "walls_ms": r.walls_ms, "median_ms": r.median(), "ideal_ms": r.ideal_ms,
                "over_ideal": r.over_ideal(), "errors": r.errors,
            })).collect::<Vec<_>>(),
        })
    }
}

fn wall(ms: f64) -> String {
    if ms >= 1000.0 { format!("{:.2} s", ms / 1000.0) } else { format!("{ms:.0} ms") }
}

/// Puts the report between the README's `<!-- bench:begin -->` and
/// `<!-- bench:end -->` markers.
fn readme_update(markdown: &str) -> Result<()> {
    let path: PathBuf = paths::root().join("README.md");
    let readme = std::fs::read_to_string(&path)?;
    let (begin, end) = ("<!-- bench:begin -->", "<!-- bench:end -->");
    let (Some(a), Some(b)) = (readme.find(begin), readme.find(end)) else {
        anyhow::bail!("README.md has no {begin} … {end} markers");
    };
    let updated = format!("{}{begin}\n{markdown}{}", &readme[..a], &readme[b..]);
    std::fs::write(&path, updated)?;
    println!("bench: updated the report in {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideals_follow_the_browsers_limits() {
        assert_eq!(lab_ideal("join_all", 100, 200, "HTTP/1.1"), 3400.0);
        assert_eq!(lab_ideal("join_all", 100, 200, "HTTP/2"), 200.0);
        assert_eq!(lab_ideal("batched", 1000, 200, "HTTP/2"), 200.0);
        assert_eq!(lab_ideal("batched", 1000, 200, "HTTP/1.1"), 400.0);
        assert_eq!(lab_ideal("sequential", 5, 1000, "HTTP/2"), 5000.0);
        assert_eq!(rounds(1000, AIOHTTP_LIMIT, 200), 2000.0);
        assert_eq!(lab_ideal("refresh", 5, 200, "HTTP/1.1"), 200.0);
        assert_eq!(lab_ideal("refresh", 100, 200, "HTTP/1.1"), 200.0, "six calls of 17");
        assert_eq!(lab_ideal("refresh", 1000, 200, "HTTP/1.1"), 400.0, "ten calls of 100");
        assert_eq!(lab_ideal("refresh", 1000, 200, "HTTP/2"), 200.0);
    }

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
        let names: Vec<&str> = size.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["app-1.js", "app_bg-2.wasm", "main-3.css", "start-4.js"], "no lazily loaded chunk");
        assert!(size.files.iter().all(|f| f.2 < f.1), "gzip shrinks repeated text: {:?}", size.files);
    }

    #[test]
    fn the_full_plan_skips_runs_over_a_minute() {
        let plan = Plan::full();
        assert_eq!(plan.cases.len(), 9);
        let fits = |ms: f64| ms <= plan.max_ideal.as_secs_f64() * 1e3;
        assert!(fits(lab_ideal("sequential", 100, 200, "HTTP/1.1")), "20 s sequential runs");
        assert!(!fits(lab_ideal("sequential", 1000, 200, "HTTP/1.1")), "200 s does not");
        assert!(!fits(lab_ideal("join_all", 1000, 1000, "HTTP/1.1")), "167 rounds of 1 s do not");
        assert_eq!(plan.runs(200.0), 3);
        assert_eq!(plan.runs(20_000.0), 1);
        assert_eq!(Plan::quick().runs(200.0), 1, "quick: one run each");
    }

    #[test]
    fn the_report_states_goals_met_and_missed() {
        let row = |client: &str, protocol: &'static str, n, l, wall: f64| Row {
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
                row("app · sequential", "HTTP/2", 5, 1000, 5000.0),
                row("app · refresh", "HTTP/2", 5, 1000, 1010.0),
                row("app · refresh", "HTTP/2", 1000, 200, 400.0),
                row(JS_PEER, "HTTP/2", 1000, 200, 2000.0),
                row(ASYNCIO_PEER, "HTTP/1.1", 1000, 200, 2100.0),
            ],
            size: Size { files: vec![("tickerboard-1.wasm".to_owned(), 900_000, 300 * 1024)] },
            machine: vec![("date".to_owned(), "today".to_owned()), ("browser".to_owned(), "Chromium".to_owned())],
            seconds: 1.0,
            first_load: Some(crate::first_load_report::example(3.0)),
        };
        let goals = report.goals();
        let met = |prefix: &str| goals.iter().find(|g| g.0.starts_with(prefix)).map(|g| g.3);
        assert_eq!(met("5 × 1 s, HTTP/2"), Some(Some(true)), "{goals:?}");
        assert_eq!(met("N = 1000, L = 200 ms, refresh, HTTP/2"), Some(Some(false)), "2.0 L is over 1.5");
        assert_eq!(met("first load of `/`"), Some(Some(false)), "270 KB transferred is over budget");
        assert_eq!(met("time to five prices, throttled"), Some(Some(false)), "3× the peer's");
        let again = Report::from_json(&report.json()).unwrap();
        assert_eq!(again.markdown(), report.markdown(), "the report survives its JSON");
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
}
