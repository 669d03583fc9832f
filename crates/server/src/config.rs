//! What the server is told at start: how slow it is, what fails, who may call
//! it, and how fast they may; the provider emulator's keys and budgets; and,
//! in provider mode, which real provider answers quotes and history.

use std::{collections::BTreeSet, fmt, path::PathBuf, time::Duration};

use providers::ProviderId;
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
    /// The provider emulator (`/emulate/…`): its keys and its budgets.
    pub emulate: EmulateConfig,
    /// Quotes and history from a real provider instead of the simulated
    /// market (portfolio and symbol search stay simulated).
    pub provider: Option<ProviderConfig>,
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
            emulate: EmulateConfig::default(),
            provider: None,
        }
    }
}

/// The provider emulator's settings. Its `Debug` leaves the keys out.
#[derive(Clone, PartialEq, Eq)]
pub struct EmulateConfig {
    /// The Twelve Data key (`Authorization: apikey …` or `?apikey=`) and the
    /// Alpaca key id (`APCA-API-KEY-ID`).
    pub key: String,
    /// The Alpaca secret (`APCA-API-SECRET-KEY`).
    pub secret: String,
    /// How long an emulated minute lasts (budget windows are multiples of it
    /// since the Unix epoch; a day is 1 440 of them).
    pub minute: Duration,
    /// Alpaca requests allowed per emulated minute.
    pub alpaca_per_minute: u32,
    /// Twelve Data credits allowed per emulated day.
    pub twelvedata_per_day: u32,
}

impl Default for EmulateConfig {
    fn default() -> Self {
        EmulateConfig {
            key: "emulator-key".to_owned(),
            secret: "emulator-secret".to_owned(),
            minute: Duration::from_secs(60),
            alpaca_per_minute: providers::alpaca::LIMITS.per_minute,
            twelvedata_per_day: providers::twelvedata::LIMITS.per_day.unwrap_or(u32::MAX),
        }
    }
}

impl fmt::Debug for EmulateConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulateConfig")
            .field("minute", &self.minute)
            .field("alpaca_per_minute", &self.alpaca_per_minute)
            .field("twelvedata_per_day", &self.twelvedata_per_day)
            .finish_non_exhaustive()
    }
}

/// Provider mode: which provider answers quotes and history, where, with
/// which keys. Its `Debug` leaves the keys out.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    /// The provider.
    pub id: ProviderId,
    /// Its base URL (the real API, or an emulator's `/emulate/<provider>`).
    pub url: String,
    /// The budget's minute (60 s; shorter to match an emulator's).
    pub minute: Duration,
    /// The server's own keys for it.
    pub keys: ProviderKeys,
}

/// The server's keys for its provider.
#[derive(Clone, PartialEq, Eq)]
pub enum ProviderKeys {
    /// Twelve Data's API key.
    TwelveData(String),
    /// Alpaca's key id and secret.
    Alpaca(providers::alpaca::Keys),
}

/// The environment variable holding the Twelve Data key.
pub const TWELVEDATA_KEY_VAR: &str = "TWELVEDATA_API_KEY";
/// The environment variable holding the Alpaca key id.
pub const ALPACA_KEY_ID_VAR: &str = "APCA_API_KEY_ID";
/// The environment variable holding the Alpaca secret.
pub const ALPACA_SECRET_VAR: &str = "APCA_API_SECRET_KEY";

impl ProviderConfig {
    /// Provider mode for `id` at `url` (its real API if `None`), with the keys
    /// read by `var` (the environment, in `main`), or the name of the
    /// variable that is missing.
    ///
    /// ```
    /// use std::time::Duration;
    /// use server::config::{ProviderConfig, ProviderKeys};
    /// let env = |name: &str| (name == "TWELVEDATA_API_KEY").then(|| "k".to_owned());
    /// let config = ProviderConfig::from_vars(providers::ProviderId::TwelveData, None, Duration::from_secs(60), env).unwrap();
    /// assert_eq!(config.url, providers::twelvedata::BASE_URL);
    /// assert_eq!(config.keys, ProviderKeys::TwelveData("k".into()));
    /// let missing = ProviderConfig::from_vars(providers::ProviderId::Alpaca, None, Duration::from_secs(60), env);
    /// assert!(missing.unwrap_err().contains("APCA_API_KEY_ID"));
    /// ```
    pub fn from_vars(
        id: ProviderId,
        url: Option<String>,
        minute: Duration,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<ProviderConfig, String> {
        let read = |name: &str| {
            var(name).filter(|value| !value.trim().is_empty()).map(|value| value.trim().to_owned()).ok_or_else(|| {
                format!("{name} is not set: provider mode ({}) reads its key from the environment", id.slug())
            })
        };
        let (keys, default_url) = match id {
            ProviderId::TwelveData => {
                (ProviderKeys::TwelveData(read(TWELVEDATA_KEY_VAR)?), providers::twelvedata::BASE_URL)
            }
            ProviderId::Alpaca => (
                ProviderKeys::Alpaca(providers::alpaca::Keys {
                    id: read(ALPACA_KEY_ID_VAR)?,
                    secret: read(ALPACA_SECRET_VAR)?,
                }),
                providers::alpaca::BASE_URL,
            ),
        };
        Ok(ProviderConfig { id, url: url.unwrap_or_else(|| default_url.to_owned()), minute, keys })
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("minute", &self.minute)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ProviderKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderKeys { .. }")
    }
}
