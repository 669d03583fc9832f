//! The report's orchestration: one optimised API server serving the build,
//! the app's lab and the peers run over HTTP/1.1 and HTTP/2 case by case
//! ([`measure`]), then the first-load case; the result saved to
//! `target/bench/report.json` and published ([`super::report::publish`]).
//! Also the first-load case alone and a render of the last report.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};

use super::{
    first_load,
    host::machine,
    lab::run_lab,
    peers::{self, PeerResult},
    plan::{AIOHTTP_LIMIT, Plan, Protocol, in_flight, lab_ideal, refresh_calls, rounds},
    report::{ASYNCIO_PEER, JS_PEER, Report, Row, publish},
    size::{Size, bundle_files},
};
use crate::{paths, process, setup, webdriver::Browser};

/// Runs the whole comparison and writes the report; fails (after writing
/// it) if the first load is over [`crate::budget::FIRST_LOAD_BUDGET_BYTES`].
pub fn run(plan: &Plan, no_setup: bool, update_docs: bool) -> Result<()> {
    let started = Instant::now();
    if !no_setup {
        setup::run(setup::Needs::NoTrunk)?;
    }
    let python = peers::python_env()?;
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
    let origins = [
        (Protocol::Http1, format!("http://127.0.0.1:{}", ports[0])),
        (Protocol::Http2, format!("https://127.0.0.1:{}", ports[1])),
    ];

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
    std::fs::write(out.join("report.json"), report.to_json()?)?;
    publish(&report, update_docs)
}

/// Runs the first-load case alone (`cargo xtask bench --first-load`) and
/// puts it into the last report (`report.json`, if there is one) and
/// `docs/first-load.md`; fails (after writing them) if the first load is over
/// the budget.
pub fn run_first_load(no_setup: bool, update_docs: bool) -> Result<()> {
    let started = Instant::now();
    let comparison = first_load::run(no_setup)?;
    let path = paths::target().join("bench").join("report.json");
    let last = std::fs::read_to_string(&path).ok().and_then(|text| Report::from_json(&text).ok());
    let mut report = match last {
        Some(report) => report,
        None => Report {
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
    std::fs::write(&path, report.to_json()?)?;
    publish(&report, update_docs)
}

/// Renders `target/bench/report.md` (and the copy in `docs/benchmarks.md`,
/// with `update_docs`) again from `report.json`, without measuring: for a change
/// of the report's layout or goals.
pub fn render(update_docs: bool) -> Result<()> {
    let path = paths::target().join("bench").join("report.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {} (run the bench first)", path.display()))?;
    let report = Report::from_json(&text).with_context(|| format!("reading {}", path.display()))?;
    publish(&report, update_docs)
}

/// Every case of `plan` by the app's lab strategies and the peers that fit
/// its limit, each row printed as it is measured.
async fn measure(
    plan: &Plan,
    browser: &Browser,
    origins: &[(Protocol, String)],
    python: &Path,
    symbols: &[String],
    symbols_file: &Path,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let fits = |ideal_ms: f64| ideal_ms <= plan.max_ideal.as_secs_f64() * 1e3;
    for &(n, l) in &plan.cases {
        for &(protocol, ref origin) in origins {
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
                if let Some(seen) = mine.iter().find(|r| r.protocol != protocol.name()) {
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
                let js = peers::run_js(browser, origin, n, l, plan.runs(ideal), symbols).await?;
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
            let result = peers::run_python(python, base, strategy, workers, n, l, plan.runs(ideal), symbols_file)?;
            rows.push(peer_row(n, l, Protocol::Http1, name, result, ideal));
            print_row(rows.last().expect("just pushed"));
        }
    }
    Ok(rows)
}

fn peer_row(n: usize, latency_ms: u64, protocol: Protocol, client: &str, result: PeerResult, ideal_ms: f64) -> Row {
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
/// Copies the files (not the folders) of `from` into `to`.
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
