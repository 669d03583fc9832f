//! Indicator math over daily bars: moving averages, the 52-week range, returns.
//! Pure functions, shared by the app (charts) and anything else that needs them.

use crate::Bar;

/// Trading days in 52 weeks.
pub const TRADING_DAYS_PER_YEAR: usize = 252;

/// The simple moving average of `values` over `window` points: one entry per
/// value, `None` until `window` values have been seen (and for a zero window).
///
/// ```
/// use market::indicators::sma;
/// assert_eq!(sma(&[1.0, 2.0, 3.0, 4.0], 2), [None, Some(1.5), Some(2.5), Some(3.5)]);
/// ```
pub fn sma(values: &[f64], window: usize) -> Vec<Option<f64>> {
    let mut out = Vec::with_capacity(values.len());
    let mut sum = 0.0;
    for (i, value) in values.iter().enumerate() {
        sum += value;
        if window > 0 && i >= window {
            sum -= values[i - window];
        }
        out.push((window > 0 && i + 1 >= window).then(|| sum / window as f64));
    }
    out
}

/// The lowest low and highest high of the last 52 weeks of `bars` (all of
/// them if fewer), or `None` without bars.
pub fn range_52_weeks(bars: &[Bar]) -> Option<(f64, f64)> {
    let recent = &bars[bars.len().saturating_sub(TRADING_DAYS_PER_YEAR)..];
    let low = recent.iter().map(|b| b.low).reduce(f64::min)?;
    let high = recent.iter().map(|b| b.high).reduce(f64::max)?;
    Some((low, high))
}

/// Day-over-day simple returns of `closes` (`0.01` is +1 %); one fewer than
/// the closes.
pub fn daily_returns(closes: &[f64]) -> Vec<f64> {
    closes.windows(2).map(|w| w[1] / w[0] - 1.0).collect()
}

/// The return from the first close to the last, or `None` with fewer than two
/// closes or a first close of zero.
pub fn total_return(closes: &[f64]) -> Option<f64> {
    match (closes.first(), closes.last()) {
        (Some(&first), Some(&last)) if closes.len() >= 2 && first != 0.0 => Some(last / first - 1.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(low: f64, high: f64) -> Bar {
        Bar { date: "2026-01-02".into(), open: low, high, low, close: high, volume: 1 }
    }

    #[test]
    fn sma_fills_once_the_window_is_full() {
        let values: Vec<f64> = (1..=6).map(f64::from).collect();
        assert_eq!(sma(&values, 3), [None, None, Some(2.0), Some(3.0), Some(4.0), Some(5.0)]);
        assert_eq!(sma(&values, 1), values.iter().copied().map(Some).collect::<Vec<_>>());
        assert_eq!(sma(&values, 7), [None; 6]);
        assert_eq!(sma(&values, 0), [None; 6]);
        assert!(sma(&[], 50).is_empty());
    }

    #[test]
    fn sma_matches_the_plain_average_over_long_series() {
        let values: Vec<f64> = (0..500).map(|i| 100.0 + (i as f64 * 0.37).sin() * 10.0).collect();
        let rolled = sma(&values, 200);
        for i in [199, 300, 499] {
            let plain = values[i + 1 - 200..=i].iter().sum::<f64>() / 200.0;
            assert!((rolled[i].unwrap() - plain).abs() < 1e-9, "at {i}");
        }
    }

    #[test]
    fn the_52_week_range_looks_at_the_last_252_bars_only() {
        let mut bars = vec![bar(1.0, 1000.0)];
        bars.extend((0..252).map(|i| bar(50.0 + f64::from(i % 7), 60.0 + f64::from(i % 5))));
        assert_eq!(range_52_weeks(&bars), Some((50.0, 64.0)));
        assert_eq!(range_52_weeks(&bars[..3]), Some((1.0, 1000.0)));
        assert_eq!(range_52_weeks(&[]), None);
    }

    #[test]
    fn returns_are_relative_changes() {
        let returns = daily_returns(&[100.0, 110.0, 99.0]);
        assert!((returns[0] - 0.10).abs() < 1e-12 && (returns[1] + 0.10).abs() < 1e-12, "{returns:?}");
        assert!((total_return(&[100.0, 110.0, 99.0]).unwrap() + 0.01).abs() < 1e-12);
        assert_eq!(total_return(&[100.0]), None);
        assert_eq!(total_return(&[0.0, 1.0]), None);
    }
}
