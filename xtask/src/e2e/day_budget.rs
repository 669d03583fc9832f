//! Twelve Data's day budget, end to end against the emulator (issue 9's
//! budget, for the day as for the minute): a browser calling Twelve Data
//! directly stops calling once the plan's credits for the day are spent —
//! counted by itself, or said by the provider (the key may be used
//! elsewhere too) — and its rows say when the budget renews. A reload
//! remembers what was spent. The emulator's own counters prove that no call
//! went out after the budget was spent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, ensure};

use super::{
    AppUnderTest, E2eTrial,
    page::{ALL_PRICED, click, wait_for},
    providers::{HELD, MINUTE_MS, emulator, emulator_stats, use_twelve_data_direct},
};
use crate::webdriver::Browser;

/// An emulated day: 1440 emulated minutes.
const DAY_MS: u64 = MINUTE_MS * 1440;
/// What a row says when the day has fewer credits left than its call needs.
const SHORT: &str = "only 2 of the day's credits are left and this call needs 5; the budget renews in";

/// Both day-budget trials, each against its own emulator (800 credits a
/// day for the first, 6 for the second).
pub fn trials() -> Vec<E2eTrial> {
    vec![
        E2eTrial::new("providers_twelve_data_direct_day_budget_counted_here", |lane| {
            lane.run(async {
                let emulator = emulator("providers-day-counted.log")?;
                counted_here(&lane.browser, &emulator.url).await
            })
        }),
        E2eTrial::new("providers_twelve_data_direct_day_spent_by_the_provider", |lane| {
            lane.run(async {
                let stingy = AppUnderTest::serve(
                    &["--emulate-minute-ms", &MINUTE_MS.to_string(), "--emulate-twelvedata-per-day", "6"],
                    "providers-day-emulator.log",
                )?;
                said_by_the_provider(&lane.browser, &stingy.url).await
            })
        }),
    ]
}

/// The emulator's requests so far for Twelve Data.
async fn requests(browser: &Browser, emulator: &str) -> Result<u64> {
    let stats = emulator_stats(browser, emulator, "GET").await?;
    stats["twelvedata"]["requests"].as_u64().context("the emulator's request count")
}

/// Keeps a check inside one emulated day: waits out the day's last three
/// minutes (real ones: a check's longest waits add up to less), and its
/// first three emulated minutes (where the app takes a refusal for the day
/// as maybe the old day's).
async fn away_from_midnight() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let (into, left) = (now % DAY_MS, DAY_MS - now % DAY_MS);
    let wait = if left < 180_000 { left + 3 * MINUTE_MS } else { (3 * MINUTE_MS).saturating_sub(into) };
    tokio::time::sleep(Duration::from_millis(wait)).await;
}

/// Waits until the emulator has counted `count` Twelve Data requests.
async fn until_requests(browser: &Browser, emulator: &str, count: u64, limit: Duration) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        let seen = requests(browser, emulator).await?;
        if seen >= count {
            return Ok(());
        }
        ensure!(started.elapsed() < limit, "the emulator counted {seen} requests, not {count}, in {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every row says `words`: a JS expression, the first row's text or false.
fn every_row_says(words: &str) -> String {
    format!(
        "(() => {{ const s = Array.from(document.querySelectorAll('[data-testid=quote-row]')).map(r => r.textContent);
        return s.length > 0 && s.every(t => t.includes({words:?})) && s[0]; }})()"
    )
}

/// Every row has said the day is spent.
fn all_spent() -> String {
    every_row_says("the day's budget of credits is spent; it renews in")
}

/// The budget line's words.
const BUDGET: &str = "document.querySelector('[data-testid=budget]')?.textContent ?? ''";

/// The budget line now, for a failure's message.
async fn budget_line(browser: &Browser) -> String {
    browser.eval(&format!("return {BUDGET};")).await.map_or_else(|e| format!("nothing ({e})"), |v| v.to_string())
}

/// A day of 12 credits, 5 symbols a refresh: two refreshes spend 10; the
/// third needs 5 with 2 left, so it is not sent (its rows say so), nor is
/// the one after a reload.
async fn counted_here(browser: &Browser, emulator: &str) -> Result<String> {
    away_from_midnight().await;
    // Start in a fresh emulated minute, with its eight credits whole.
    tokio::time::sleep(Duration::from_millis(MINUTE_MS)).await;
    use_twelve_data_direct(browser, emulator, &format!("{emulator}emulate/twelvedata"), &HELD, Some(12)).await?;
    let before = requests(browser, emulator).await?;
    browser.client.goto(emulator).await?;
    wait_for(browser, "the first five prices", ALL_PRICED, Duration::from_secs(20)).await?;
    let today = |n: u32| format!("({BUDGET}).endsWith('; {n} of 12 left today') && ({BUDGET})");
    let after_one = match wait_for(browser, "7 of 12 left today", &today(7), Duration::from_secs(5)).await {
        Ok(line) => line,
        Err(err) => return Err(err.context(format!("the budget line read {}", budget_line(browser).await))),
    };
    click(browser, "[data-testid=refresh]").await?;
    // The second refresh waits for the next emulated minute (8 a minute), then spends 5 more.
    wait_for(browser, "2 of 12 left today", &today(2), Duration::from_millis(2 * MINUTE_MS + 5_000)).await?;
    until_requests(browser, emulator, before + 2, Duration::from_secs(10)).await?;
    let done = "!document.querySelector('[data-testid=progress]:not([hidden])')";
    wait_for(browser, "the second refresh to end", done, Duration::from_secs(10)).await?;
    let sent = requests(browser, emulator).await? - before;
    click(browser, "[data-testid=refresh]").await?;
    let short = every_row_says(SHORT);
    let said = wait_for(browser, "every row to say the day is short", &short, Duration::from_secs(10)).await?;
    let said = said.as_str().unwrap_or_default().trim().to_owned();
    // A reload goes on from what was spent: its first refresh is not sent either.
    browser.client.goto(emulator).await?;
    wait_for(browser, "the reloaded rows to say the day is short", &short, Duration::from_secs(10)).await?;
    let total = requests(browser, emulator).await? - before;
    ensure!(sent == 2, "two refreshes of five symbols made {sent} calls (one each expected)");
    ensure!(total == sent, "{} calls went out after the day's 12 credits were spent", total - sent);
    ensure!(said.contains(SHORT), "{said}");
    Ok(format!(
        "{sent} calls for 10 credits, then none in a refresh and a reload ({} calls in all); the budget line read {:?}, \
         then {}; a row said {said:?}",
        total,
        after_one.as_str().unwrap_or_default(),
        budget_line(browser).await,
    ))
}

/// The emulated Twelve Data allows 6 credits a day; the app believes in 800.
/// The second refresh (5 more) is refused by the provider for the day; the
/// rows say so and the next refresh sends nothing.
async fn said_by_the_provider(browser: &Browser, emulator: &str) -> Result<String> {
    away_from_midnight().await;
    use_twelve_data_direct(browser, emulator, &format!("{emulator}emulate/twelvedata"), &HELD, None).await?;
    let before = requests(browser, emulator).await?;
    browser.client.goto(emulator).await?;
    wait_for(browser, "the first five prices", ALL_PRICED, Duration::from_secs(20)).await?;
    click(browser, "[data-testid=refresh]").await?;
    let wait = Duration::from_millis(2 * MINUTE_MS + 5_000);
    let said = wait_for(browser, "every row to say the day is spent", &all_spent(), wait).await?;
    let asked = requests(browser, emulator).await? - before;
    let stats = emulator_stats(browser, emulator, "GET").await?;
    let refused = stats["twelvedata"]["refused"].as_u64().unwrap_or(0);
    click(browser, "[data-testid=refresh]").await?;
    // The rows said so already: give a call time to go out, were one sent
    // (longer than a wait for the minute's credits).
    tokio::time::sleep(Duration::from_millis(MINUTE_MS + 2_000)).await;
    wait_for(browser, "the rows to say it still", &all_spent(), Duration::from_secs(10)).await?;
    let total = requests(browser, emulator).await? - before;
    let budget = budget_line(browser).await;
    ensure!(asked == 2 && refused == 1, "{asked} calls, {refused} refused (2 and 1 expected): {stats}");
    ensure!(total == asked, "{} calls after the provider said the day was spent", total - asked);
    ensure!(budget.ends_with("; 0 of 800 left today\""), "{budget}");
    Ok(format!(
        "the provider refused call 2 of {asked} for the day; then no call ({total} in all); the budget line read {budget}; a row said {:?}",
        said.as_str().unwrap_or_default().trim()
    ))
}
