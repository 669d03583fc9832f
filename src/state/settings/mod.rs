//! The user's settings: where the API is, the key, and how refreshes run;
//! how they are saved and read back. Edited as text in a form ([`form`]):
//! [`SettingsForm::validate`] turns the text into [`Settings`] or one message
//! per field that is wrong.

mod form;

pub use form::{Field, SettingsForm};

use std::time::Duration;

use fanout::{Backoff, CreditWindow, Policy};
use serde::{Deserialize, Serialize};

/// The `localStorage` key of the settings (never the API key).
pub const SETTINGS_KEY: &str = "tickerboard.settings";
/// Where the API key is kept: `sessionStorage`, or `localStorage` if remembered.
pub const API_KEY_KEY: &str = "tickerboard.api_key";
/// Where the provider's key is kept, the same way.
pub const PROVIDER_KEY_KEY: &str = "tickerboard.provider_key";

/// How often the quotes refresh themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AutoRefresh {
    /// Only on demand.
    Off,
    /// Every second (a live ticker; also what the soak test runs).
    #[serde(rename = "1s")]
    Every1s,
    /// Every 5 s.
    #[serde(rename = "5s")]
    Every5s,
    /// Every 15 s.
    #[default]
    #[serde(rename = "15s")]
    Every15s,
    /// Every minute.
    #[serde(rename = "60s")]
    Every60s,
}

impl AutoRefresh {
    /// Every choice, in menu order.
    pub const ALL: [AutoRefresh; 5] =
        [AutoRefresh::Off, AutoRefresh::Every1s, AutoRefresh::Every5s, AutoRefresh::Every15s, AutoRefresh::Every60s];

    /// The interval, if any.
    pub fn interval(self) -> Option<Duration> {
        match self {
            AutoRefresh::Off => None,
            AutoRefresh::Every1s => Some(Duration::from_secs(1)),
            AutoRefresh::Every5s => Some(Duration::from_secs(5)),
            AutoRefresh::Every15s => Some(Duration::from_secs(15)),
            AutoRefresh::Every60s => Some(Duration::from_secs(60)),
        }
    }

    /// The form value and label: `off`, `1s`, `5s`, `15s`, `60s`.
    pub fn as_str(self) -> &'static str {
        match self {
            AutoRefresh::Off => "off",
            AutoRefresh::Every1s => "1s",
            AutoRefresh::Every5s => "5s",
            AutoRefresh::Every15s => "15s",
            AutoRefresh::Every60s => "60s",
        }
    }

    /// The choice whose [`AutoRefresh::as_str`] is `text`.
    pub fn parse(text: &str) -> Option<AutoRefresh> {
        AutoRefresh::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// Data older than this is marked stale: two intervals (two minutes when off).
    pub fn stale_after(self) -> Duration {
        self.interval().unwrap_or(Duration::from_secs(60)) * 2
    }
}

/// Where quotes and history come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Source {
    /// The Tickerboard API: the built-in market, or a server that calls a
    /// provider on the browsers' behalf (`cargo xtask serve --provider …`).
    #[default]
    #[serde(rename = "api")]
    Api,
    /// Twelve Data, called by this browser with the user's own key.
    #[serde(rename = "twelvedata")]
    TwelveData,
}

impl Source {
    /// Every choice, in menu order.
    pub const ALL: [Source; 2] = [Source::Api, Source::TwelveData];

    /// The form value: `api`, `twelvedata`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Api => "api",
            Source::TwelveData => "twelvedata",
        }
    }

    /// The menu's words.
    pub fn label(self) -> &'static str {
        match self {
            Source::Api => "Tickerboard API (built-in market, or a server with a provider)",
            Source::TwelveData => "Twelve Data, called from this browser with your key",
        }
    }

    /// The choice whose [`Source::as_str`] is `text`.
    pub fn parse(text: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The most requests in flight the settings allow.
pub const MAX_CONCURRENCY: usize = 256;
/// The most retries the settings allow.
pub const MAX_RETRIES: u32 = 10;
/// The most credits a minute a provider plan may be set to.
pub const MAX_CREDITS_PER_MINUTE: u32 = 100_000;
/// The most credits a day a provider plan may be set to.
pub const MAX_CREDITS_PER_DAY: u32 = 100_000_000;

/// Valid settings. The API key is kept apart from the rest when saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The API's base URL; empty for the page's own origin.
    pub api_base_url: String,
    /// The API key (sent only in the `Authorization` header).
    #[serde(skip)]
    pub api_key: String,
    /// Keep the key in `localStorage` (across sessions) instead of `sessionStorage`.
    pub remember_key: bool,
    /// At most this many requests in flight (1–256).
    pub concurrency: usize,
    /// Each attempt gives up after this long.
    pub timeout_ms: u64,
    /// Attempts after the first for transient failures.
    pub retries: u32,
    /// How often quotes refresh themselves.
    pub auto_refresh: AutoRefresh,
    /// Where quotes and history come from.
    pub source: Source,
    /// The provider's address (Twelve Data's, or an emulator's).
    pub provider_url: String,
    /// The user's provider key (kept like the API key, never with the rest).
    #[serde(skip)]
    pub provider_key: String,
    /// The provider's minute, for its budget: 60 000 ms, shorter against an emulator.
    pub provider_minute_ms: u64,
    /// Credits a minute the user's plan allows (Twelve Data's free plan: 8).
    pub provider_per_minute: u32,
    /// Credits a day the plan allows; 0 when it counts no days (free plan: 800).
    pub provider_per_day: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            api_base_url: String::new(),
            api_key: crate::api::DEMO_KEY.to_owned(),
            remember_key: false,
            concurrency: 16,
            timeout_ms: 10_000,
            retries: 2,
            auto_refresh: AutoRefresh::default(),
            source: Source::Api,
            provider_url: providers::twelvedata::BASE_URL.to_owned(),
            provider_key: String::new(),
            provider_minute_ms: 60_000,
            provider_per_minute: providers::twelvedata::LIMITS.per_minute,
            provider_per_day: providers::twelvedata::LIMITS.per_day.unwrap_or(0),
        }
    }
}

impl Settings {
    /// The engine's policy: the concurrency limit, the timeout per attempt and
    /// the retries with the default backoff; with a provider called directly,
    /// its credit budget (each request costs its symbols).
    pub fn policy(&self) -> Policy {
        // The window is a little longer than the provider's minute: two calls a
        // minute apart here may arrive a hair under a minute apart there.
        let minute = Duration::from_millis(self.provider_minute_ms);
        let credits = self.provider_limits().map(|limits| CreditWindow {
            limit: limits.per_minute,
            window: minute + (minute / 20).max(Duration::from_millis(250)),
        });
        Policy {
            concurrency: Some(self.concurrency),
            attempt_timeout: Some(Duration::from_millis(self.timeout_ms)),
            max_attempts: self.retries + 1,
            backoff: Backoff { base: Duration::from_millis(250), cap: Duration::from_secs(4) },
            credits,
            ..Policy::default()
        }
    }

    /// The provider this browser calls itself, if any.
    pub fn direct_provider(&self) -> Option<providers::ProviderId> {
        match self.source {
            Source::Api => None,
            Source::TwelveData => Some(providers::ProviderId::TwelveData),
        }
    }

    /// What the plan of the provider called directly allows: its own
    /// limits, with the credits a minute and a day from the settings.
    pub fn provider_limits(&self) -> Option<providers::Limits> {
        self.direct_provider().map(|provider| providers::Limits {
            per_minute: self.provider_per_minute,
            per_day: (self.provider_per_day > 0).then_some(self.provider_per_day),
            ..provider.limits()
        })
    }

    /// The settings without the key, as saved in `localStorage`.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Settings read back: unknown or damaged fields fall back to their
    /// defaults, and then the whole is validated again (a hand-edited store
    /// cannot smuggle in concurrency 0). Returns a message if something was off.
    pub fn decode(
        saved: Option<&str>,
        api_key: Option<String>,
        provider_key: Option<String>,
    ) -> (Settings, Option<String>) {
        let mut note = None;
        let mut settings = match saved.map(serde_json::from_str::<Settings>) {
            None => Settings::default(),
            Some(Ok(settings)) => settings,
            Some(Err(_)) => {
                note = Some("the saved settings could not be read; the defaults are in use".to_owned());
                Settings::default()
            }
        };
        if let Some(key) = api_key {
            settings.api_key = key;
        }
        settings.provider_key = provider_key.unwrap_or_default();
        match SettingsForm::from(&settings).validate() {
            Ok(valid) => (valid, note),
            Err(_) => {
                let (key, provider_key) = (settings.api_key, settings.provider_key);
                (
                    Settings { api_key: key, provider_key, ..Settings::default() },
                    Some("the saved settings were out of range; the defaults are in use".to_owned()),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_never_hold_the_key_and_bad_ones_fall_back() {
        let mut settings = Settings { api_key: "secret-key".into(), concurrency: 2, ..Settings::default() };
        let saved = settings.encode();
        assert!(!saved.contains("secret-key"), "{saved}");
        let (back, note) = Settings::decode(Some(&saved), Some("secret-key".into()), None);
        settings.api_key = "secret-key".into();
        assert_eq!((back, note), (settings, None));
        let (damaged, note) = Settings::decode(Some("{not json"), None, None);
        assert_eq!(damaged, Settings::default());
        assert!(note.unwrap().contains("could not be read"));
        let (smuggled, note) = Settings::decode(Some(r#"{"concurrency":0}"#), None, None);
        assert_eq!(smuggled.concurrency, 16);
        assert!(note.unwrap().contains("out of range"));
    }
}
