//! A deterministic simulated market: daily bars and intraday quotes as a pure
//! function of (seed, symbol, time).
//!
//! Each listing takes a seeded random walk of daily log returns from [`ANCHOR`],
//! one step per weekday, scaled so that it closes at the listing's reference
//! price on [`REFERENCE_DATE`]. Today's quote walks on from the previous close in
//! one-minute steps, interpolated within the minute and scattered a little
//! each second, so it ticks every second and is the same on every machine.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use time::{Date, OffsetDateTime, Weekday, format_description::well_known::Rfc3339, macros::date};

use crate::{Bar, History, Period, Portfolio, Position, Quote, universe::Listing};

/// The first simulated trading day; every walk starts here.
pub const ANCHOR: Date = date!(2020 - 01 - 06);
/// The day whose close is each listing's `reference_price`.
pub const REFERENCE_DATE: Date = date!(2026 - 01 - 02);

/// Standard deviation of one day's log return.
const DAILY_VOLATILITY: f64 = 0.012;
/// Mean of one day's log return (a gentle upward drift).
const DAILY_DRIFT: f64 = 0.0002;
const MINUTES_PER_DAY: u32 = 24 * 60;
/// Standard deviation of a quote's scatter around the minute's path.
const SECOND_JITTER: f64 = 0.0006;

/// The simulated market. Cheap to clone (clones share one cache); every answer
/// is a pure function of (seed, symbol, time), computed on demand. The latest
/// day's walks are cached, so a quote costs little more than its formatting.
#[derive(Debug, Clone)]
pub struct Market {
    seed: u64,
    cache: Arc<Mutex<DayCache>>,
}

/// The walks of one day: daily bars up to it and its intraday path, per symbol.
#[derive(Debug, Default)]
struct DayCache {
    day: Option<Date>,
    bars: HashMap<String, Arc<Vec<Bar>>>,
    intraday: HashMap<String, Arc<Intraday>>,
}

/// One symbol's path through one day.
#[derive(Debug)]
struct Intraday {
    /// Scales the listing's typical volume for the day.
    volume_factor: f64,
    /// Log-price move from the previous close at the start of each minute
    /// (one more than the minutes, so every minute has an end).
    minutes: Vec<f64>,
}

impl Market {
    /// A market whose prices are fixed by `seed`: the same seed, the same numbers.
    pub fn new(seed: u64) -> Self {
        Market { seed, cache: Arc::default() }
    }

    /// The account of the seed article: 10 000.00 in cash and five positions.
    pub fn portfolio(&self) -> Portfolio {
        let position = |symbol: &str, quantity: f64, average_cost: f64| Position {
            symbol: symbol.to_owned(),
            quantity,
            average_cost,
        };
        Portfolio {
            cash: 10_000.00,
            positions: vec![
                position("AAPL", 50.0, 212.40),
                position("GOOG", 40.0, 248.75),
                position("MSFT", 30.0, 421.20),
                position("AMZN", 45.0, 198.60),
                position("TSLA", 20.0, 352.00),
            ],
        }
    }

    /// The last `period`'s daily bars of `listing` before `now`'s date, oldest first.
    pub fn history(&self, listing: &Listing, period: Period, now: OffsetDateTime) -> History {
        let bars = self.cached_bars(listing, now.date());
        let keep = period.trading_days().min(bars.len());
        History { symbol: listing.symbol.clone(), period, bars: bars[bars.len() - keep..].to_vec() }
    }

    /// The quote of `listing` at `now` (to the second).
    pub fn quote(&self, listing: &Listing, now: OffsetDateTime) -> Quote {
        let now = now.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).unwrap_or(now);
        let previous_close =
            self.cached_bars(listing, now.date()).last().map_or(listing.reference_price, |bar| bar.close);
        let day = self.cached_intraday(listing, now.date());
        let seconds = now.time().hour() as u32 * 3600 + now.time().minute() as u32 * 60 + now.time().second() as u32;
        let minute = (seconds / 60).min(MINUTES_PER_DAY - 1) as usize;
        let (level, next) = (day.minutes[minute], day.minutes[minute + 1]);
        let day_volume_factor = day.volume_factor;
        let within = f64::from(seconds % 60) / 60.0;
        // Trades within the minute scatter around the minute's path.
        let second_stream = (1 << 40) | (now.date().to_julian_day() as u64 * 86_400 + u64::from(seconds));
        let jitter = SECOND_JITTER * self.rng(&listing.symbol, second_stream).sample::<f64, _>(StandardNormal);
        let log_move = level + (next - level) * within + jitter;

        let price = cents(previous_close * log_move.exp());
        let change = cents(price - previous_close);
        let day_fraction = f64::from(seconds) / 86_400.0;
        Quote {
            symbol: listing.symbol.clone(),
            price,
            change,
            change_percent: cents(change / previous_close * 100.0),
            volume: (listing.daily_volume as f64 * day_volume_factor * day_fraction) as u64,
            timestamp: now.format(&Rfc3339).unwrap_or_default(),
        }
    }

    /// [`Market::daily_bars`], from the cache when `until` is the latest day asked.
    fn cached_bars(&self, listing: &Listing, until: Date) -> Arc<Vec<Bar>> {
        self.cached(until, |c| &mut c.bars, &listing.symbol, || self.daily_bars(listing, until))
    }

    /// [`Market::intraday`], from the cache when `day` is the latest day asked.
    fn cached_intraday(&self, listing: &Listing, day: Date) -> Arc<Intraday> {
        self.cached(day, |c| &mut c.intraday, &listing.symbol, || self.intraday(listing, day))
    }

    /// Looks `key` up in the day's cache, computing (and keeping) it if absent.
    /// A newer day empties the cache; an older one is computed and not kept.
    fn cached<T>(
        &self,
        day: Date,
        map: fn(&mut DayCache) -> &mut HashMap<String, Arc<T>>,
        key: &str,
        compute: impl FnOnce() -> T,
    ) -> Arc<T> {
        {
            let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            if cache.day.is_none_or(|cached| day > cached) {
                *cache = DayCache { day: Some(day), ..DayCache::default() };
            }
            if let Some(hit) = map(&mut cache).get(key) {
                return hit.clone();
            }
        }
        let value = Arc::new(compute());
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.day == Some(day) {
            map(&mut cache).insert(key.to_owned(), value.clone());
        }
        value
    }

    /// The day's minute-by-minute walk from the previous close.
    fn intraday(&self, listing: &Listing, day: Date) -> Intraday {
        let mut rng = self.rng(&listing.symbol, day.to_julian_day() as u64);
        let volume_factor = (0.3 * rng.sample::<f64, _>(StandardNormal)).exp();
        let step = DAILY_VOLATILITY / f64::from(MINUTES_PER_DAY).sqrt();
        let mut level = 0.0;
        let mut minutes = Vec::with_capacity(MINUTES_PER_DAY as usize + 1);
        minutes.push(level);
        for _ in 0..MINUTES_PER_DAY {
            level += step * rng.sample::<f64, _>(StandardNormal);
            minutes.push(level);
        }
        Intraday { volume_factor, minutes }
    }

    /// Every daily bar of `listing` from [`ANCHOR`] to the weekday before `until`.
    fn daily_bars(&self, listing: &Listing, until: Date) -> Vec<Bar> {
        // Walk in units of the anchor's price, past the reference date if need
        // be, then scale the walk to pass through the reference price.
        let mut rng = self.rng(&listing.symbol, 0);
        let mut close = 1.0;
        let mut reference_close = None;
        let mut raw = Vec::new();
        let mut day = ANCHOR;
        while day < until || reference_close.is_none() {
            if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
                // Always five draws a day, so every day's numbers stay put.
                let z: [f64; 5] = std::array::from_fn(|_| rng.sample(StandardNormal));
                let open = close * (DAILY_VOLATILITY / 3.0 * z[0]).exp();
                let next_close = close * (DAILY_DRIFT + DAILY_VOLATILITY * z[1]).exp();
                let high = open.max(next_close) * (DAILY_VOLATILITY / 2.0 * z[2].abs()).exp();
                let low = open.min(next_close) * (-DAILY_VOLATILITY / 2.0 * z[3].abs()).exp();
                let volume = (listing.daily_volume as f64 * (0.3 * z[4]).exp()) as u64;
                if day >= REFERENCE_DATE && reference_close.is_none() {
                    reference_close = Some(next_close);
                }
                if day < until {
                    raw.push((day, [open, high, low, next_close], volume));
                }
                close = next_close;
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        let scale = listing.reference_price / reference_close.unwrap_or(1.0);
        raw.into_iter()
            .map(|(day, [open, high, low, close], volume)| Bar {
                date: day.to_string(),
                open: cents(open * scale),
                high: cents(high * scale),
                low: cents(low * scale),
                close: cents(close * scale),
                volume,
            })
            .collect()
    }

    fn rng(&self, symbol: &str, stream: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(mix(mix(self.seed ^ fnv1a(symbol)) ^ stream))
    }
}

/// Rounds dollars to cents.
fn cents(dollars: f64) -> f64 {
    (dollars * 100.0).round() / 100.0
}

/// SplitMix64: a fixed, portable hash of a number (std's hasher may change
/// between releases). The universe's fillers and the server's per-request
/// draws use it. Its twin is `fanout`'s (`jitter.rs`): neither crate may
/// depend on the other.
pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    mix(x)
}

/// FNV-1a: a stable hash of the symbol (std's hasher may change between releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The SplitMix64 finaliser: spreads nearby seeds far apart.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::universe::find;

    const NOW: OffsetDateTime = datetime!(2026-11-26 14:30:05 UTC);

    #[test]
    fn every_simulated_answer_passes_the_apps_plausibility_check() {
        use crate::Plausible;
        let market = Market::new(7);
        market.portfolio().plausible().unwrap();
        for listing in crate::universe::listings() {
            market.quote(listing, NOW).plausible().unwrap();
            market.history(listing, Period::FiveYears, NOW).plausible().unwrap();
        }
    }

    #[test]
    fn a_year_of_history_is_252_weekday_bars_ending_before_today() {
        let history = Market::new(7).history(find("NVDA").unwrap(), Period::OneYear, NOW);
        assert_eq!(history.bars.len(), 252);
        assert_eq!(history.bars.last().unwrap().date, "2026-11-25");
        for bar in &history.bars {
            let date = Date::parse(&bar.date, &time::format_description::well_known::Iso8601::DATE).unwrap();
            assert!(!matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday), "{}", bar.date);
            assert!(bar.low <= bar.open.min(bar.close) && bar.high >= bar.open.max(bar.close), "{bar:?}");
            assert!(bar.low > 0.0);
        }
        let five_years = Market::new(7).history(find("NVDA").unwrap(), Period::FiveYears, NOW);
        assert_eq!(five_years.bars.len(), 1260);
        assert_eq!(five_years.bars[1260 - 252..], history.bars[..]);
    }

    #[test]
    fn the_same_seed_gives_the_same_numbers_and_another_seed_does_not() {
        let aapl = find("AAPL").unwrap();
        assert_eq!(Market::new(1).quote(aapl, NOW), Market::new(1).quote(aapl, NOW));
        assert_ne!(Market::new(1).quote(aapl, NOW).price, Market::new(2).quote(aapl, NOW).price);
        assert_ne!(Market::new(1).quote(aapl, NOW).price, Market::new(1).quote(find("MSFT").unwrap(), NOW).price);
    }

    #[test]
    fn quotes_tick_every_second_and_change_is_measured_from_the_previous_close() {
        let market = Market::new(42);
        let tsla = find("TSLA").unwrap();
        let a = market.quote(tsla, NOW);
        let b = market.quote(tsla, NOW + time::Duration::seconds(1));
        assert_eq!(a.timestamp, "2026-11-26T14:30:05Z");
        assert_eq!(b.timestamp, "2026-11-26T14:30:06Z");
        let prices: Vec<f64> = (0..60).map(|s| market.quote(tsla, NOW + time::Duration::seconds(s)).price).collect();
        let ticks = prices.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(ticks > 35, "the price moved in only {ticks} of 59 seconds: {prices:?}");
        let previous_close = market.history(tsla, Period::OneMonth, NOW).bars.last().unwrap().close;
        assert!((a.change - (a.price - previous_close)).abs() < 0.011, "{a:?} vs {previous_close}");
        assert!((a.change_percent - a.change / previous_close * 100.0).abs() < 0.011);
        assert!(a.volume > 0);
    }

    #[test]
    fn the_walk_passes_through_the_reference_price() {
        let aapl = find("AAPL").unwrap();
        let history = Market::new(9).history(aapl, Period::FiveYears, NOW);
        let reference = history.bars.iter().find(|b| b.date == "2026-01-02").unwrap();
        assert!((reference.close - aapl.reference_price).abs() < 0.011, "{reference:?}");
        // Before the reference date, the same bars whatever the end date.
        let earlier = Market::new(9).history(aapl, Period::OneMonth, datetime!(2025-06-02 12:00 UTC));
        let same = history.bars.iter().find(|b| b.date == earlier.bars[0].date).unwrap();
        assert_eq!(same, &earlier.bars[0]);
    }

    #[test]
    fn the_portfolio_is_the_seed_articles_cash_and_five_positions() {
        let portfolio = Market::new(0).portfolio();
        assert_eq!(portfolio.cash, 10_000.00);
        assert_eq!(portfolio.positions.len(), 5);
        for p in &portfolio.positions {
            assert!(find(&p.symbol).is_some(), "{} is not listed", p.symbol);
        }
    }
}
