//! `cargo xtask screenshot`: the README's picture, taken from the release build
//! with the seed profile so the timing line reads as in the article.

use std::{path::PathBuf, time::Duration};

use anyhow::{Context, Result};
use clap::Args;

use crate::{
    e2e::{AppUnderTest, page::load_dashboard},
    paths, setup,
    webdriver::Browser,
};

/// Options of `cargo xtask screenshot`.
#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// Shoot an app that is already running (e.g. `cargo xtask serve`'s URL)
    /// instead of building and serving one.
    #[arg(long)]
    url: Option<String>,
    /// Where to save the PNG.
    #[arg(long, default_value = "docs/screenshot.png")]
    out: PathBuf,
}

/// Loads the app in headless Chromium, waits for the first refresh, saves a PNG
/// and prints what the page measured.
pub fn run(args: &ScreenshotArgs) -> Result<()> {
    setup::run(setup::Needs::NoTrunk)?;
    let app = match &args.url {
        Some(_) => None,
        None => Some(AppUnderTest::start("seed")?),
    };
    let url = args.url.clone().or_else(|| app.as_ref().map(|a| a.url.clone())).unwrap_or_default();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let browser = Browser::start().await?;
        let reading = load_dashboard(&browser, &url, Duration::from_secs(15)).await?;
        let png = browser.client.screenshot().await.context("taking the screenshot")?;
        browser.close().await?;
        let path = paths::root().join(&args.out);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(&path, png)?;
        println!(
            "screenshot: {} — rows filled {:.2} s after load; the page reads wall {:.2} s, sum {:.2} s",
            path.display(),
            reading.filled_after.as_secs_f64(),
            reading.wall,
            reading.sum
        );
        Ok(())
    })
}
