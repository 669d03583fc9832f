//! Child processes that stop when we do: each runs in its own process group,
//! and stopping sends the whole group SIGINT, then SIGKILL if it lingers.

use std::{
    fs::File,
    io::{BufRead, BufReader},
    net::{SocketAddr, TcpListener, TcpStream},
    os::unix::process::CommandExt,
    path::Path,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use nix::{
    sys::signal::{Signal, killpg},
    unistd::Pid,
};

use crate::paths;

/// A running child process group, stopped on drop.
#[derive(Debug)]
pub struct Service {
    name: String,
    child: Child,
}

impl Service {
    /// Starts `command` in a new process group.
    pub fn spawn(name: &str, mut command: Command) -> Result<Service> {
        command.process_group(0).stdin(Stdio::null());
        let child = command.spawn().with_context(|| format!("starting {name}: {command:?}"))?;
        Ok(Service { name: name.to_owned(), child })
    }

    /// The process id (also the process group id).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The child's stdout, if it was piped.
    pub fn take_stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.child.stdout.take()
    }

    /// Fails if the process has already exited.
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            None => Ok(()),
            Some(status) => bail!("{} exited unexpectedly ({status})", self.name),
        }
    }

    /// Sends the group SIGINT and waits up to 4 s, then SIGKILLs what is left.
    pub fn stop(&mut self) {
        let group = Pid::from_raw(self.child.id() as i32);
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = killpg(group, Signal::SIGINT);
            let deadline = Instant::now() + Duration::from_secs(4);
            while Instant::now() < deadline && self.child.try_wait().ok().flatten().is_none() {
                thread::sleep(Duration::from_millis(50));
            }
        }
        // The leader may be gone while its children (cargo, rustc) linger.
        let _ = killpg(group, Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port on loopback that is free right now.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Whether something accepts connections on `127.0.0.1:port`.
pub fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

/// Waits until `port` accepts connections, failing early if `service` exits.
pub fn wait_for_port(service: &mut Service, port: u16, limit: Duration) -> Result<()> {
    let start = Instant::now();
    while !port_open(port) {
        service.check_running()?;
        if start.elapsed() > limit {
            bail!("{} did not open port {port} within {limit:?}", service.name);
        }
        thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Builds the market API server (debug) and returns its binary's path.
pub fn build_api_server() -> Result<std::path::PathBuf> {
    build_api_server_as("debug")
}

/// Builds the market API server optimised for speed (`serve`, and the
/// benchmarks, where a debug server would be the bottleneck) and returns its
/// binary's path.
pub fn build_optimised_api_server() -> Result<std::path::PathBuf> {
    build_api_server_as("native")
}

/// Builds the API server with cargo profile `profile` (`debug`, or `native`:
/// optimised for speed, see the workspace's Cargo.toml),
/// once per process: the e2e lanes and trials that start servers of their own
/// all ask, and each cargo call, even with nothing to do, takes a second or two.
fn build_api_server_as(profile: &'static str) -> Result<std::path::PathBuf> {
    static BUILT: std::sync::Mutex<Vec<&str>> = std::sync::Mutex::new(Vec::new());
    let binary = paths::target().join(profile).join("tickerboard-server");
    // Held while building, so a second caller waits for the first build.
    let mut built = BUILT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if built.contains(&profile) {
        return Ok(binary);
    }
    let mut command = paths::command("cargo");
    if profile == "debug" {
        command.args(["build", "--quiet", "--package", "server", "--bin", "tickerboard-server"]);
    } else {
        // Built as the server's load test builds it (an integration test
        // builds its package's binaries, with the dev-dependencies' features
        // unified into every crate): `cargo build` would select other
        // features of tokio, hyper and axum, and the native tier would
        // compile the optimised server stack twice.
        command.args(["test", "--no-run", "--quiet", "--package", "server", "--test", "load", "--profile", profile]);
    }
    let status = command.status().context("running cargo build for the API server")?;
    if !status.success() {
        bail!("building the API server failed");
    }
    built.push(profile);
    Ok(binary)
}

/// Starts the API server with `args` (port 0 unless `args` name one), its log
/// in `log`, and returns it with the port it printed. The rest of its stdout
/// (the TLS line, if any) is read on a thread, so the server never writes to a
/// closed pipe.
pub fn start_api_server(binary: &Path, args: &[&str], log: &Path) -> Result<(Service, u16)> {
    let (service, ports) = start_api_server_ports(binary, args, log, 1)?;
    Ok((service, ports[0]))
}

/// Like [`start_api_server`], waiting for the first `lines` listening lines
/// (2 with `--tls-port`: HTTP first, then HTTPS) and returning their ports.
pub fn start_api_server_ports(binary: &Path, args: &[&str], log: &Path, lines: usize) -> Result<(Service, Vec<u16>)> {
    start_api_server_env(binary, args, &[], log, lines)
}

/// Like [`start_api_server_ports`], with `env` set for the server (provider
/// keys come only from the environment).
pub fn start_api_server_env(
    binary: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    log: &Path,
    lines: usize,
) -> Result<(Service, Vec<u16>)> {
    let mut command = Command::new(binary);
    command.envs(env.iter().copied());
    if !args.contains(&"--port") {
        command.args(["--port", "0"]);
    }
    command.args(args).stdout(Stdio::piped()).stderr(File::create(log)?);
    let mut service = Service::spawn("the market API server", command)?;
    let stdout = service.take_stdout().context("the server's stdout")?;
    let mut reader = BufReader::new(stdout);
    let mut ports = Vec::new();
    for _ in 0..lines {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let port = line
            .split_whitespace()
            .find_map(|word| word.rsplit(':').next()?.parse::<u16>().ok())
            .with_context(|| format!("the server did not say its port (said {line:?}; log in {})", log.display()))?;
        ports.push(port);
    }
    thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
    for &port in &ports {
        wait_for_port(&mut service, port, Duration::from_secs(10))?;
    }
    Ok((service, ports))
}
