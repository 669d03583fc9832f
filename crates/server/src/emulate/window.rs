//! The emulator's budgets: fixed windows aligned to multiples of the emulated
//! minute since the Unix epoch (Twelve Data's "current minute"), a day of
//! 1 440 of them, the clock they are read on, and the counters
//! `/emulate/_stats` shows.

use std::{
    collections::VecDeque,
    time::{SystemTime, UNIX_EPOCH},
};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::time::Instant;

/// Emulated minutes in an emulated day.
pub(crate) const MINUTES_PER_DAY: u64 = 1440;
/// The most windows `_stats` remembers (the oldest are forgotten first).
const REMEMBERED_WINDOWS: usize = 1440;

/// Milliseconds since the Unix epoch, as the budgets read them: the real
/// clock; or, with a frozen time, the frozen instant plus the time the
/// runtime has run since (tokio's clock, so a paused test moves it), so
/// frozen data still has windows that pass.
#[derive(Debug)]
pub(crate) struct EmulatorClock {
    frozen: Option<(u64, Instant)>,
}

impl EmulatorClock {
    pub(crate) fn new(frozen: Option<OffsetDateTime>) -> Self {
        EmulatorClock { frozen: frozen.map(|at| (unix_ms(at), Instant::now())) }
    }

    /// Now, in milliseconds since the Unix epoch.
    pub(crate) fn now_ms(&self) -> u64 {
        match self.frozen {
            Some((at, since)) => at + since.elapsed().as_millis() as u64,
            None => SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64),
        }
    }
}

/// `at` in milliseconds since the Unix epoch (0 before it).
pub(crate) fn unix_ms(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// What a provider allows in a window of `minute_ms`, and in a day of
/// [`MINUTES_PER_DAY`] windows if it counts days.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Allowance {
    pub(crate) minute_ms: u64,
    pub(crate) per_minute: u32,
    pub(crate) per_day: Option<u32>,
}

/// Why credits were refused: the budget they did not fit in, and what it
/// would have held with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The current minute's budget is spent.
    Minute { used: u32, limit: u32 },
    /// The day's budget is spent.
    Day { used: u32, limit: u32 },
}

/// Credits served in one fixed window.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    start_ms: u64,
    served: u32,
}

impl Window {
    /// The window of `length_ms` holding `now_ms`, emptied if it is a new one.
    fn at(&mut self, now_ms: u64, length_ms: u64) -> &mut Self {
        let start_ms = now_ms - now_ms % length_ms.max(1);
        if start_ms != self.start_ms {
            *self = Window { start_ms, served: 0 };
        }
        self
    }
}

/// One provider's budget and counters.
#[derive(Debug)]
pub(crate) struct Account {
    allowance: Allowance,
    minute: Window,
    day: Window,
    counters: ProviderStats,
}

impl Account {
    pub(crate) fn new(allowance: Allowance) -> Self {
        Account {
            allowance,
            minute: Window::default(),
            day: Window::default(),
            counters: ProviderStats::empty(allowance),
        }
    }

    /// Counts a request, whatever becomes of it.
    pub(crate) fn arrive(&mut self) {
        self.counters.requests += 1;
    }

    /// Asks for `cost` credits at `now_ms`: spent if both the minute and the
    /// day have room, refused whole otherwise. Counted as asked either way.
    pub(crate) fn ask(&mut self, now_ms: u64, cost: u32) -> Result<(), Refusal> {
        let Allowance { minute_ms, per_minute, per_day } = self.allowance;
        let minute = self.minute.at(now_ms, minute_ms);
        let minute_used = minute.served + cost;
        let minute_start = minute.start_ms;
        let day = self.day.at(now_ms, minute_ms * MINUTES_PER_DAY);
        let day_used = day.served + cost;
        let refusal = match per_day {
            Some(limit) if day_used > limit => Some(Refusal::Day { used: day_used, limit }),
            _ if minute_used > per_minute => Some(Refusal::Minute { used: minute_used, limit: per_minute }),
            _ => None,
        };
        let served = if refusal.is_none() { cost } else { 0 };
        if refusal.is_none() {
            self.minute.served += cost;
            self.day.served += cost;
        } else {
            self.counters.refused += 1;
        }
        self.counters.record(minute_start, cost, served);
        refusal.map_or(Ok(()), Err)
    }

    /// Credits left in the window holding `now_ms`, and when it ends (ms
    /// since the Unix epoch).
    pub(crate) fn remaining(&mut self, now_ms: u64) -> (u32, u64) {
        let Allowance { minute_ms, per_minute, .. } = self.allowance;
        let minute = self.minute.at(now_ms, minute_ms);
        (per_minute.saturating_sub(minute.served), minute.start_ms + minute_ms)
    }

    /// The counters now.
    pub(crate) fn stats(&self) -> ProviderStats {
        self.counters.clone()
    }

    /// Starts counting afresh (what was spent still counts against the budget).
    pub(crate) fn reset_stats(&mut self) {
        self.counters = ProviderStats::empty(self.allowance);
    }
}

/// `GET /emulate/_stats`: both providers' counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmulatorStats {
    /// Twelve Data: a credit is a symbol.
    pub twelvedata: ProviderStats,
    /// Alpaca: a credit is a request.
    pub alpaca: ProviderStats,
}

/// One provider's counters since the start (or the last reset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderStats {
    /// Requests that arrived, whatever became of them.
    pub requests: u64,
    /// Requests refused for the budget (rate limited).
    pub refused: u64,
    /// The emulated minute, in milliseconds.
    pub window_ms: u64,
    /// Credits (Alpaca: requests) a window allows.
    pub limit_per_window: u32,
    /// Each window in which credits were asked, oldest first.
    pub windows: Vec<WindowStats>,
    /// The most credits asked (served or refused) in any one window.
    pub max_credits_asked_in_a_window: u32,
}

/// Credits asked and served in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowStats {
    /// When the window starts, in milliseconds since the Unix epoch.
    pub start_ms: u64,
    /// Credits (Alpaca: requests) asked in it, refused ones included.
    pub credits_asked: u32,
    /// Credits (Alpaca: requests) served in it.
    pub credits_served: u32,
}

impl ProviderStats {
    fn empty(allowance: Allowance) -> Self {
        ProviderStats {
            requests: 0,
            refused: 0,
            window_ms: allowance.minute_ms,
            limit_per_window: allowance.per_minute,
            windows: Vec::new(),
            max_credits_asked_in_a_window: 0,
        }
    }

    fn record(&mut self, start_ms: u64, asked: u32, served: u32) {
        let mut windows: VecDeque<WindowStats> = std::mem::take(&mut self.windows).into();
        match windows.back_mut() {
            Some(last) if last.start_ms == start_ms => {
                last.credits_asked += asked;
                last.credits_served += served;
            }
            _ => windows.push_back(WindowStats { start_ms, credits_asked: asked, credits_served: served }),
        }
        while windows.len() > REMEMBERED_WINDOWS {
            windows.pop_front();
        }
        if let Some(last) = windows.back() {
            self.max_credits_asked_in_a_window = self.max_credits_asked_in_a_window.max(last.credits_asked);
        }
        self.windows = windows.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWELVE_DATA: Allowance = Allowance { minute_ms: 1000, per_minute: 8, per_day: Some(800) };

    #[test]
    fn a_request_that_does_not_fit_the_minute_is_refused_whole_and_still_counted() {
        let mut account = Account::new(TWELVE_DATA);
        assert_eq!(account.ask(5_000, 5), Ok(()));
        assert_eq!(account.ask(5_400, 4), Err(Refusal::Minute { used: 9, limit: 8 }));
        assert_eq!(account.ask(5_999, 3), Ok(()), "the refused 4 were not spent");
        assert_eq!(account.remaining(5_999), (0, 6_000));
        assert_eq!(account.ask(6_000, 8), Ok(()), "a new window at a multiple of the minute");
        let stats = account.stats();
        assert_eq!(stats.refused, 1);
        assert_eq!(
            stats.windows,
            [
                WindowStats { start_ms: 5_000, credits_asked: 12, credits_served: 8 },
                WindowStats { start_ms: 6_000, credits_asked: 8, credits_served: 8 }
            ]
        );
        assert_eq!(stats.max_credits_asked_in_a_window, 12);
        account.reset_stats();
        assert_eq!(account.stats().windows, []);
        assert_eq!(account.ask(6_500, 1), Err(Refusal::Minute { used: 9, limit: 8 }), "a reset keeps the budget");
    }

    #[test]
    fn the_day_runs_out_after_800_credits() {
        let mut account = Account::new(TWELVE_DATA);
        for minute in 0..100 {
            assert_eq!(account.ask(minute * 1000, 8), Ok(()));
        }
        assert_eq!(account.ask(100_000, 1), Err(Refusal::Day { used: 801, limit: 800 }));
        assert_eq!(account.ask(1440 * 1000, 8), Ok(()), "the next day");
    }
}
