//! `cargo xtask serve`: by default one server answers the release build
//! (precompressed, cached by content hash) and the API on one origin; with
//! `--dev` the dev server serves the app and proxies `/api` to the market
//! API. After SIGINT (Ctrl+C) every server is gone and every port is free
//! within 5 s.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    sync::mpsc,
    thread,
    time::{Duration, Instant},
};

use nix::{
    sys::signal::{Signal, kill},
    unistd::Pid,
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

/// A plain HTTP/1.1 GET on loopback; returns the whole response as text.
fn http_get(port: u16, path: &str) -> String {
    String::from_utf8_lossy(&http_get_with(port, path, "")).into_owned()
}

/// A plain HTTP/1.1 GET on loopback with `extra` header lines (each ending
/// in `\r\n`); returns the whole response's bytes.
fn http_get_with(port: u16, path: &str, extra: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer demo\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// The head of an HTTP response (status line and headers), lower-cased.
fn head_of(response: &[u8]) -> String {
    let end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(response.len());
    String::from_utf8_lossy(&response[..end]).to_ascii_lowercase()
}

/// The pids `serve` reports on lines like `... (pid 123, ...`.
fn pid_in(line: &str) -> Option<i32> {
    let rest = line.split("(pid ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// `cargo xtask serve` with `args`, its stdout echoed and sent line by line.
fn spawn_serve(args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("serve")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting cargo xtask serve");
    let (lines_tx, lines_rx) = mpsc::channel();
    let stdout = serve.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("serve: {line}");
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    (serve, lines_rx)
}

/// Waits until every port in `ports` accepts connections (the builds come
/// first: allow cold ones) and returns the pids serve reported.
fn wait_until_up(serve: &mut Child, lines: &mpsc::Receiver<String>, ports: &[u16]) -> Vec<i32> {
    let start = Instant::now();
    let mut pids = Vec::new();
    while !ports.iter().all(|&port| open(port)) {
        assert!(serve.try_wait().unwrap().is_none(), "serve exited before its servers were up");
        assert!(start.elapsed() < Duration::from_secs(1500), "the servers did not come up within 25 minutes");
        while let Ok(line) = lines.try_recv() {
            pids.extend(pid_in(&line));
        }
        thread::sleep(Duration::from_millis(250));
    }
    thread::sleep(Duration::from_millis(300));
    while let Ok(line) = lines.try_recv() {
        pids.extend(pid_in(&line));
    }
    for pid in &pids {
        assert!(Path::new(&format!("/proc/{pid}")).exists(), "pid {pid} is running before Ctrl+C");
    }
    pids
}

/// Sends serve SIGINT, as Ctrl+C does, and checks that within 5 s it has
/// exited cleanly, `ports` are free and none of `pids` is left.
fn interrupt_and_check_all_gone(mut serve: Child, ports: &[u16], pids: Vec<i32>) {
    kill(Pid::from_raw(serve.id() as i32), Signal::SIGINT).unwrap();
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = serve.try_wait().unwrap() {
            break status;
        }
        assert!(stopping.elapsed() < Duration::from_secs(5), "serve still running 5 s after SIGINT");
        thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "serve exited with {status}");
    while ports.iter().any(|&port| open(port)) {
        assert!(stopping.elapsed() < Duration::from_secs(5), "a port is still open 5 s after SIGINT");
        thread::sleep(Duration::from_millis(50));
    }
    for pid in pids {
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.split(") ").nth(1).is_some_and(|s| s.starts_with('Z')));
        assert!(!alive, "pid {pid} survived serve's shutdown");
    }
}

#[test]
fn serve_dev_proxies_the_api_and_ctrl_c_stops_both_servers_within_five_seconds() {
    let (api_port, web_port) = (free_port(), free_port());
    let (api, web) = (api_port.to_string(), web_port.to_string());
    let (mut serve, lines) = spawn_serve(&["--dev", "--no-setup", "--api-port", &api, "--port", &web]);
    let pids = wait_until_up(&mut serve, &lines, &[api_port, web_port]);
    assert_eq!(pids.len(), 2, "serve reports the API's and trunk's pids: {pids:?}");

    // The dev server answers the app's same-origin API calls through its proxy.
    let quote = http_get(web_port, "/api/v1/quotes/aapl");
    assert!(quote.starts_with("HTTP/1.1 200"), "{quote}");
    assert!(quote.contains(r#""symbol":"AAPL""#), "{quote}");

    interrupt_and_check_all_gone(serve, &[api_port, web_port], pids);
}

#[test]
fn serve_answers_the_release_build_and_the_api_on_one_origin_and_ctrl_c_stops_it() {
    let port = free_port();
    let (mut serve, lines) = spawn_serve(&["--no-setup", "--port", &port.to_string()]);
    let pids = wait_until_up(&mut serve, &lines, &[port]);
    assert_eq!(pids.len(), 1, "serve reports the one server's pid: {pids:?}");

    // The page, never kept without asking again.
    let page = http_get(port, "/t/BRK.B");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(head_of(page.as_bytes()).contains("cache-control: no-cache"), "{page}");
    // The module web/start.js loads, named in its tag (Trunk.toml's `pattern_script`).
    let wasm = page
        .split("data-tickerboard-wasm=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("index.html names no wasm module: {page}"))
        .trim_start_matches('/')
        .to_owned();
    assert!(wasm.ends_with(".wasm"), "{wasm}");

    // The app's wasm, precompressed and immutable.
    let answer = http_get_with(port, &format!("/{wasm}"), "Accept-Encoding: gzip, deflate, br\r\n");
    let head = head_of(&answer);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-encoding: br"), "{head}");
    assert!(head.contains("content-type: application/wasm"), "{head}");
    assert!(head.contains("cache-control: public, max-age=31536000, immutable"), "{head}");
    assert!(head.contains("vary: accept-encoding"), "{head}");

    // The API on the same origin.
    let quote = http_get(port, "/api/v1/quotes/aapl");
    assert!(quote.starts_with("HTTP/1.1 200"), "{quote}");
    assert!(quote.contains(r#""symbol":"AAPL""#), "{quote}");

    interrupt_and_check_all_gone(serve, &[port], pids);
}
