//! What every report states about where it ran: the date, the machine, the
//! browser and rustc ([`host`]), and for the report the Python and the server
//! ([`machine`]).

use crate::paths;

/// The machine and the versions of everything measured.
pub fn machine() -> Vec<(String, String)> {
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
