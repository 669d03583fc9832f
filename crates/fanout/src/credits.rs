//! A credit budget over a sliding window: at most `limit` credits spent in
//! any span of `window` — how data providers price their APIs (Twelve Data's
//! free plan: 8 credits a minute, each symbol of a batch one credit).
//!
//! A token bucket cannot promise this: refilled while it is spent, it lets
//! through its capacity plus a window's refill (twice the budget) within one
//! window. The ledger remembers what it spent and when, so no window, however
//! placed, holds more than the limit.

use std::{collections::VecDeque, time::Duration};

/// At most `limit` credits in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditWindow {
    /// Credits a window allows.
    pub limit: u32,
    /// The window's length (a minute for real providers; shorter in tests).
    pub window: Duration,
}

/// What was spent in the last window, on the caller's clock.
#[derive(Debug, Clone)]
pub struct Ledger {
    rule: CreditWindow,
    spent: VecDeque<(Duration, u32)>,
}

impl Ledger {
    /// An empty ledger for `rule`.
    pub fn new(rule: CreditWindow) -> Self {
        Ledger { rule, spent: VecDeque::new() }
    }

    /// The rule it keeps.
    pub fn rule(&self) -> CreditWindow {
        self.rule
    }

    fn forget_before(&mut self, now: Duration) {
        while self.spent.front().is_some_and(|&(at, _)| at + self.rule.window <= now) {
            self.spent.pop_front();
        }
    }

    /// Credits left in the window ending at `now`.
    pub fn remaining(&mut self, now: Duration) -> u32 {
        self.forget_before(now);
        let used: u32 = self.spent.iter().map(|&(_, c)| c).sum();
        self.rule.limit.saturating_sub(used)
    }

    /// Spends `cost` at `now` if the window ending then has room, or says how
    /// long until it will. A cost above the limit is spent alone, into an
    /// empty window (it could never fit otherwise).
    ///
    /// ```
    /// use std::time::Duration;
    /// use fanout::{CreditWindow, Ledger};
    /// let s = Duration::from_secs;
    /// let mut ledger = Ledger::new(CreditWindow { limit: 8, window: s(60) });
    /// assert_eq!(ledger.spend(8, s(0)), Ok(()));
    /// assert_eq!(ledger.spend(4, s(30)), Err(s(30)), "the first 8 leave the window at 60 s");
    /// assert_eq!(ledger.spend(4, s(60)), Ok(()));
    /// ```
    pub fn spend(&mut self, cost: u32, now: Duration) -> Result<(), Duration> {
        self.forget_before(now);
        let cost = cost.min(self.rule.limit.max(1));
        let used: u32 = self.spent.iter().map(|&(_, c)| c).sum();
        if used + cost <= self.rule.limit.max(1) {
            self.spent.push_back((now, cost));
            return Ok(());
        }
        // The earliest moment enough of what was spent has left the window.
        let mut freed = 0;
        for &(at, credits) in &self.spent {
            freed += credits;
            if used - freed + cost <= self.rule.limit.max(1) {
                return Err((at + self.rule.window).saturating_sub(now));
            }
        }
        Err(self.rule.window)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MS: Duration = Duration::from_millis(1);

    proptest! {
        #[test]
        fn no_window_ever_holds_more_than_the_limit(
            limit in 1u32..12,
            asks in proptest::collection::vec((0u64..3_000, 1u32..12), 1..60),
        ) {
            let rule = CreditWindow { limit, window: 1_000 * MS };
            let mut ledger = Ledger::new(rule);
            let mut now = Duration::ZERO;
            let mut spent: Vec<(Duration, u32)> = Vec::new();
            for (gap, cost) in asks {
                now += MS * gap as u32;
                // Wait as told until it fits, as the engine does.
                loop {
                    match ledger.spend(cost, now) {
                        Ok(()) => { spent.push((now, cost.min(limit))); break; }
                        Err(wait) => { prop_assert!(wait > Duration::ZERO); now += wait; }
                    }
                }
            }
            for &(start, _) in &spent {
                let inside: u32 = spent.iter().filter(|&&(at, _)| at >= start && at < start + rule.window).map(|&(_, c)| c).sum();
                prop_assert!(inside <= limit, "{inside} credits in the window from {start:?}");
            }
        }
    }

    #[test]
    fn the_wait_is_until_enough_has_left_the_window() {
        let s = Duration::from_secs;
        let mut ledger = Ledger::new(CreditWindow { limit: 8, window: s(60) });
        ledger.spend(3, s(0)).unwrap();
        ledger.spend(5, s(10)).unwrap();
        assert_eq!(ledger.remaining(s(20)), 0);
        assert_eq!(ledger.spend(2, s(20)), Err(s(40)), "the 3 from 0 s leave at 60 s");
        assert_eq!(ledger.spend(6, s(20)), Err(s(50)), "6 needs the 5 from 10 s gone too");
        assert_eq!(ledger.remaining(s(60)), 3);
        assert_eq!(ledger.spend(20, s(70)), Ok(()), "a cost above the limit goes alone, into an empty window");
        assert_eq!(ledger.remaining(s(71)), 0);
    }
}
