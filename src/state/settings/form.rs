//! The settings as the form edits them: text per field, validated into
//! [`Settings`] with one message per field that is wrong.

use super::{AutoRefresh, MAX_CONCURRENCY, MAX_CREDITS_PER_DAY, MAX_CREDITS_PER_MINUTE, MAX_RETRIES, Settings, Source};

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
    use std::time::Duration;

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
}
