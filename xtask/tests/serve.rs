//! `cargo xtask serve`: the dev server serves the app and proxies `/api` to the
//! market API; after SIGINT (Ctrl+C) both servers are gone and both ports are
//! free within 5 s.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::Path,
    process::{Command, Stdio},
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
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer demo\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// The pids `serve` reports on lines like `... (pid 123, ...`.
fn pid_in(line: &str) -> Option<i32> {
    let rest = line.split("(pid ").nth(1)?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[test]
fn serve_proxies_the_api_and_ctrl_c_stops_both_servers_within_five_seconds() {
    let (api_port, web_port) = (free_port(), free_port());
    let mut serve = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["serve", "--no-setup", "--api-port", &api_port.to_string(), "--port", &web_port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("starting cargo xtask serve");

    // Collect the pids serve reports, and notice when it says it is ready.
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

    // trunk builds the app before it listens: allow a cold build.
    let start = Instant::now();
    let mut pids = Vec::new();
    while !(open(api_port) && open(web_port)) {
        assert!(serve.try_wait().unwrap().is_none(), "serve exited before both servers were up");
        assert!(start.elapsed() < Duration::from_secs(900), "the servers did not come up within 15 minutes");
        while let Ok(line) = lines_rx.try_recv() {
            pids.extend(pid_in(&line));
        }
        thread::sleep(Duration::from_millis(250));
    }
    thread::sleep(Duration::from_millis(300));
    while let Ok(line) = lines_rx.try_recv() {
        pids.extend(pid_in(&line));
    }
    assert_eq!(pids.len(), 2, "serve reports the API's and trunk's pids: {pids:?}");
    for pid in &pids {
        assert!(Path::new(&format!("/proc/{pid}")).exists(), "pid {pid} is running before Ctrl+C");
    }

    // The dev server answers the app's same-origin API calls through its proxy.
    let quote = http_get(web_port, "/api/v1/quotes/aapl");
    assert!(quote.starts_with("HTTP/1.1 200"), "{quote}");
    assert!(quote.contains(r#""symbol":"AAPL""#), "{quote}");

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
    while open(api_port) || open(web_port) {
        assert!(stopping.elapsed() < Duration::from_secs(5), "a port is still open 5 s after SIGINT");
        thread::sleep(Duration::from_millis(50));
    }
    for pid in pids {
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.split(") ").nth(1).is_some_and(|s| s.starts_with('Z')));
        assert!(!alive, "pid {pid} survived serve's shutdown");
    }
}
