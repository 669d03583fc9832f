//! Why a request failed, in words a user can act on.

use std::time::Duration;

use fanout::{Classify, Failure, Retryable};
use market::ErrorBody;

/// A failed request to the market API. `Display` is the sentence the app shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// No answer at all: the network, the address or CORS.
    #[error("could not reach the market API ({0}); check the connection and the API address")]
    Network(String),
    /// 401: the key was missing or refused.
    #[error("the API key was refused; check the key in Settings")]
    Unauthorized,
    /// 404 for a symbol the market does not list.
    #[error("{0} is not a listed symbol")]
    UnknownSymbol(String),
    /// 5xx: the server could not answer now.
    #[error("{what}: server unavailable ({status}); try again shortly")]
    Unavailable {
        /// What was asked for (a symbol, "the portfolio").
        what: String,
        /// The HTTP status.
        status: u16,
    },
    /// Any other refusal, with the server's own message.
    #[error("{what}: the server refused the request ({status}): {message}")]
    Refused {
        /// What was asked for.
        what: String,
        /// The HTTP status.
        status: u16,
        /// The server's message, or a generic one.
        message: String,
    },
    /// 429: too many requests; the server said when to come back.
    #[error("{what}: rate limited by the server; it asked us to wait {retry_after_seconds} s")]
    RateLimited {
        /// What was asked for.
        what: String,
        /// The server's `Retry-After`, in seconds.
        retry_after_seconds: u64,
    },
    /// The answer started but its body never arrived whole (the connection
    /// broke or the body was cut off on the way).
    #[error("the connection broke while the answer was arriving ({0}); try again")]
    Incomplete(String),
    /// A 2xx answer whose body is not what the API promises.
    #[error("the server sent data we could not read ({0})")]
    Decode(String),
    /// An answer that decoded but cannot be right (a negative price).
    #[error("the server sent an impossible value ({0}), so it is not shown")]
    Implausible(String),
    /// An answer bigger than the app will read.
    #[error("{what}: the server's answer is too large ({size}; the app reads at most {limit})")]
    TooLarge {
        /// What was asked for.
        what: String,
        /// How big it is, as far as known ("10.5 MB", "over 2 MB").
        size: String,
        /// The app's limit, in words ("2 MB").
        limit: String,
    },
    /// The part of the app that makes this request is loaded on first use
    /// (the direct provider's), and it could not be fetched.
    #[error(
        "the app's code for this request did not arrive (the network failed, or the server no longer has this \
         version of Tickerboard); try again, or reload the page"
    )]
    CodeMissing,
    /// No answer within the time allowed, after every retry.
    #[error("no answer in time; try again")]
    TimedOut,
    /// A provider called directly gave no data; its own sentence.
    #[error("{0}")]
    Provider(providers::ProviderError),
    /// A provider called directly never answered: the browser cannot tell a
    /// refused cross-origin call (CORS) from an unreachable host.
    #[error(
        "could not reach {provider} ({detail}): it may refuse calls from a web page (CORS) or be unreachable; \
         run the server with `cargo xtask serve --provider {}` and use the Tickerboard API instead",
        provider.slug()
    )]
    ProviderUnreachable {
        /// Which provider.
        provider: providers::ProviderId,
        /// The browser's words.
        detail: String,
    },
    /// The user (or a newer refresh) cancelled the request.
    #[error("cancelled")]
    Cancelled,
}

impl Classify for FetchError {
    /// Network trouble, 5xx and 408 are worth retrying; a 429 waits for its
    /// `Retry-After`; everything else is permanent.
    fn classify(&self) -> Retryable {
        match self {
            FetchError::Network(_) | FetchError::Incomplete(_) | FetchError::Unavailable { .. } => Retryable::Yes,
            FetchError::ProviderUnreachable { .. } | FetchError::CodeMissing => Retryable::Yes,
            // Hours away: the row says when it renews, and later refreshes
            // stop before the call (`day_budget`) until then.
            FetchError::Provider(
                providers::ProviderError::DayBudgetSpent { .. } | providers::ProviderError::DayBudgetShort { .. },
            ) => Retryable::No,
            FetchError::Provider(error) => match error.retry_after() {
                Some(wait) if wait.is_zero() => Retryable::Yes,
                Some(wait) => Retryable::After(wait),
                None => Retryable::No,
            },
            FetchError::Refused { status: 408, .. } => Retryable::Yes,
            FetchError::RateLimited { retry_after_seconds, .. } => {
                Retryable::After(Duration::from_secs(*retry_after_seconds))
            }
            _ => Retryable::No,
        }
    }
}

impl From<Failure<FetchError>> for FetchError {
    fn from(failure: Failure<FetchError>) -> Self {
        match failure {
            Failure::Request(err) => err,
            Failure::TimedOut | Failure::DeadlineExceeded => FetchError::TimedOut,
            Failure::Cancelled => FetchError::Cancelled,
        }
    }
}

impl FetchError {
    /// Classifies a non-2xx answer about `what`, with the API's error body if it
    /// sent one.
    pub fn from_status(status: u16, what: &str, body: Option<ErrorBody>) -> FetchError {
        let code = body.as_ref().map(|b| b.code.as_str());
        match (status, code) {
            (401, _) => FetchError::Unauthorized,
            (429, _) => FetchError::RateLimited { what: what.to_owned(), retry_after_seconds: 1 },
            (404, Some("unknown_symbol")) => FetchError::UnknownSymbol(what.to_owned()),
            (500..=599, _) => FetchError::Unavailable { what: what.to_owned(), status },
            _ => FetchError::Refused {
                what: what.to_owned(),
                status,
                message: body.map_or_else(|| "no details given".to_owned(), |b| b.message),
            },
        }
    }

    /// Classifies one symbol's entry in a batch answer's `errors` (the same
    /// body as a whole-request error, without its HTTP status).
    pub fn from_batch_entry(symbol: &str, body: ErrorBody) -> FetchError {
        let status = match body.code.as_str() {
            "unauthorized" => 401,
            "bad_request" => 400,
            "unknown_symbol" | "not_found" => 404,
            "rate_limited" => 429,
            "unavailable" => 503,
            _ => 500,
        };
        FetchError::from_status(status, symbol, Some(body))
    }

    /// Takes the server's `Retry-After` into a 429: whole seconds (`3`) or an
    /// HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`), which is read against
    /// `now` (since the Unix epoch). A date in the past means "now"; a header
    /// that is neither keeps the default wait.
    pub fn with_retry_after(self, header: Option<&str>, now: Duration) -> FetchError {
        match (self, header.and_then(|h| retry_after_seconds(h, now))) {
            (FetchError::RateLimited { what, .. }, Some(seconds)) => {
                FetchError::RateLimited { what, retry_after_seconds: seconds }
            }
            (other, _) => other,
        }
    }
}

/// The longest `Retry-After` the app honours: a dashboard that waits longer
/// looks broken, and the header comes from whatever server the user points at.
pub const MAX_RETRY_AFTER_SECONDS: u64 = 120;

/// Seconds to wait from a `Retry-After` value, rounded up, at most
/// [`MAX_RETRY_AFTER_SECONDS`].
fn retry_after_seconds(header: &str, now: Duration) -> Option<u64> {
    let header = header.trim();
    let seconds = match header.parse::<u64>() {
        Ok(seconds) => seconds,
        Err(_) => {
            let at = httpdate::parse_http_date(header).ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
            at.saturating_sub(now).as_secs_f64().ceil() as u64
        }
    };
    Some(seconds.min(MAX_RETRY_AFTER_SECONDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited() -> FetchError {
        FetchError::from_status(429, "AAPL", None)
    }

    fn wait_of(error: FetchError) -> Retryable {
        error.classify()
    }

    #[test]
    fn retry_after_in_seconds_or_as_an_http_date() {
        // 2026-10-21T07:28:00Z is 1 792 567 680 s after the epoch.
        let now = Duration::from_secs(1_792_567_680 - 90);
        let date = "Wed, 21 Oct 2026 07:28:00 GMT";
        assert_eq!(wait_of(limited().with_retry_after(Some("3"), now)), Retryable::After(Duration::from_secs(3)));
        assert_eq!(wait_of(limited().with_retry_after(Some(date), now)), Retryable::After(Duration::from_secs(90)));
        let later = now + Duration::from_secs(200);
        assert_eq!(wait_of(limited().with_retry_after(Some(date), later)), Retryable::After(Duration::ZERO));
        // Unreadable: the default wait of one second.
        assert_eq!(wait_of(limited().with_retry_after(Some("soon"), now)), Retryable::After(Duration::from_secs(1)));
        // Absurd waits are capped.
        let huge = limited().with_retry_after(Some("18446744073709551615"), now);
        assert_eq!(wait_of(huge), Retryable::After(Duration::from_secs(MAX_RETRY_AFTER_SECONDS)));
        // Only a 429 takes it.
        let busy = FetchError::from_status(503, "AAPL", None).with_retry_after(Some("3"), now);
        assert_eq!(busy.classify(), Retryable::Yes);
    }
}
