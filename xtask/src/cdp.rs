//! The Chrome DevTools protocol through ChromeDriver: `POST
//! /session/{id}/goog/cdp/execute` with `{"cmd": "Domain.method", "params":
//! {…}}` runs one DevTools command on the session's current page and answers
//! its result. [`execute`] sends any command; the functions below are the
//! typed ones the checks use (the cache, network and CPU throttling, going
//! offline, a script before every document's own).
//!
//! Emulation set here holds for the tab, across its navigations, until it is
//! changed or the session ends: set it before `goto`, and clear it (or end the
//! session) before the next check relies on a fast network.

use std::fmt;

use fantoccini::{Client, error::CmdError, wd::WebDriverCompatibleCommand};
use serde_json::{Value, json};

/// A DevTools command that failed.
#[derive(Debug)]
pub struct CdpError {
    /// The command, such as `Network.clearBrowserCache`.
    pub command: String,
    /// What ChromeDriver (or Chromium behind it) answered.
    pub source: CmdError,
}

impl fmt::Display for CdpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the DevTools command {} failed: {}", self.command, self.source)
    }
}

impl std::error::Error for CdpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Network conditions as a phone on a slow link sees them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkConditions {
    /// Added to every request's round trip, in milliseconds.
    pub rtt_ms: f64,
    /// Download throughput, in bits per second.
    pub down_bits_per_s: f64,
    /// Upload throughput, in bits per second.
    pub up_bits_per_s: f64,
}

impl NetworkConditions {
    /// Lighthouse's "slow 4G" as the issue measures it: 150 ms RTT, 1.6 Mbit/s
    /// down, 750 kbit/s up.
    pub const SLOW_4G: NetworkConditions =
        NetworkConditions { rtt_ms: 150.0, down_bits_per_s: 1_600_000.0, up_bits_per_s: 750_000.0 };

    /// The parameters of `Network.emulateNetworkConditions`, whose throughputs
    /// are in bytes per second.
    fn params(&self, offline: bool) -> Value {
        json!({
            "offline": offline,
            "latency": self.rtt_ms,
            "downloadThroughput": self.down_bits_per_s / 8.0,
            "uploadThroughput": self.up_bits_per_s / 8.0,
        })
    }
}

/// Runs the DevTools command `command` with `params` on the session's page
/// and returns its result (`{}` for most commands).
pub async fn execute(client: &Client, command: &str, params: Value) -> Result<Value, CdpError> {
    let cmd = Execute { body: json!({ "cmd": command, "params": params }).to_string() };
    client.issue_cmd(cmd).await.map_err(|source| CdpError { command: command.to_owned(), source })
}

/// Empties the browser's HTTP cache (`Network.clearBrowserCache`): the next
/// load downloads everything.
pub async fn clear_cache(client: &Client) -> Result<(), CdpError> {
    execute(client, "Network.clearBrowserCache", json!({})).await.map(drop)
}

/// Bypasses the HTTP cache for every request while `disabled`
/// (`Network.setCacheDisabled`).
pub async fn set_cache_disabled(client: &Client, disabled: bool) -> Result<(), CdpError> {
    execute(client, "Network.enable", json!({})).await?;
    execute(client, "Network.setCacheDisabled", json!({ "cacheDisabled": disabled })).await.map(drop)
}

/// Throttles the network (`Network.enable`, then
/// `Network.emulateNetworkConditions`) to `rtt_ms` of added round trip and
/// the given throughputs in bits per second.
pub async fn throttle_network(client: &Client, rtt_ms: f64, down_bits: f64, up_bits: f64) -> Result<(), CdpError> {
    let conditions = NetworkConditions { rtt_ms, down_bits_per_s: down_bits, up_bits_per_s: up_bits };
    emulate_network(client, conditions.params(false)).await
}

/// Cuts the network: every request fails as it would offline.
pub async fn go_offline(client: &Client) -> Result<(), CdpError> {
    let none = NetworkConditions { rtt_ms: 0.0, down_bits_per_s: 0.0, up_bits_per_s: 0.0 };
    emulate_network(client, none.params(true)).await
}

/// Lifts network and CPU throttling (and going offline).
pub async fn clear_throttling(client: &Client) -> Result<(), CdpError> {
    // -1 is DevTools' "no limit" for both throughputs.
    let unlimited = json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 });
    emulate_network(client, unlimited).await?;
    throttle_cpu(client, 1.0).await
}

/// Slows the page's CPU by `rate` (`Emulation.setCPUThrottlingRate`; 4.0 is
/// a mid-range phone as Lighthouse models it, 1.0 none).
pub async fn throttle_cpu(client: &Client, rate: f64) -> Result<(), CdpError> {
    execute(client, "Emulation.setCPUThrottlingRate", json!({ "rate": rate })).await.map(drop)
}

/// Runs `source` in every new document of the tab before any of the page's
/// own scripts (`Page.addScriptToEvaluateOnNewDocument`); returns the
/// script's identifier.
pub async fn add_script_on_new_document(client: &Client, source: &str) -> Result<String, CdpError> {
    let answer = execute(client, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await?;
    Ok(answer.get("identifier").and_then(Value::as_str).unwrap_or_default().to_owned())
}

/// Stops running the script `identifier` in new documents.
pub async fn remove_script_on_new_document(client: &Client, identifier: &str) -> Result<(), CdpError> {
    execute(client, "Page.removeScriptToEvaluateOnNewDocument", json!({ "identifier": identifier })).await.map(drop)
}

async fn emulate_network(client: &Client, params: Value) -> Result<(), CdpError> {
    execute(client, "Network.enable", json!({})).await?;
    execute(client, "Network.emulateNetworkConditions", params).await.map(drop)
}

/// ChromeDriver's `POST /session/{id}/goog/cdp/execute`, which the W3C
/// protocol lacks.
#[derive(Debug)]
struct Execute {
    body: String,
}

impl WebDriverCompatibleCommand for Execute {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughputs_go_to_devtools_in_bytes_per_second() {
        let params = NetworkConditions::SLOW_4G.params(false);
        assert_eq!(params["latency"], 150.0);
        assert_eq!(params["downloadThroughput"], 200_000.0, "1.6 Mbit/s");
        assert_eq!(params["uploadThroughput"], 93_750.0, "750 kbit/s");
        assert_eq!(params["offline"], false);
    }

    #[test]
    fn the_command_goes_to_the_sessions_cdp_endpoint() {
        let cmd = Execute { body: json!({"cmd": "Network.clearBrowserCache", "params": {}}).to_string() };
        let base = url::Url::parse("http://127.0.0.1:9515/").unwrap();
        let url = cmd.endpoint(&base, Some("abc")).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9515/session/abc/goog/cdp/execute");
        let (method, body) = cmd.method_and_body(&url);
        assert_eq!(method, http::Method::POST);
        assert_eq!(body.as_deref(), Some(r#"{"cmd":"Network.clearBrowserCache","params":{}}"#));
    }
}
