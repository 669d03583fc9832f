//! `cargo xtask screenshot`: the README's picture, taken from the release build
//! with the seed profile so the timing line reads as in the article.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::{
    e2e::{AppUnderTest, load_dashboard},
    paths, setup,
    webdriver::Browser,
};

/// Builds and serves the app, loads it in headless Chromium, saves docs/screenshot.png.
pub fn run() -> Result<()> {
    setup::run()?;
    let app = AppUnderTest::start("seed")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let browser = Browser::start().await?;
        let reading = load_dashboard(&browser, &app.url, Duration::from_secs(15)).await?;
        let png = browser.client.screenshot().await.context("taking the screenshot")?;
        browser.close().await?;
        let path = paths::root().join("docs").join("screenshot.png");
        std::fs::create_dir_all(path.parent().context("docs folder")?)?;
        std::fs::write(&path, png)?;
        println!("screenshot: {} (wall {:.2} s, sum {:.2} s)", path.display(), reading.wall, reading.sum);
        Ok(())
    })
}
