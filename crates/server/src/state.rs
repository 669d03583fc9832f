//! What every handler and middleware shares: the configuration, the
//! simulated market, counters, the faults switched on at run time, the
//! emulator and the provider.

use std::sync::{Arc, atomic::AtomicU64};

use market::sim::Market;
use time::OffsetDateTime;

use crate::{config::Config, emulate::Emulator, rate_limit::RateLimiter, stats::Stats};

/// A fault tripped by `_faults`, and the one symbol it is limited to, if any.
pub(crate) type SwitchedFault = (crate::faults::Fault, Option<String>);

/// What every handler and middleware shares.
pub(crate) struct AppState {
    pub(crate) config: Config,
    pub(crate) market: Market,
    pub(crate) rate_limiter: Option<RateLimiter>,
    pub(crate) stats: Arc<Stats>,
    /// Symbols whose quotes fail (503): `--fail`, changed at run time by `_failing`.
    pub(crate) failing: std::sync::RwLock<std::collections::BTreeSet<String>>,
    /// A fault every request to an endpoint (or only those about one symbol)
    /// gets, set at run time by `_faults`.
    pub(crate) switched: std::sync::RwLock<std::collections::HashMap<crate::latency::Endpoint, SwitchedFault>>,
    /// The provider emulator's budgets and counters (`/emulate/…`).
    pub(crate) emulator: Emulator,
    /// Provider mode: where quotes and history come from instead of `market`.
    pub(crate) provider: Option<crate::provider::Source>,
    /// Numbers the requests, for each one's draw of latency and faults.
    pub(crate) sequence: AtomicU64,
}

impl AppState {
    /// The instant answers are computed for.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.config.frozen_time.unwrap_or_else(OffsetDateTime::now_utc)
    }
}

/// Whether a request to `uri` is about `symbol`: its last path segment (a
/// quote or a history) or its `symbols=` list (a batch) names it.
pub(crate) fn mentions(uri: &axum::http::Uri, symbol: &str) -> bool {
    let named = |s: &str| s.trim().eq_ignore_ascii_case(symbol);
    let last = uri.path().rsplit('/').next().unwrap_or_default();
    let listed = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.strip_prefix("symbols="))
        .any(|list| list.split(',').any(|s| named(&s.replace("%2C", ","))));
    named(last) || listed
}
