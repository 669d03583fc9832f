//! One listing's trading day so far, from the simulated market, as both
//! emulated providers describe it: the quote now, the day's open, high and
//! low, and the last complete day's bar.

use market::{Bar, Period, Quote, sim::Market, universe::Listing};
use time::{Duration, OffsetDateTime, Time};

/// How often the day's path is sampled for its high and low.
const SAMPLE_EVERY: Duration = Duration::minutes(15);

/// A listing's day up to `now`.
#[derive(Debug, Clone)]
pub(crate) struct Day {
    /// The simulated quote now.
    pub(crate) quote: Quote,
    /// The price when the day opened (midnight UTC: the simulated market
    /// trades around the clock).
    pub(crate) open: f64,
    /// The highest price seen so far (sampled every 15 minutes, and now).
    pub(crate) high: f64,
    /// The lowest.
    pub(crate) low: f64,
    /// The last complete day's bar, if there is one.
    pub(crate) previous: Option<Bar>,
    /// When the day opened.
    pub(crate) opened_at: OffsetDateTime,
}

impl Day {
    /// `listing`'s day in `market` up to `now`.
    pub(crate) fn of(market: &Market, listing: &Listing, now: OffsetDateTime) -> Day {
        let quote = market.quote(listing, now);
        let opened_at = now.replace_time(Time::MIDNIGHT);
        let open = market.quote(listing, opened_at).price;
        let (mut high, mut low) = (open.max(quote.price), open.min(quote.price));
        let mut at = opened_at + SAMPLE_EVERY;
        while at < now {
            let price = market.quote(listing, at).price;
            (high, low) = (high.max(price), low.min(price));
            at += SAMPLE_EVERY;
        }
        let previous = market.history(listing, Period::OneMonth, now).bars.pop();
        Day { quote, open, high, low, previous, opened_at }
    }

    /// The previous close: the last complete day's, or what the change implies.
    pub(crate) fn previous_close(&self) -> f64 {
        self.previous.as_ref().map_or(self.quote.price - self.quote.change, |bar| bar.close)
    }
}

/// `at` as RFC 3339 in UTC with nanoseconds, as Alpaca stamps trades.
pub(crate) fn rfc3339_nanos(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        at.year(),
        at.month() as u8,
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.nanosecond()
    )
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_day_holds_its_open_and_the_quote_within_its_range() {
        let market = Market::new(42);
        let aapl = market::universe::find("AAPL").unwrap();
        let now = datetime!(2026-11-26 14:30:05 UTC);
        let day = Day::of(&market, aapl, now);
        assert_eq!(day.quote, market.quote(aapl, now));
        assert!(day.low <= day.open.min(day.quote.price) && day.high >= day.open.max(day.quote.price));
        assert_eq!(day.previous.as_ref().unwrap().date, "2026-11-25");
        assert!((day.previous_close() - (day.quote.price - day.quote.change)).abs() < 0.011);
        assert_eq!(rfc3339_nanos(datetime!(2026-11-26 14:30:05.000000042 UTC)), "2026-11-26T14:30:05.000000042Z");
    }
}
