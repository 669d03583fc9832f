//! One budget for every tab: the provider's plan as [`fanout::Ledger`]s (a
//! minute's, and a day's if the plan counts days), spent before each call.

use std::{
    sync::{Mutex, PoisonError},
    time::Duration,
};

use fanout::{CreditWindow, Ledger};
use providers::Limits;
use tokio::time::Instant;

/// Minutes in a provider's day.
const MINUTES_PER_DAY: u32 = 1440;

/// What the server may still spend with its provider.
#[derive(Debug)]
pub(crate) struct Budget {
    started: Instant,
    ledgers: Mutex<(Ledger, Option<Ledger>)>,
}

impl Budget {
    /// A budget for `limits`, whose minute lasts `minute`.
    pub(crate) fn new(limits: Limits, minute: Duration) -> Self {
        let minute_ledger = Ledger::new(CreditWindow { limit: limits.per_minute, window: minute });
        let day_ledger =
            limits.per_day.map(|limit| Ledger::new(CreditWindow { limit, window: minute * MINUTES_PER_DAY }));
        Budget { started: Instant::now(), ledgers: Mutex::new((minute_ledger, day_ledger)) }
    }

    /// Spends `cost` now if both the minute and the day have room, or says
    /// how long until they will; nothing is spent then.
    pub(crate) fn spend(&self, cost: u32) -> Result<(), Duration> {
        let now = self.started.elapsed();
        let mut ledgers = self.ledgers.lock().unwrap_or_else(PoisonError::into_inner);
        let (minute, day) = &mut *ledgers;
        if minute.remaining(now) < cost.min(minute.rule().limit) {
            return minute.spend(cost, now);
        }
        if let Some(day) = day {
            day.spend(cost, now)?;
        }
        minute.spend(cost, now)
    }
}

#[cfg(test)]
mod tests {
    use providers::twelvedata::LIMITS;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_call_that_does_not_fit_is_told_when_it_will() {
        let budget = Budget::new(LIMITS, Duration::from_secs(60));
        assert_eq!(budget.spend(8), Ok(()));
        tokio::time::advance(Duration::from_secs(20)).await;
        assert_eq!(budget.spend(1), Err(Duration::from_secs(40)));
        tokio::time::advance(Duration::from_secs(40)).await;
        assert_eq!(budget.spend(8), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn the_day_counts_too() {
        let budget = Budget::new(LIMITS, Duration::from_millis(1));
        for _ in 0..100 {
            assert_eq!(budget.spend(8), Ok(()));
            tokio::time::advance(Duration::from_millis(1)).await;
        }
        assert_eq!(budget.spend(1), Err(Duration::from_millis(1440 - 100)), "the first 8 leave the day at 1440 ms");
    }
}
