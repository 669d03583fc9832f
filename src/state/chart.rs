//! The price chart's geometry, apart from the view so it is tested natively:
//! the bars shown, their moving averages, and where each lands in the SVG.

use market::{Bar, Period, indicators::sma};

/// The chart's drawing area, in SVG user units.
pub const WIDTH: f64 = 800.0;
/// See [`WIDTH`].
pub const HEIGHT: f64 = 320.0;
/// Room for the price labels on the right and the dates below.
const PAD_RIGHT: f64 = 60.0;
const PAD_BOTTOM: f64 = 24.0;
const PAD_TOP: f64 = 10.0;

/// The period to fetch so the 200-day average covers the whole view: the
/// shown bars plus 200 before them (the API's periods are fixed, so the next
/// one that is long enough).
pub fn lookback(shown: Period) -> Period {
    let needed = shown.trading_days() + 200;
    Period::ALL.into_iter().find(|p| p.trading_days() >= needed).unwrap_or(Period::FiveYears)
}

/// A chart of the last `shown` bars of a history, with its 50- and 200-day
/// simple moving averages computed over the whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The bars drawn, oldest first.
    pub bars: Vec<Bar>,
    sma50: Vec<Option<f64>>,
    sma200: Vec<Option<f64>>,
    low: f64,
    high: f64,
}

impl Chart {
    /// The chart of the last `shown.trading_days()` of `history`'s bars, or
    /// `None` if there are none (or none with a finite price).
    pub fn new(history: &[Bar], shown: Period) -> Option<Chart> {
        let closes: Vec<f64> = history.iter().map(|b| b.close).collect();
        let skip = history.len().saturating_sub(shown.trading_days());
        let (sma50, sma200) = (sma(&closes, 50).split_off(skip), sma(&closes, 200).split_off(skip));
        let bars = history[skip..].to_vec();
        let values = bars.iter().map(|b| b.close).chain(sma50.iter().chain(&sma200).flatten().copied());
        let (low, high) = values
            .filter(|v| v.is_finite())
            .fold(None, |acc: Option<(f64, f64)>, v| Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))))?;
        // A flat line still gets some height.
        let margin = ((high - low) * 0.05).max(high.abs() * 0.01).max(0.01);
        Some(Chart { bars, sma50, sma200, low: low - margin, high: high + margin })
    }

    /// The x of bar `index`.
    pub fn x(&self, index: usize) -> f64 {
        let span = (self.bars.len().max(2) - 1) as f64;
        index as f64 / span * (WIDTH - PAD_RIGHT)
    }

    /// The y of `price`.
    pub fn y(&self, price: f64) -> f64 {
        let plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
        PAD_TOP + (self.high - price) / (self.high - self.low) * plot
    }

    /// The bar nearest to `x` (for the hover crosshair).
    pub fn index_at(&self, x: f64) -> usize {
        let span = (self.bars.len().max(2) - 1) as f64;
        let index = (x / (WIDTH - PAD_RIGHT) * span).round().max(0.0) as usize;
        index.min(self.bars.len().saturating_sub(1))
    }

    /// The SVG path of the closes.
    pub fn price_path(&self) -> String {
        self.path(self.bars.iter().map(|b| Some(b.close)))
    }

    /// The SVG path of the 50-day average (where it is defined).
    pub fn sma50_path(&self) -> String {
        self.path(self.sma50.iter().copied())
    }

    /// The SVG path of the 200-day average (where it is defined).
    pub fn sma200_path(&self) -> String {
        self.path(self.sma200.iter().copied())
    }

    /// The 50- and 200-day averages at bar `index`.
    pub fn averages_at(&self, index: usize) -> (Option<f64>, Option<f64>) {
        (self.sma50.get(index).copied().flatten(), self.sma200.get(index).copied().flatten())
    }

    /// Four price levels for the grid, low to high.
    pub fn grid(&self) -> Vec<f64> {
        (0..4).map(|i| self.low + (self.high - self.low) * (f64::from(i) + 0.5) / 4.0).collect()
    }

    fn path(&self, points: impl Iterator<Item = Option<f64>>) -> String {
        let mut out = String::new();
        let mut pen_down = false;
        for (i, value) in points.enumerate() {
            match value.filter(|v| v.is_finite()) {
                Some(v) => {
                    out.push_str(&format!("{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, self.x(i), self.y(v)));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        out.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(closes: impl IntoIterator<Item = f64>) -> Vec<Bar> {
        closes
            .into_iter()
            .enumerate()
            .map(|(i, c)| Bar { date: format!("d{i}"), open: c, high: c, low: c, close: c, volume: 1 })
            .collect()
    }

    #[test]
    fn the_lookback_covers_two_hundred_days_before_the_view() {
        assert_eq!(lookback(Period::OneMonth), Period::OneYear);
        assert_eq!(lookback(Period::ThreeMonths), Period::FiveYears);
        assert_eq!(lookback(Period::OneYear), Period::FiveYears);
        assert_eq!(lookback(Period::FiveYears), Period::FiveYears);
    }

    #[test]
    fn the_view_shows_the_last_bars_with_averages_from_before_it() {
        let history = bars((1..=300).map(f64::from));
        let chart = Chart::new(&history, Period::OneMonth).unwrap();
        assert_eq!(chart.bars.len(), 21);
        assert_eq!(chart.bars[0].close, 280.0);
        // The 200-day average of 81..=280 at the first shown bar.
        assert_eq!(chart.averages_at(0), (Some(255.5), Some(180.5)));
        assert!(chart.sma200_path().starts_with("M0.0,"), "defined from the first shown bar");
        assert_eq!(chart.sma200_path().matches('M').count(), 1);
    }

    #[test]
    fn prices_map_inside_the_plot_and_hover_finds_the_nearest_bar() {
        let chart = Chart::new(&bars([10.0, 20.0, 15.0]), Period::OneYear).unwrap();
        let (top, bottom) = (chart.y(20.0), chart.y(10.0));
        assert!(top > 0.0 && top < bottom && bottom < HEIGHT, "{top} {bottom}");
        assert_eq!(chart.x(0), 0.0);
        assert_eq!(chart.x(2), WIDTH - 60.0);
        assert_eq!(chart.index_at(-50.0), 0);
        assert_eq!(chart.index_at(chart.x(1) + 10.0), 1);
        assert_eq!(chart.index_at(10_000.0), 2);
        assert_eq!(chart.sma50_path(), "", "fewer than 50 bars: no average");
    }

    #[test]
    fn the_stylesheet_reserves_the_charts_shape() {
        // While the history loads, a box of the chart's shape stands in for
        // it (style/main.css), so nothing below moves when it lands.
        let css = include_str!("../../style/main.css");
        assert!(
            css.contains(&format!("aspect-ratio: {WIDTH} / {HEIGHT};")),
            "the chart's aspect-ratio is not {WIDTH} / {HEIGHT}"
        );
    }

    #[test]
    fn no_bars_or_no_finite_price_gives_no_chart() {
        assert_eq!(Chart::new(&[], Period::OneYear), None);
        assert_eq!(Chart::new(&bars([f64::NAN]), Period::OneYear), None);
        let flat = Chart::new(&bars([5.0, 5.0]), Period::OneYear).unwrap();
        assert!(flat.y(5.0).is_finite());
    }
}
