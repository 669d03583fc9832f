//! What the server is told at start: how slow it is, what fails, who may call it.

use std::{collections::BTreeSet, path::PathBuf, time::Duration};

/// The API key that works out of the box, and the app's default.
pub const DEMO_KEY: &str = "demo";

/// How the server behaves. `Config::default()` is the everyday setup: fast,
/// nothing failing, the demo key.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long each endpoint takes to answer.
    pub profile: LatencyProfile,
    /// Symbols whose quote answers `503 Service Unavailable`.
    pub failing_symbols: BTreeSet<String>,
    /// Keys accepted in `Authorization: Bearer <key>`.
    pub api_keys: BTreeSet<String>,
    /// Seed of the simulated market: the same seed, the same prices.
    pub seed: u64,
    /// A built app (trunk's `dist/`) to serve on the same origin.
    pub dist: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: LatencyProfile::Fast,
            failing_symbols: BTreeSet::new(),
            api_keys: BTreeSet::from([DEMO_KEY.to_owned()]),
            seed: 42,
            dist: None,
        }
    }
}

/// The endpoints whose latency a profile sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /api/v1/quotes/{symbol}`.
    Quote,
    /// `GET /api/v1/history/{symbol}`.
    History,
    /// `GET /api/v1/portfolio`.
    Portfolio,
}

/// How long the server waits before answering each endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LatencyProfile {
    /// Tens of milliseconds: for everyday use.
    #[default]
    Fast,
    /// The seed article's numbers: quotes 1 s, history 1.5 s, portfolio 0.5 s.
    Seed,
}

impl LatencyProfile {
    /// The time `endpoint` takes under this profile.
    pub fn latency(self, endpoint: Endpoint) -> Duration {
        let ms = match (self, endpoint) {
            (LatencyProfile::Fast, Endpoint::Quote) => 20,
            (LatencyProfile::Fast, Endpoint::History) => 40,
            (LatencyProfile::Fast, Endpoint::Portfolio) => 10,
            (LatencyProfile::Seed, Endpoint::Quote) => 1000,
            (LatencyProfile::Seed, Endpoint::History) => 1500,
            (LatencyProfile::Seed, Endpoint::Portfolio) => 500,
        };
        Duration::from_millis(ms)
    }
}
