//! The provider's day budget as this browser has spent it (Twelve Data's
//! free plan: 800 credits a day). The count is kept in `localStorage`, one
//! per provider address, so a reload or another tab goes on from what was
//! spent, and mirrored in memory for a browser that cannot save it. Once it
//! is spent, calls stop until the day renews, rather than being refused one
//! by one by the provider.

use std::cell::RefCell;

use providers::{DayBudget, DayTally, ProviderError};

use crate::storage::{self, Area};

/// A provider's day count at one address (`localStorage` key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// The plan's day.
    pub budget: DayBudget,
    /// `tickerboard.day_budget.<provider>@<address>`: an emulator's count
    /// never mixes with the real provider's.
    pub key: String,
}

thread_local! {
    /// The last tally of each key read or written: the fallback when
    /// storage is unavailable, or refuses to save.
    static MIRROR: RefCell<Vec<(String, DayTally)>> = const { RefCell::new(Vec::new()) };
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

impl DayCount {
    /// The count of `budget` for the provider at `base_url`.
    pub fn new(budget: DayBudget, base_url: &str) -> Self {
        DayCount { budget, key: format!("tickerboard.day_budget.{}@{base_url}", budget.provider.slug()) }
    }

    fn mirrored(&self) -> Option<DayTally> {
        MIRROR.with_borrow(|m| m.iter().find(|(k, _)| *k == self.key).map(|(_, t)| *t))
    }

    /// What was spent today: the saved tally, or the mirror's if it counted
    /// more (a save that failed).
    fn load(&self, now_ms: u64) -> DayTally {
        let saved = storage::read(Area::Local, &self.key).ok().flatten();
        let saved = saved.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
        let (saved, mirrored) =
            (self.budget.today(saved, now_ms), self.budget.today(self.mirrored().unwrap_or_default(), now_ms));
        if mirrored.spent > saved.spent { mirrored } else { saved }
    }

    fn save(&self, tally: DayTally) {
        MIRROR.with_borrow_mut(|m| match m.iter_mut().find(|(k, _)| *k == self.key) {
            Some(entry) => entry.1 = tally,
            None => m.push((self.key.clone(), tally)),
        });
        if let Ok(text) = serde_json::to_string(&tally) {
            // Storage full or off: the mirror keeps counting for this page.
            let _ = storage::write(Area::Local, &self.key, &text);
        }
    }

    fn update<T>(&self, change: impl FnOnce(&DayBudget, &mut DayTally, u64) -> T) -> T {
        let now = now_ms();
        let mut tally = self.load(now);
        let result = change(&self.budget, &mut tally, now);
        self.save(tally);
        result
    }

    /// Counts `cost` credits if today's budget has room; otherwise the error
    /// that says it is spent and when it renews (and nothing is sent).
    pub fn spend(&self, cost: u32) -> Result<(), ProviderError> {
        self.update(|budget, tally, now| budget.spend(tally, cost, now))
    }

    /// Gives back `cost` credits of a call the provider did not charge.
    pub fn refund(&self, cost: u32) {
        self.update(|budget, tally, now| budget.refund(tally, cost, now));
    }

    /// The provider said today's budget is spent: nothing more is asked today.
    pub fn spent_up(&self) {
        self.update(|budget, tally, now| budget.spent_up(tally, now));
    }

    /// Credits left today.
    pub fn left(&self) -> u32 {
        let now = now_ms();
        self.budget.left(self.load(now), now)
    }
}
