//! The provider's day budget as this browser has spent it (Twelve Data's
//! free plan: 800 credits a day). The count is kept in `localStorage`, so a
//! reload or another tab goes on from what was spent, and mirrored in memory
//! for a browser that saves nothing. Once it is spent, calls stop until the
//! day renews, rather than being refused one by one by the provider.

use std::cell::Cell;

use providers::{DayBudget, DayTally, ProviderError};

use crate::storage::{self, Area};

/// The `localStorage` key of a provider's tally.
pub fn storage_key(budget: &DayBudget) -> String {
    format!("tickerboard.day_budget.{}", budget.provider.slug())
}

thread_local! {
    /// The last tally read or written: the fallback when storage is unavailable.
    static MIRROR: Cell<DayTally> = const { Cell::new(DayTally { day: 0, spent: 0 }) };
}

fn load(budget: &DayBudget) -> DayTally {
    let saved = storage::read(Area::Local, &storage_key(budget)).ok().flatten();
    saved.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_else(|| MIRROR.get())
}

fn save(budget: &DayBudget, tally: DayTally) {
    MIRROR.set(tally);
    if let Ok(text) = serde_json::to_string(&tally) {
        // Storage full or off: the mirror keeps counting for this page.
        let _ = storage::write(Area::Local, &storage_key(budget), &text);
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Counts `cost` credits if today's budget has room; otherwise the error
/// that says it is spent and when it renews (and nothing is sent).
pub fn spend(budget: &DayBudget, cost: u32) -> Result<(), ProviderError> {
    let mut tally = load(budget);
    let spent = budget.spend(&mut tally, cost, now_ms());
    save(budget, tally);
    spent
}

/// Gives back `cost` credits of a call the provider refused whole.
pub fn refund(budget: &DayBudget, cost: u32) {
    let mut tally = load(budget);
    budget.refund(&mut tally, cost, now_ms());
    save(budget, tally);
}

/// The provider said today's budget is spent: nothing more is asked today.
pub fn spent_up(budget: &DayBudget) {
    let mut tally = load(budget);
    budget.spent_up(&mut tally, now_ms());
    save(budget, tally);
}

/// Credits left today.
pub fn left(budget: &DayBudget) -> u32 {
    budget.left(load(budget), now_ms())
}
