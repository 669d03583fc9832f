//! Market data providers mapped onto the market API's own types, shared by
//! the browser (calling a provider directly with the user's key) and the
//! server (calling it on the browsers' behalf, with one budget for all).
//!
//! Each provider module says how to ask (an [`HttpGet`]: URL and headers,
//! the key only ever in a header), how to read the answer into
//! [`market::Quote`]s and [`market::Bar`]s symbol by symbol, how to classify
//! its failures ([`ProviderError`]), and what its plan allows ([`Limits`]).
//! No HTTP client is named here: the browser sends with `gloo-net`, the
//! server with its own client, and tests read fixtures.

pub mod alpaca;
mod day;
mod number;
mod time;
pub mod twelvedata;

use std::{fmt, time::Duration};

pub use day::{DayBudget, DayTally, in_words};

/// The providers Tickerboard can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderId {
    /// Twelve Data (`api.twelvedata.com`): callable from the browser with the user's key.
    TwelveData,
    /// Alpaca Market Data (`data.alpaca.markets`): through the server only, since
    /// its secret is also a trading credential.
    Alpaca,
}

impl ProviderId {
    /// Every provider.
    pub const ALL: [ProviderId; 2] = [ProviderId::TwelveData, ProviderId::Alpaca];

    /// The provider's name as people write it.
    pub fn title(self) -> &'static str {
        match self {
            ProviderId::TwelveData => "Twelve Data",
            ProviderId::Alpaca => "Alpaca",
        }
    }

    /// Its name in flags and settings: `twelvedata`, `alpaca`.
    pub fn slug(self) -> &'static str {
        match self {
            ProviderId::TwelveData => "twelvedata",
            ProviderId::Alpaca => "alpaca",
        }
    }

    /// The provider whose [`ProviderId::slug`] is `text`.
    pub fn parse(text: &str) -> Option<ProviderId> {
        ProviderId::ALL.into_iter().find(|p| p.slug() == text.trim().to_ascii_lowercase())
    }

    /// What its free plan allows.
    pub fn limits(self) -> Limits {
        match self {
            ProviderId::TwelveData => twelvedata::LIMITS,
            ProviderId::Alpaca => alpaca::LIMITS,
        }
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// How a provider counts what a request costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// Each symbol of a request is a credit (Twelve Data).
    PerSymbol,
    /// Each request is one, however many symbols it names (Alpaca).
    PerRequest,
}

/// What a provider's plan allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most symbols one request may name.
    pub batch: usize,
    /// Credits (or requests) a minute.
    pub per_minute: u32,
    /// Credits (or requests) a day, if the plan counts them.
    pub per_day: Option<u32>,
    /// How a request is priced.
    pub cost: Cost,
}

impl Limits {
    /// What a request for `symbols` symbols costs.
    pub fn cost_of(&self, symbols: usize) -> u32 {
        match self.cost {
            Cost::PerSymbol => symbols as u32,
            Cost::PerRequest => 1,
        }
    }

    /// Batch size under this plan: never more symbols than a minute's budget
    /// buys, or a batch could never be sent.
    pub fn batch_size(&self) -> usize {
        match self.cost {
            Cost::PerSymbol => self.batch.min(self.per_minute as usize).max(1),
            Cost::PerRequest => self.batch.max(1),
        }
    }
}

/// One GET to send: the URL (no key in it, ever) and the headers (the key's place).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpGet {
    /// The whole URL.
    pub url: String,
    /// Header names and values, the key among them.
    pub headers: Vec<(&'static str, String)>,
}

impl fmt::Debug for HttpGet {
    /// Header values are left out: they hold the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("HttpGet").field("url", &self.url).field("headers", &names).finish()
    }
}

/// Why a provider gave no data, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The key is missing, wrong or lacks the permission.
    #[error("{provider} refused the API key; check it in Settings (or the server's environment)")]
    BadKey {
        /// Who refused it.
        provider: ProviderId,
    },
    /// The provider does not know the symbol.
    #[error("{provider} does not know {symbol}")]
    UnknownSymbol {
        /// Who said so.
        provider: ProviderId,
        /// The symbol asked for.
        symbol: String,
    },
    /// The plan's budget is spent until `retry_after` from now.
    #[error("{provider}: rate limited; the budget renews in {} s", retry_after.as_secs().max(1))]
    RateLimited {
        /// Who limited.
        provider: ProviderId,
        /// How long until the budget renews.
        retry_after: Duration,
    },
    /// The plan's budget for the day is spent: nothing more is served until
    /// it renews, `renews_in` from now (Twelve Data: at midnight UTC).
    #[error("{provider}: the day's budget of credits is spent; it renews in {}", in_words(*renews_in))]
    DayBudgetSpent {
        /// Whose budget.
        provider: ProviderId,
        /// How long until it renews.
        renews_in: Duration,
    },
    /// Fewer of the day's credits are left than a call needs (counted by
    /// the caller): it is not sent; a smaller call may still fit.
    #[error(
        "{provider}: only {left} of the day's credits are left and this call needs {needed}; the budget renews in {}",
        in_words(*renews_in)
    )]
    DayBudgetShort {
        /// Whose budget.
        provider: ProviderId,
        /// Credits left today.
        left: u32,
        /// What the call costs.
        needed: u32,
        /// How long until the budget renews.
        renews_in: Duration,
    },
    /// The provider failed (5xx) or refused for another reason.
    #[error("{provider} could not answer ({status}): {message}")]
    Down {
        /// Who failed.
        provider: ProviderId,
        /// The HTTP status or the body's code.
        status: u16,
        /// The provider's own words, shortened.
        message: String,
    },
    /// An answer that is not what the provider documents.
    #[error("{provider} sent data we could not read ({detail})")]
    Unreadable {
        /// Who sent it.
        provider: ProviderId,
        /// What was wrong.
        detail: String,
    },
}

impl ProviderError {
    /// Whether trying again later may help, and when.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after, .. } => Some(*retry_after),
            ProviderError::DayBudgetSpent { renews_in, .. } | ProviderError::DayBudgetShort { renews_in, .. } => {
                Some(*renews_in)
            }
            ProviderError::Down { status, .. } if *status >= 500 => Some(Duration::ZERO),
            _ => None,
        }
    }
}

/// Per symbol, its value or why there is none, in the order asked.
pub type PerSymbol<T> = Vec<(String, Result<T, ProviderError>)>;

/// How long until the provider's current window ends, for a window of
/// `window` aligned to the Unix epoch (Twelve Data's "current minute"), at
/// `now_ms` since the epoch.
pub fn until_next_window(now_ms: u64, window: Duration) -> Duration {
    let window_ms = (window.as_millis() as u64).max(1);
    Duration::from_millis(window_ms - now_ms % window_ms)
}

/// `message` cut to a readable length.
fn shorten(message: &str) -> String {
    const MOST: usize = 160;
    if message.chars().count() > MOST {
        format!("{}…", message.chars().take(MOST).collect::<String>())
    } else {
        message.to_owned()
    }
}
