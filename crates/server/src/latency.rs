//! How long each endpoint takes: a profile (fixed or drawn from a seeded
//! log-normal distribution) or one fixed latency for everything.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// The endpoints, for latency, faults and statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `GET /api/v1/quotes/{symbol}`.
    Quote,
    /// `GET /api/v1/quotes?symbols=…`.
    Batch,
    /// `GET /api/v1/history/{symbol}`.
    History,
    /// `GET /api/v1/portfolio`.
    Portfolio,
    /// `GET /api/v1/symbols?q=…`.
    Symbols,
}

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 5] =
        [Endpoint::Quote, Endpoint::Batch, Endpoint::History, Endpoint::Portfolio, Endpoint::Symbols];

    /// The endpoint's name in `_stats`.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Quote => "quote",
            Endpoint::Batch => "batch",
            Endpoint::History => "history",
            Endpoint::Portfolio => "portfolio",
            Endpoint::Symbols => "symbols",
        }
    }
}

impl std::str::FromStr for Endpoint {
    type Err = String;

    /// By its name in `_stats` (`quote`, `batch`, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::ALL
            .into_iter()
            .find(|e| e.name() == s)
            .ok_or_else(|| format!("unknown endpoint {s:?}: use quote, batch, history, portfolio or symbols"))
    }
}

/// A named set of latencies per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LatencyProfile {
    /// Tens of milliseconds: for everyday use.
    #[default]
    Fast,
    /// The seed article's numbers: quotes 1 s, history 1.5 s, portfolio 0.5 s.
    Seed,
    /// Log-normal with a heavy tail: median 80 ms, p99 800 ms (history 1.5×).
    Realistic,
}

/// The latency setting: a profile, or one fixed duration for every endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latency {
    /// Per-endpoint latencies of a profile.
    Profile(LatencyProfile),
    /// The same fixed latency everywhere.
    Fixed(Duration),
}

impl Default for Latency {
    fn default() -> Self {
        Latency::Profile(LatencyProfile::Fast)
    }
}

/// p99 / p50 of the realistic profile: exp(2.326 σ) = 10, so σ = ln 10 / 2.326.
const REALISTIC_SIGMA: f64 = std::f64::consts::LN_10 / 2.326_347_874;

impl Latency {
    /// How long `endpoint` takes for the request whose draw is `draw` (a
    /// number unique to the request; the same draw gives the same latency).
    pub fn sample(self, endpoint: Endpoint, draw: u64) -> Duration {
        let profile = match self {
            Latency::Fixed(latency) => return latency,
            Latency::Profile(profile) => profile,
        };
        let ms = |ms: u64| Duration::from_millis(ms);
        match (profile, endpoint) {
            (LatencyProfile::Fast, Endpoint::Quote) => ms(20),
            (LatencyProfile::Fast, Endpoint::Batch) => ms(25),
            (LatencyProfile::Fast, Endpoint::History) => ms(40),
            (LatencyProfile::Fast, Endpoint::Portfolio | Endpoint::Symbols) => ms(10),
            (LatencyProfile::Seed, Endpoint::Quote | Endpoint::Batch) => ms(1000),
            (LatencyProfile::Seed, Endpoint::History) => ms(1500),
            (LatencyProfile::Seed, Endpoint::Portfolio) => ms(500),
            (LatencyProfile::Seed, Endpoint::Symbols) => ms(100),
            (LatencyProfile::Realistic, _) => {
                let median = if endpoint == Endpoint::History { 120.0 } else { 80.0 };
                let z: f64 = ChaCha8Rng::seed_from_u64(draw).sample(StandardNormal);
                // Capped at a minute, so a freak draw cannot look like a hang.
                Duration::from_secs_f64((median * (REALISTIC_SIGMA * z).exp()).min(60_000.0) / 1000.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percentile(sorted: &[Duration], p: f64) -> Duration {
        sorted[((sorted.len() - 1) as f64 * p).round() as usize]
    }

    #[test]
    fn the_seed_profile_is_the_articles_numbers() {
        let seed = Latency::Profile(LatencyProfile::Seed);
        assert_eq!(seed.sample(Endpoint::Quote, 1), Duration::from_secs(1));
        assert_eq!(seed.sample(Endpoint::History, 2), Duration::from_millis(1500));
        assert_eq!(seed.sample(Endpoint::Portfolio, 3), Duration::from_millis(500));
    }

    #[test]
    fn the_realistic_profile_has_median_80_ms_and_p99_800_ms() {
        let realistic = Latency::Profile(LatencyProfile::Realistic);
        let mut samples: Vec<Duration> = (0..20_000).map(|draw| realistic.sample(Endpoint::Quote, draw)).collect();
        samples.sort();
        let (p50, p99) = (percentile(&samples, 0.50), percentile(&samples, 0.99));
        assert!((72..=88).contains(&p50.as_millis()), "p50 {p50:?}");
        assert!((680..=940).contains(&p99.as_millis()), "p99 {p99:?}");
        assert_eq!(realistic.sample(Endpoint::Quote, 7), realistic.sample(Endpoint::Quote, 7), "deterministic");
    }

    #[test]
    fn a_fixed_latency_applies_everywhere() {
        let fixed = Latency::Fixed(Duration::from_millis(200));
        for endpoint in Endpoint::ALL {
            assert_eq!(fixed.sample(endpoint, 0), Duration::from_millis(200));
        }
    }
}
