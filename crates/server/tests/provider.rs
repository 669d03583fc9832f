//! Provider mode against a real emulator on a socket: our `/api/v1` answers
//! equal what the emulator's market gives (mapped), a batch is sent in calls
//! the budget allows and the rest answered `rate_limited` with a wait, the
//! cache saves calls, and provider failures become our errors.

mod support;

use std::time::Duration;

use axum::{Router, http::StatusCode, http::header};
use market::{BatchQuotes, History, Period, Quote, sim::Market};
use providers::{ProviderId, alpaca::Keys};
use server::{Config, EmulateConfig, EmulatorStats, ProviderConfig, ProviderKeys, app};
use support::{get, send};
use time::{OffsetDateTime, Time};

const SEED: u64 = 7;
const TWENTY: [&str; 20] = [
    "AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "GOOG", "META", "AMD", "NFLX", "INTC", "ORCL", "CRM", "ADBE", "CSCO",
    "PEP", "KO", "DIS", "V", "MA", "JPM",
];

/// An emulator on a real socket, frozen at `now`; its base URL.
async fn start_emulator(now: OffsetDateTime, emulate: EmulateConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let emulator = app(Config { seed: SEED, frozen_time: Some(now), emulate, ..Config::default() });
    tokio::spawn(async move { axum::serve(listener, emulator).await.unwrap() });
    format!("http://{addr}")
}

/// A provider-mode app for `id` at `url`.
fn provider_app(id: ProviderId, url: String, minute: Duration, keys: ProviderKeys) -> Router {
    app(Config { provider: Some(ProviderConfig { id, url, minute, keys }), ..Config::default() })
}

fn twelvedata_keys() -> ProviderKeys {
    ProviderKeys::TwelveData("emulator-key".into())
}

fn alpaca_keys() -> ProviderKeys {
    ProviderKeys::Alpaca(Keys { id: "emulator-key".into(), secret: "emulator-secret".into() })
}

/// Now, to the second (the emulator's frozen instant: today, so history
/// requests built from the real date find it).
fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().replace_nanosecond(0).unwrap()
}

fn sim_quote(symbol: &str, now: OffsetDateTime) -> Quote {
    Market::new(SEED).quote(market::universe::find(symbol).unwrap(), now)
}

fn sim_history(symbol: &str, period: Period, now: OffsetDateTime) -> History {
    Market::new(SEED).history(market::universe::find(symbol).unwrap(), period, now)
}

async fn emulator_stats(base: &str) -> EmulatorStats {
    let text = reqwest::get(format!("{base}/emulate/_stats")).await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn twelve_data_quotes_and_history_equal_the_emulators_market() {
    let now = now();
    let base = start_emulator(now, EmulateConfig::default()).await;
    let router = provider_app(
        ProviderId::TwelveData,
        format!("{base}/emulate/twelvedata"),
        Duration::from_secs(60),
        twelvedata_keys(),
    );

    let answer = send(&router, get("/api/v1/quotes/aapl")).await;
    assert_eq!(answer.status, StatusCode::OK);
    // Twelve Data's quote time is its last minute (`last_quote_at`).
    let minute = now.replace_time(Time::from_hms(now.hour(), now.minute(), 0).unwrap());
    let stamp = minute.format(&time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(answer.json::<Quote>(), Quote { timestamp: stamp, ..sim_quote("AAPL", now) });

    let answer = send(&router, get("/api/v1/history/MSFT?period=3m")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json::<History>(), sim_history("MSFT", Period::ThreeMonths, now));

    let unknown = send(&router, get("/api/v1/quotes/NOPE")).await;
    assert_eq!((unknown.status, unknown.error_code()), (StatusCode::NOT_FOUND, "unknown_symbol".to_owned()));
    let unknown = send(&router, get("/api/v1/history/NOPE?period=1m")).await;
    assert_eq!((unknown.status, unknown.error_code()), (StatusCode::NOT_FOUND, "unknown_symbol".to_owned()));

    // A repeat is served from the cache: no new call reaches the provider.
    let calls = emulator_stats(&base).await.twelvedata.requests;
    assert_eq!(calls, 4);
    for path in ["/api/v1/quotes/AAPL", "/api/v1/quotes?symbols=AAPL,NOPE", "/api/v1/history/MSFT?period=3m"] {
        assert_eq!(send(&router, get(path)).await.status, StatusCode::OK, "{path}");
    }
    assert_eq!(send(&router, get("/api/v1/quotes/NOPE")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(emulator_stats(&base).await.twelvedata.requests, calls, "served from the cache");
}

#[tokio::test]
async fn a_twenty_symbol_batch_is_sent_in_calls_of_eight_and_the_rest_wait() {
    let now = now();
    let base = start_emulator(now, EmulateConfig::default()).await;
    let router = provider_app(
        ProviderId::TwelveData,
        format!("{base}/emulate/twelvedata"),
        Duration::from_secs(60),
        twelvedata_keys(),
    );

    let answer = send(&router, get(&format!("/api/v1/quotes?symbols={}", TWENTY.join(",")))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let batch: BatchQuotes = answer.json();
    let fetched: Vec<&str> = batch.quotes.iter().map(|q| q.symbol.as_str()).collect();
    assert_eq!(fetched, TWENTY[..8], "the first call of eight");
    assert_eq!(batch.errors.len(), 12);
    for failure in &batch.errors {
        assert_eq!(failure.error.code, "rate_limited", "{failure:?}");
        let message = &failure.error.message;
        assert!(message.starts_with("Twelve Data's budget is spent; next try in "), "{message}");
        let seconds: u64 = message.trim_end_matches(" s").rsplit(' ').next().unwrap().parse().unwrap();
        assert!((55..=60).contains(&seconds), "{message}");
    }
    let stats = emulator_stats(&base).await.twelvedata;
    assert_eq!((stats.requests, stats.refused, stats.max_credits_asked_in_a_window), (1, 0, 8));

    // A single quote that does not fit: 429 with Retry-After.
    let single = send(&router, get("/api/v1/quotes/JPM")).await;
    assert_eq!((single.status, single.error_code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".to_owned()));
    let retry_after: u64 = single.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((55..=60).contains(&retry_after), "{retry_after}");
    let history = send(&router, get("/api/v1/history/JPM?period=1m")).await;
    assert_eq!(history.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(history.headers.contains_key(header::RETRY_AFTER));
    // The eight fetched are still served, from the cache.
    let again: BatchQuotes =
        send(&router, get(&format!("/api/v1/quotes?symbols={}", TWENTY[..8].join(",")))).await.json();
    assert_eq!((again.quotes.len(), again.errors.len()), (8, 0));
    assert_eq!(emulator_stats(&base).await.twelvedata.requests, 1, "nothing more was sent");
}

#[tokio::test]
async fn with_a_short_minute_the_rest_of_the_batch_follows_and_no_window_holds_more_than_eight() {
    let now = now();
    let minute = Duration::from_millis(700);
    let base = start_emulator(now, EmulateConfig { minute, ..EmulateConfig::default() }).await;
    let router = provider_app(ProviderId::TwelveData, format!("{base}/emulate/twelvedata"), minute, twelvedata_keys());
    let path = format!("/api/v1/quotes?symbols={}", TWENTY.join(","));

    let mut quotes = 0;
    for round in 0..3 {
        let batch: BatchQuotes = send(&router, get(&path)).await.json();
        quotes = batch.quotes.len();
        if batch.errors.is_empty() {
            break;
        }
        assert!(batch.errors.iter().all(|f| f.error.code == "rate_limited"), "round {round}: {:?}", batch.errors);
        tokio::time::sleep(minute).await;
    }
    assert_eq!(quotes, 20, "every symbol fetched within three minutes");
    let stats = emulator_stats(&base).await.twelvedata;
    assert_eq!((stats.requests, stats.refused), (3, 0));
    assert!(stats.max_credits_asked_in_a_window <= 8, "{stats:?}");
    assert_eq!(stats.windows.iter().map(|w| w.credits_served).sum::<u32>(), 20);
}

#[tokio::test]
async fn alpaca_quotes_batches_and_history_equal_the_emulators_market() {
    let now = now();
    let base = start_emulator(now, EmulateConfig::default()).await;
    let router =
        provider_app(ProviderId::Alpaca, format!("{base}/emulate/alpaca"), Duration::from_secs(60), alpaca_keys());

    let quote: Quote = send(&router, get("/api/v1/quotes/AAPL")).await.json();
    assert_eq!(quote, sim_quote("AAPL", now));

    let batch: BatchQuotes = send(&router, get("/api/v1/quotes?symbols=MSFT,nope,NVDA")).await.json();
    assert_eq!(batch.quotes, [sim_quote("MSFT", now), sim_quote("NVDA", now)]);
    assert_eq!((batch.errors[0].symbol.as_str(), batch.errors[0].error.code.as_str()), ("NOPE", "unknown_symbol"));

    for (period, path) in
        [(Period::OneYear, "/api/v1/history/AAPL"), (Period::FiveYears, "/api/v1/history/AAPL?period=5y")]
    {
        let answer = send(&router, get(path)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.json::<History>(), sim_history("AAPL", period, now), "{path}");
    }
    let unknown = send(&router, get("/api/v1/history/NOPE?period=1m")).await;
    assert_eq!(unknown.error_code(), "unknown_symbol");

    let stats = emulator_stats(&base).await.alpaca;
    assert_eq!(stats.requests, 5, "a call a batch, a page a history");
    send(&router, get("/api/v1/quotes/AAPL")).await;
    send(&router, get("/api/v1/history/AAPL?period=5y")).await;
    assert_eq!(emulator_stats(&base).await.alpaca.requests, 5, "served from the cache");
}

#[tokio::test]
async fn provider_failures_become_our_errors_naming_the_provider_never_the_key() {
    let now = now();
    let base = start_emulator(now, EmulateConfig { alpaca_per_minute: 1, ..EmulateConfig::default() }).await;

    // A key the provider refuses: 503, the provider named, the key not.
    let wrong = ProviderKeys::TwelveData("sk-WRONGKEY".into());
    let router =
        provider_app(ProviderId::TwelveData, format!("{base}/emulate/twelvedata"), Duration::from_secs(60), wrong);
    let answer = send(&router, get("/api/v1/quotes/AAPL")).await;
    assert_eq!((answer.status, answer.error_code()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable".to_owned()));
    let text = String::from_utf8_lossy(answer.bytes()).into_owned();
    assert!(text.contains("Twelve Data refused this server's API key") && !text.contains("WRONGKEY"), "{text}");

    // The provider's own rate limit (here: one Alpaca request a minute): 429 with Retry-After.
    let router =
        provider_app(ProviderId::Alpaca, format!("{base}/emulate/alpaca"), Duration::from_secs(60), alpaca_keys());
    assert_eq!(send(&router, get("/api/v1/quotes/AAPL")).await.status, StatusCode::OK);
    let limited = send(&router, get("/api/v1/quotes/MSFT")).await;
    assert_eq!((limited.status, limited.error_code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".to_owned()));
    assert!(limited.headers.contains_key(header::RETRY_AFTER));

    // Nobody there: 503 naming the provider.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let router = provider_app(ProviderId::Alpaca, closed, Duration::from_secs(60), alpaca_keys());
    let answer = send(&router, get("/api/v1/history/AAPL?period=1m")).await;
    assert_eq!((answer.status, answer.error_code()), (StatusCode::SERVICE_UNAVAILABLE, "unavailable".to_owned()));
    assert!(String::from_utf8_lossy(answer.bytes()).contains("Alpaca could not be reached"));

    // Portfolio and symbol search stay simulated.
    assert_eq!(send(&router, get("/api/v1/portfolio")).await.status, StatusCode::OK);
    assert_eq!(send(&router, get("/api/v1/symbols?q=app")).await.status, StatusCode::OK);
}
