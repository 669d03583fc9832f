//! The lab's CPU-heavy job: indicators and a moving-average crossover
//! backtest over five years of daily closes for 500 symbols. Pure and
//! deterministic, so the three ways of running it (inline, in slices between
//! yields, in a Web Worker) must agree to the last bit — a test checks that.

use serde::{Deserialize, Serialize};

/// Trading days in five years.
pub const FIVE_YEARS: usize = 5 * market::indicators::TRADING_DAYS_PER_YEAR;

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSpec {
    /// How many symbols.
    pub symbols: usize,
    /// Daily closes per symbol.
    pub days: usize,
    /// Seeds the closes (a random walk per symbol).
    pub seed: u64,
}

impl Default for JobSpec {
    /// The job: 500 symbols, five years each.
    fn default() -> Self {
        JobSpec { symbols: 500, days: FIVE_YEARS, seed: 2026 }
    }
}

/// What the job found for one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SymbolFacts {
    /// From the first close to the last.
    pub total_return: f64,
    /// Standard deviation of daily returns, annualised.
    pub volatility: f64,
    /// Whether the last close is above its 200-day average.
    pub above_200_day: bool,
    /// The 14-day relative strength index at the end.
    pub rsi: f64,
    /// The best crossover's fast and slow windows and its return.
    pub best_crossover: (usize, usize, f64),
}

/// The whole job's result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JobSummary {
    /// Symbols analysed.
    pub symbols: usize,
    /// Daily bars read.
    pub bars: usize,
    /// Symbols whose last close is above their 200-day average.
    pub above_200_day: usize,
    /// The symbol (index) with the best five-year return, and that return.
    pub best: (usize, f64),
    /// Mean annualised volatility.
    pub mean_volatility: f64,
    /// Mean return of each symbol's best crossover.
    pub mean_best_crossover: f64,
}

/// Fast windows tried by the crossover backtest.
const FAST: [usize; 10] = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
/// Slow windows tried by the crossover backtest: 60, 65, … 210.
const SLOW: [usize; 31] = {
    let mut windows = [0; 31];
    let mut i = 0;
    while i < 31 {
        windows[i] = 60 + 5 * i;
        i += 1;
    }
    windows
};

/// Symbol `index`'s daily closes: a random walk (xorshift; no `rand` in the
/// browser bundle for this).
pub fn closes(spec: &JobSpec, index: usize) -> Vec<f64> {
    let mut state = spec.seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut price = 20.0 + 300.0 * next();
    (0..spec.days)
        .map(|_| {
            price *= 1.0 + (next() - 0.5) * 0.04;
            price
        })
        .collect()
}

/// Analyses symbol `index`.
pub fn analyse(spec: &JobSpec, index: usize) -> SymbolFacts {
    use market::indicators::{daily_returns, sma, total_return};
    let closes = closes(spec, index);
    let returns = daily_returns(&closes);
    let mean = returns.iter().sum::<f64>() / returns.len().max(1) as f64;
    let variance = returns.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / returns.len().max(1) as f64;
    let above_200_day = match (sma(&closes, 200).last(), closes.last()) {
        (Some(Some(average)), Some(last)) => last > average,
        _ => false,
    };
    SymbolFacts {
        total_return: total_return(&closes).unwrap_or(0.0),
        volatility: variance.sqrt() * (252f64).sqrt(),
        above_200_day,
        rsi: rsi(&returns, 14),
        best_crossover: best_crossover(&closes),
    }
}

/// The relative strength index of the last `window` returns (50 without any).
fn rsi(returns: &[f64], window: usize) -> f64 {
    let recent = &returns[returns.len().saturating_sub(window)..];
    let gains: f64 = recent.iter().filter(|r| **r > 0.0).sum();
    let losses: f64 = -recent.iter().filter(|r| **r < 0.0).sum::<f64>();
    if gains + losses == 0.0 { 50.0 } else { 100.0 * gains / (gains + losses) }
}

/// Backtests "hold while the fast average is above the slow one" for every
/// pair of windows and returns the best pair and its return.
fn best_crossover(closes: &[f64]) -> (usize, usize, f64) {
    let averages = |windows: &[usize]| windows.iter().map(|&w| market::indicators::sma(closes, w)).collect::<Vec<_>>();
    let (fast, slow) = (averages(&FAST), averages(&SLOW));
    let mut best = (0, 0, f64::NEG_INFINITY);
    for (f, fast_average) in fast.iter().enumerate() {
        for (s, slow_average) in slow.iter().enumerate() {
            let mut growth = 1.0;
            for day in 1..closes.len() {
                if let (Some(a), Some(b)) = (fast_average[day - 1], slow_average[day - 1])
                    && a > b
                {
                    growth *= closes[day] / closes[day - 1];
                }
            }
            if growth - 1.0 > best.2 {
                best = (FAST[f], SLOW[s], growth - 1.0);
            }
        }
    }
    best
}

/// Folds every symbol's facts into the summary.
pub fn summarise(spec: &JobSpec, facts: &[SymbolFacts]) -> JobSummary {
    let count = facts.len().max(1) as f64;
    let best = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (i, f.total_return))
        .fold((0, f64::NEG_INFINITY), |best, next| if next.1 > best.1 { next } else { best });
    JobSummary {
        symbols: facts.len(),
        bars: facts.len() * spec.days,
        above_200_day: facts.iter().filter(|f| f.above_200_day).count(),
        best,
        mean_volatility: facts.iter().map(|f| f.volatility).sum::<f64>() / count,
        mean_best_crossover: facts.iter().map(|f| f.best_crossover.2).sum::<f64>() / count,
    }
}

/// The whole job in one go (inline, or inside the worker).
pub fn run(spec: &JobSpec) -> JobSummary {
    let facts: Vec<SymbolFacts> = (0..spec.symbols).map(|i| analyse(spec, i)).collect();
    summarise(spec, &facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_is_deterministic_and_piecewise_equal_to_whole() {
        let spec = JobSpec { symbols: 6, days: 400, seed: 1 };
        let whole = run(&spec);
        let pieces: Vec<SymbolFacts> = (0..6).rev().map(|i| analyse(&spec, i)).rev().collect();
        assert_eq!(summarise(&spec, &pieces), whole);
        assert_eq!(whole.symbols, 6);
        assert_eq!(whole.bars, 2400);
        assert!(whole.mean_volatility > 0.1 && whole.mean_volatility < 1.0, "{whole:?}");
        assert_ne!(run(&JobSpec { seed: 2, ..spec }), whole, "the seed matters");
    }

    #[test]
    fn the_crossover_backtest_finds_the_best_pair() {
        // Rising steadily: the fast average is always above the slow one, so
        // every pair holds from its first signal; the earliest signal wins.
        let closes: Vec<f64> = (0..400).map(|d| 100.0 + d as f64).collect();
        let (fast, slow, gain) = best_crossover(&closes);
        assert_eq!((fast, slow), (5, 60));
        assert!((gain - (499.0 / 159.0 - 1.0)).abs() < 1e-9, "{gain}");
        assert_eq!(rsi(&[0.01, -0.01], 14), 50.0);
        assert_eq!(rsi(&[], 14), 50.0);
    }
}
