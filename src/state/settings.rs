//! The user's settings: where the API is, the key, and how refreshes run.
//! Edited as text in a form; [`SettingsForm::validate`] turns the text into
//! [`Settings`] or one message per field that is wrong.

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

/// The settings form: every field as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsForm {
    /// API base URL.
    pub api_base_url: String,
    /// API key.
    pub api_key: String,
    /// "Remember on this device".
    pub remember_key: bool,
    /// Concurrency limit.
    pub concurrency: String,
    /// Timeout, in seconds.
    pub timeout_seconds: String,
    /// Retries.
    pub retries: String,
    /// Auto-refresh choice (`off`, `5s`, …).
    pub auto_refresh: String,
    /// Data source (`api`, `twelvedata`).
    pub source: String,
    /// Provider address.
    pub provider_url: String,
    /// Provider key.
    pub provider_key: String,
    /// The provider's minute, in seconds.
    pub provider_minute_seconds: String,
    /// Credits a minute.
    pub provider_per_minute: String,
    /// Credits a day (0: none counted).
    pub provider_per_day: String,
}

/// A form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// API base URL.
    ApiBaseUrl,
    /// API key.
    ApiKey,
    /// Concurrency limit.
    Concurrency,
    /// Timeout.
    Timeout,
    /// Retries.
    Retries,
    /// Auto-refresh.
    AutoRefresh,
    /// Data source.
    Source,
    /// Provider address.
    ProviderUrl,
    /// Provider key.
    ProviderKey,
    /// The provider's minute.
    ProviderMinute,
    /// Credits a minute.
    ProviderPerMinute,
    /// Credits a day.
    ProviderPerDay,
}

impl From<&Settings> for SettingsForm {
    fn from(s: &Settings) -> Self {
        SettingsForm {
            api_base_url: s.api_base_url.clone(),
            api_key: s.api_key.clone(),
            remember_key: s.remember_key,
            concurrency: s.concurrency.to_string(),
            timeout_seconds: format!("{}", s.timeout_ms as f64 / 1000.0),
            retries: s.retries.to_string(),
            auto_refresh: s.auto_refresh.as_str().to_owned(),
            source: s.source.as_str().to_owned(),
            provider_url: s.provider_url.clone(),
            provider_key: s.provider_key.clone(),
            provider_minute_seconds: (s.provider_minute_ms as f64 / 1000.0).to_string(),
            provider_per_minute: s.provider_per_minute.to_string(),
            provider_per_day: s.provider_per_day.to_string(),
        }
    }
}

impl SettingsForm {
    /// The settings, or a message for each field that is wrong.
    pub fn validate(&self) -> Result<Settings, Vec<(Field, String)>> {
        let mut errors = Vec::new();
        let api_base_url = self.api_base_url.trim().trim_end_matches('/').to_owned();
        if !api_base_url.is_empty() && !is_http_url(&api_base_url) {
            errors.push((
                Field::ApiBaseUrl,
                "enter an address starting with http:// or https:// (for example http://127.0.0.1:8787), \
                 or leave it empty for this site"
                    .to_owned(),
            ));
        }
        let api_key = self.api_key.trim().to_owned();
        if api_key.is_empty() || api_key.chars().any(|c| c.is_control() || c.is_whitespace()) {
            errors.push((Field::ApiKey, "enter the API key, without spaces (the local API takes \"demo\")".to_owned()));
        }
        let concurrency = match self.concurrency.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_CONCURRENCY as i64).contains(&n) => n as usize,
            _ => {
                errors.push((Field::Concurrency, format!("enter a whole number from 1 to {MAX_CONCURRENCY}")));
                0
            }
        };
        let timeout_ms = match self.timeout_seconds.trim().parse::<f64>() {
            Ok(s) if s.is_finite() && (0.5..=120.0).contains(&s) => (s * 1000.0).round() as u64,
            _ => {
                errors.push((Field::Timeout, "enter a number of seconds from 0.5 to 120".to_owned()));
                0
            }
        };
        let retries = match self.retries.trim().parse::<i64>() {
            Ok(n) if (0..=i64::from(MAX_RETRIES)).contains(&n) => n as u32,
            _ => {
                errors.push((Field::Retries, format!("enter a whole number from 0 to {MAX_RETRIES}")));
                0
            }
        };
        let auto_refresh = AutoRefresh::parse(self.auto_refresh.trim()).unwrap_or_else(|| {
            errors.push((Field::AutoRefresh, "choose off, 1 s, 5 s, 15 s or 60 s".to_owned()));
            AutoRefresh::Off
        });
        let source = Source::parse(self.source.trim()).unwrap_or_else(|| {
            errors.push((Field::Source, "choose the Tickerboard API or Twelve Data".to_owned()));
            Source::Api
        });
        let provider_url = self.provider_url.trim().trim_end_matches('/').to_owned();
        let provider_key = self.provider_key.trim().to_owned();
        let minute = self.provider_minute_seconds.trim().parse::<f64>().ok().filter(|s| (0.5..=3600.0).contains(s));
        let per_minute =
            self.provider_per_minute.trim().parse::<u32>().ok().filter(|n| (1..=MAX_CREDITS_PER_MINUTE).contains(n));
        let per_day = self.provider_per_day.trim().parse::<u32>().ok().filter(|n| *n <= MAX_CREDITS_PER_DAY);
        if source == Source::TwelveData {
            if !is_http_url(&provider_url) {
                errors.push((
                    Field::ProviderUrl,
                    format!("enter Twelve Data's address, {}", providers::twelvedata::BASE_URL),
                ));
            }
            if provider_key.is_empty() || provider_key.chars().any(|c| c.is_control() || c.is_whitespace()) {
                errors.push((Field::ProviderKey, "enter your Twelve Data API key, without spaces".to_owned()));
            }
            if minute.is_none() {
                errors.push((
                    Field::ProviderMinute,
                    "enter a number of seconds from 0.5 to 3600 (60 for the real service)".to_owned(),
                ));
            }
            if per_minute.is_none() {
                errors.push((
                    Field::ProviderPerMinute,
                    format!("enter a whole number of credits from 1 to {MAX_CREDITS_PER_MINUTE} (8 on the free plan)"),
                ));
            }
            if per_day.is_none() || per_day.zip(per_minute).is_some_and(|(day, minute)| day > 0 && day < minute) {
                errors.push((
                    Field::ProviderPerDay,
                    format!(
                        "enter a whole number of credits from 0 to {MAX_CREDITS_PER_DAY}, and no fewer than a minute's (800 on the free plan; 0 if your plan counts no days)"
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            api_base_url,
            api_key,
            remember_key: self.remember_key,
            concurrency,
            timeout_ms,
            retries,
            auto_refresh,
            source,
            provider_url: if provider_url.is_empty() {
                providers::twelvedata::BASE_URL.to_owned()
            } else {
                provider_url
            },
            provider_key,
            provider_minute_ms: minute.map_or(60_000, |s| (s * 1000.0).round() as u64),
            provider_per_minute: per_minute.unwrap_or(Settings::default().provider_per_minute),
            provider_per_day: per_day.unwrap_or(Settings::default().provider_per_day),
        })
    }
}

/// `http://host[:port][/path]` or `https://…`, with a host and nothing that
/// does not belong in a URL.
fn is_http_url(text: &str) -> bool {
    let rest = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !host.starts_with(':') && rest.chars().all(|c| c.is_ascii_graphic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm::from(&Settings::default())
    }

    fn fields(result: Result<Settings, Vec<(Field, String)>>) -> Vec<Field> {
        result.err().unwrap_or_default().into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn the_defaults_are_valid_and_make_the_policy() {
        let settings = form().validate().unwrap();
        assert_eq!(settings, Settings::default());
        let policy = settings.policy();
        assert_eq!(policy.concurrency, Some(16));
        assert_eq!(policy.attempt_timeout, Some(Duration::from_secs(10)));
        assert_eq!(policy.max_attempts, 3);
    }

    #[test]
    fn twelve_data_direct_brings_its_budget_and_needs_its_key() {
        let direct = SettingsForm { source: "twelvedata".into(), provider_key: "k3y".into(), ..form() };
        let settings = direct.clone().validate().unwrap();
        let credits = settings.policy().credits.expect("a credit budget");
        assert_eq!((credits.limit, credits.window), (8, Duration::from_secs(63)), "8 a minute, with a margin");
        assert_eq!(Settings::default().policy().credits, None, "the Tickerboard API has none");
        let short = SettingsForm { provider_minute_seconds: "5".into(), ..direct.clone() }.validate().unwrap();
        assert_eq!(short.policy().credits.unwrap().window, Duration::from_millis(5_250));
        assert_eq!(fields(SettingsForm { provider_key: "".into(), ..direct.clone() }.validate()), [Field::ProviderKey]);
        assert_eq!(
            fields(SettingsForm { provider_url: "ftp://x".into(), ..direct.clone() }.validate()),
            [Field::ProviderUrl]
        );
        assert_eq!(
            fields(SettingsForm { provider_minute_seconds: "0".into(), ..direct.clone() }.validate()),
            [Field::ProviderMinute]
        );
        let saved = settings.encode();
        assert!(!saved.contains("k3y"), "the provider key is not saved with the settings: {saved}");
    }

    #[test]
    fn the_plans_credits_a_minute_and_a_day_come_from_the_settings() {
        let direct = SettingsForm { source: "twelvedata".into(), provider_key: "k3y".into(), ..form() };
        let free = direct.clone().validate().unwrap().provider_limits().unwrap();
        assert_eq!((free.per_minute, free.per_day, free.batch_size()), (8, Some(800), 8), "the free plan by default");
        let paid = SettingsForm { provider_per_minute: "55".into(), provider_per_day: "0".into(), ..direct.clone() };
        let paid = paid.validate().unwrap();
        let limits = paid.provider_limits().unwrap();
        assert_eq!((limits.per_minute, limits.per_day, limits.batch_size()), (55, None, 55), "0: no day counted");
        assert_eq!(paid.policy().credits.unwrap().limit, 55);
        for bad in ["0", "-8", "eight", "100001", ""] {
            assert_eq!(
                fields(SettingsForm { provider_per_minute: bad.into(), ..direct.clone() }.validate()),
                [Field::ProviderPerMinute],
                "{bad}"
            );
        }
        for bad in ["-1", "8.5", "100000001", "", "7"] {
            assert_eq!(
                fields(SettingsForm { provider_per_day: bad.into(), ..direct.clone() }.validate()),
                [Field::ProviderPerDay],
                "{bad}"
            );
        }
        // Settings saved before these fields existed read as the free plan.
        let (old, note) = Settings::decode(Some(r#"{"source":"twelvedata","concurrency":4}"#), None, Some("k".into()));
        assert_eq!((old.provider_per_minute, old.provider_per_day, note), (8, 800, None));
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        for bad in ["0", "-3", "100000", "two", ""] {
            assert_eq!(
                fields(SettingsForm { concurrency: bad.into(), ..form() }.validate()),
                [Field::Concurrency],
                "{bad}"
            );
        }
        for bad in ["0", "-1", "NaN", "inf", "121"] {
            assert_eq!(
                fields(SettingsForm { timeout_seconds: bad.into(), ..form() }.validate()),
                [Field::Timeout],
                "{bad}"
            );
        }
        for bad in ["ftp://x", "http://", "localhost:8787", "http://a b", "javascript:alert(1)"] {
            assert_eq!(
                fields(SettingsForm { api_base_url: bad.into(), ..form() }.validate()),
                [Field::ApiBaseUrl],
                "{bad}"
            );
        }
        assert_eq!(fields(SettingsForm { api_key: " ".into(), ..form() }.validate()), [Field::ApiKey]);
        assert_eq!(fields(SettingsForm { retries: "11".into(), ..form() }.validate()), [Field::Retries]);
        assert_eq!(fields(SettingsForm { auto_refresh: "2s".into(), ..form() }.validate()), [Field::AutoRefresh]);
        let all_wrong = SettingsForm { concurrency: "0".into(), timeout_seconds: "0".into(), ..form() };
        assert_eq!(fields(all_wrong.validate()), [Field::Concurrency, Field::Timeout]);
    }

    #[test]
    fn good_values_are_normalised() {
        let form = SettingsForm {
            api_base_url: " https://api.example.com/ ".into(),
            timeout_seconds: "2.5".into(),
            concurrency: "2".into(),
            auto_refresh: "off".into(),
            ..form()
        };
        let settings = form.validate().unwrap();
        assert_eq!(settings.api_base_url, "https://api.example.com");
        assert_eq!(settings.timeout_ms, 2500);
        assert_eq!(settings.auto_refresh.interval(), None);
        assert_eq!(settings.auto_refresh.stale_after(), Duration::from_secs(120));
    }

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
