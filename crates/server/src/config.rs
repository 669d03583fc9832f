//! What the server is told at start: how slow it is, what fails, who may call
//! it, and how fast they may.

use std::{collections::BTreeSet, path::PathBuf};

use time::OffsetDateTime;

use crate::{faults::FaultPlan, latency::Latency, rate_limit::RateLimit};

/// The API key that works out of the box, and the app's default.
pub const DEMO_KEY: &str = "demo";

/// How the server behaves. `Config::default()` is the everyday setup: fast,
/// nothing failing, no rate limit, the demo key.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long each endpoint takes to answer.
    pub latency: Latency,
    /// Faults injected at random (deterministically, by seed).
    pub faults: FaultPlan,
    /// Symbols whose quote answers `503 Service Unavailable`.
    pub failing_symbols: BTreeSet<String>,
    /// Keys accepted in `Authorization: Bearer <key>`.
    pub api_keys: BTreeSet<String>,
    /// Requests per second allowed per key, if limited.
    pub rate_limit: Option<RateLimit>,
    /// Seed of the simulated market, the latency draws and the faults.
    pub seed: u64,
    /// A built app (trunk's `dist/`) to serve on the same origin.
    pub dist: Option<PathBuf>,
    /// Answer as if it were always this instant (tests); the real clock if `None`.
    pub frozen_time: Option<OffsetDateTime>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            latency: Latency::default(),
            faults: FaultPlan::default(),
            failing_symbols: BTreeSet::new(),
            api_keys: BTreeSet::from([DEMO_KEY.to_owned()]),
            rate_limit: None,
            seed: 42,
            dist: None,
            frozen_time: None,
        }
    }
}
