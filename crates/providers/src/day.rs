//! A day's budget of credits, counted by the caller. Twelve Data's free plan
//! allows 800 credits a day, renewed at midnight UTC, and refuses whole calls
//! once they are spent; a caller that counts what it spent can stop before
//! that, and say when the budget renews, instead of asking in vain all day.
//!
//! Days are numbered from the Unix epoch, each [`MINUTES_PER_DAY`] of the
//! provider's minutes long (a real day, or an emulator's short one), so the
//! count starts again exactly when the provider's does.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{ProviderError, ProviderId, until_next_window};

/// A day is 1440 of the provider's minutes.
pub const MINUTES_PER_DAY: u32 = 1440;

/// The credits spent on one day (what a caller keeps, for example in
/// `localStorage`, so a reload does not forget it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayTally {
    /// The day's number since the Unix epoch.
    pub day: u64,
    /// Credits spent on it.
    pub spent: u32,
}

/// At most `limit` credits a day, for `provider`, whose minute is `minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayBudget {
    /// Whose budget.
    pub provider: ProviderId,
    /// Credits a day.
    pub limit: u32,
    /// The provider's minute (60 s; shorter against an emulator).
    pub minute: Duration,
}

impl DayBudget {
    fn day_ms(&self) -> u64 {
        (self.minute.as_millis() as u64).saturating_mul(u64::from(MINUTES_PER_DAY)).max(1)
    }

    /// `tally` as of `now_ms` (ms since the Unix epoch): a tally of another day counts nothing.
    pub fn today(&self, tally: DayTally, now_ms: u64) -> DayTally {
        let day = now_ms / self.day_ms();
        if tally.day == day { tally } else { DayTally { day, spent: 0 } }
    }

    /// Credits left today.
    pub fn left(&self, tally: DayTally, now_ms: u64) -> u32 {
        self.limit.saturating_sub(self.today(tally, now_ms).spent)
    }

    /// Counts `cost` credits into `tally` if today's budget has room for
    /// them; otherwise says it is spent, or how little is left, and when it
    /// renews.
    pub fn spend(&self, tally: &mut DayTally, cost: u32, now_ms: u64) -> Result<(), ProviderError> {
        *tally = self.today(*tally, now_ms);
        if tally.spent.saturating_add(cost) > self.limit {
            let (provider, renews_in) = (self.provider, self.renews_in(now_ms));
            return Err(match self.limit.saturating_sub(tally.spent) {
                0 => ProviderError::DayBudgetSpent { provider, renews_in },
                left => ProviderError::DayBudgetShort { provider, left, needed: cost, renews_in },
            });
        }
        tally.spent += cost;
        Ok(())
    }

    /// Gives back `cost` credits counted for a call the provider refused
    /// whole (over the minute's budget, or a bad key): it charged nothing.
    pub fn refund(&self, tally: &mut DayTally, cost: u32, now_ms: u64) {
        *tally = self.today(*tally, now_ms);
        tally.spent = tally.spent.saturating_sub(cost);
    }

    /// The provider said today's budget is spent (another device may share
    /// the key): count it all as spent, so nothing more is asked today. In
    /// the day's first two minutes the refusal may be the old day's (a clock
    /// a little ahead of the provider's), so it is not taken as this one's.
    pub fn spent_up(&self, tally: &mut DayTally, now_ms: u64) {
        let minute_ms = self.minute.as_millis() as u64;
        if now_ms % self.day_ms() < 2 * minute_ms {
            return;
        }
        *tally = self.today(*tally, now_ms);
        tally.spent = tally.spent.max(self.limit);
    }

    /// How long after `now_ms` the day renews.
    fn renews_in(&self, now_ms: u64) -> Duration {
        until_next_window(now_ms, Duration::from_millis(self.day_ms()))
    }
}

/// A wait in words: "38 s", "12 min", "4 h 12 min" (rounded up to the minute
/// past a minute, so it never reads shorter than it is).
pub fn in_words(wait: Duration) -> String {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    if seconds < 60 {
        return format!("{} s", seconds.max(1));
    }
    let minutes = seconds.div_ceil(60);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: u64 = 86_400_000;

    fn budget(limit: u32) -> DayBudget {
        DayBudget { provider: ProviderId::TwelveData, limit, minute: Duration::from_secs(60) }
    }

    #[test]
    fn a_day_spends_up_to_its_limit_then_says_when_it_renews() {
        let budget = budget(20);
        let noon = 20_000 * DAY_MS + DAY_MS / 2;
        let mut tally = DayTally::default();
        assert_eq!(budget.spend(&mut tally, 8, noon), Ok(()));
        assert_eq!(budget.spend(&mut tally, 8, noon + 1_000), Ok(()));
        assert_eq!(tally, DayTally { day: 20_000, spent: 16 });
        assert_eq!(budget.left(tally, noon + 2_000), 4);
        let short = budget.spend(&mut tally, 8, noon + 2_000).unwrap_err();
        let renews_in = Duration::from_millis(DAY_MS / 2 - 2_000);
        assert_eq!(
            short,
            ProviderError::DayBudgetShort { provider: ProviderId::TwelveData, left: 4, needed: 8, renews_in }
        );
        assert_eq!(
            short.to_string(),
            "Twelve Data: only 4 of the day's credits are left and this call needs 8; the budget renews in 12 h"
        );
        assert_eq!(tally.spent, 16, "a refused call spends nothing");
        assert_eq!(budget.spend(&mut tally, 4, noon + 3_000), Ok(()), "what is left can still be spent");
        assert_eq!(budget.left(tally, noon + 3_000), 0);
        assert_eq!(
            budget.spend(&mut tally, 1, noon + 3_000),
            Err(ProviderError::DayBudgetSpent {
                provider: ProviderId::TwelveData,
                renews_in: Duration::from_millis(DAY_MS / 2 - 3_000)
            })
        );
        // The next day starts from nothing.
        assert_eq!(budget.left(tally, 20_001 * DAY_MS), 20);
        assert_eq!(budget.spend(&mut tally, 8, 20_001 * DAY_MS), Ok(()));
        assert_eq!(tally, DayTally { day: 20_001, spent: 8 });
    }

    #[test]
    fn a_call_refused_whole_is_given_back() {
        let budget = budget(12);
        let mut tally = DayTally::default();
        budget.spend(&mut tally, 5, 1_000).unwrap();
        budget.spend(&mut tally, 5, 2_000).unwrap();
        budget.refund(&mut tally, 5, 3_000);
        assert_eq!(budget.left(tally, 3_000), 7);
        budget.refund(&mut tally, 50, 3_000);
        assert_eq!(tally.spent, 0, "never below nothing");
    }

    #[test]
    fn the_providers_word_spends_the_whole_day() {
        let budget = budget(800);
        let mut tally = DayTally { day: 3, spent: 12 };
        budget.spent_up(&mut tally, 3 * DAY_MS + 60_000);
        assert_eq!(budget.left(tally, 3 * DAY_MS + 60_000), 788, "in the first two minutes: maybe the old day's");
        budget.spent_up(&mut tally, 3 * DAY_MS + 120_000);
        assert_eq!(budget.left(tally, 3 * DAY_MS + 120_001), 0);
        assert!(budget.spend(&mut tally, 1, 3 * DAY_MS + 120_002).is_err());
        assert_eq!(budget.left(tally, 4 * DAY_MS), 800, "until the day renews");
    }

    #[test]
    fn an_emulated_day_is_1440_emulated_minutes() {
        let short = DayBudget { minute: Duration::from_millis(50), ..budget(5) };
        let mut tally = DayTally::default();
        assert_eq!(short.spend(&mut tally, 5, 71_999), Ok(()));
        assert!(short.spend(&mut tally, 1, 71_999).is_err());
        assert_eq!(short.spend(&mut tally, 1, 72_000), Ok(()), "a new emulated day at 72 s");
    }

    #[test]
    fn waits_read_in_words() {
        let s = Duration::from_secs;
        assert_eq!(in_words(Duration::from_millis(200)), "1 s");
        assert_eq!(in_words(s(38)), "38 s");
        assert_eq!(in_words(s(61)), "2 min");
        assert_eq!(in_words(s(3600)), "1 h");
        assert_eq!(in_words(s(4 * 3600 + 11 * 60 + 5)), "4 h 12 min");
    }
}
