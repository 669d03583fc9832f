//! Headless Chromium over WebDriver: ChromeDriver as a child process, a
//! fantoccini session with the flags root needs, and the browser console log.

use std::{process::Stdio, time::Duration};

use anyhow::{Context, Result};
use fantoccini::{Client, ClientBuilder, wd::WebDriverCompatibleCommand};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::{
    paths,
    process::{self, Service},
};

/// Chromium's flags for a headless run as root on a machine without outside network.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
    // The API server's HTTP/2 listener has a self-signed certificate.
    "--ignore-certificate-errors",
    // Checks read numbers as en-US writes them (the app follows the locale).
    "--lang=en-US",
    // Frames at the display's rate even when headless (the lab's frame meter).
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    // The soak reads the JS heap exactly (not in coarse buckets) after a forced GC.
    "--enable-precise-memory-info",
    "--js-flags=--expose-gc",
];

/// A browser session and the ChromeDriver behind it (stopped on drop).
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    _driver: Service,
}

impl Browser {
    /// Starts ChromeDriver and opens a headless Chromium session that records
    /// the console log.
    pub async fn start() -> Result<Browser> {
        let port = process::free_port()?;
        let mut command = paths::command("chromedriver");
        command.arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null());
        let mut driver = Service::spawn("chromedriver", command)?;
        process::wait_for_port(&mut driver, port, Duration::from_secs(20))?;

        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "args": CHROMIUM_FLAGS },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!("a JSON object") };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("opening a Chromium session through chromedriver")?;
        Ok(Browser { client, _driver: driver })
    }

    /// The console entries since the last call, as (level, message).
    pub async fn console_log(&self) -> Result<Vec<(String, String)>> {
        let entries = self.client.issue_cmd(BrowserLog).await.context("reading the browser log")?;
        Ok(entries
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        let field = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                        (field("level"), field("message"))
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Runs `script` in the page and returns its result.
    pub async fn eval(&self, script: &str) -> Result<Value> {
        self.client.execute(script, vec![]).await.with_context(|| format!("running {script:?}"))
    }

    /// Runs `script` as an async function body: it finishes by calling its
    /// last argument with the result.
    pub async fn eval_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client.execute_async(script, args).await.with_context(|| format!("running {script:?}"))
    }

    /// Closes the session.
    pub async fn close(self) -> Result<()> {
        self.client.close().await.context("closing the browser")
    }
}

/// ChromeDriver's `POST /session/{id}/se/log` with `{"type":"browser"}`: the
/// console log, which the W3C protocol lacks.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}
