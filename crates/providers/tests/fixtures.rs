//! Every documented response of each provider, read into our types with
//! exact expected values (no network: fixtures in `tests/fixtures/`).

use std::time::Duration;

use market::{Bar, Quote};
use providers::{
    ProviderError, ProviderId,
    alpaca::{self, Answer, Keys},
    twelvedata::{self, Clock},
};

fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// 2026-11-27T14:30:05Z, 5 s into its minute.
const CLOCK: Clock = Clock { now_ms: 1_795_789_805_000, minute: Duration::from_secs(60) };

#[test]
fn a_twelve_data_quote_with_string_numbers_reads_exactly() {
    let read = twelvedata::read_quotes(200, &fixture("twelvedata/quote.json"), &names(&["AAPL"]), CLOCK).unwrap();
    // `last_quote_at` (the quote's minute) is its time, not `timestamp` (the candle's opening).
    assert_eq!(
        read,
        vec![(
            "AAPL".to_owned(),
            Ok(Quote {
                symbol: "AAPL".into(),
                price: 148.85001,
                change: -0.23999,
                change_percent: -0.16097,
                volume: 67_903_927,
                timestamp: "2021-09-16T13:59:00Z".into(),
            })
        )]
    );
}

#[test]
fn a_twelve_data_batch_keeps_each_symbols_own_result() {
    let body = fixture("twelvedata/quote_batch_unknown.json");
    let read = twelvedata::read_quotes(200, &body, &names(&["NVDA", "MSFT", "GALP.LS"]), CLOCK).unwrap();
    let nvda = read[0].1.clone().unwrap();
    assert_eq!((nvda.price, nvda.change, nvda.change_percent, nvda.volume), (211.84, 5.2, 2.51645, 182_345_678));
    assert_eq!(nvda.timestamp, "2026-08-04T13:30:00Z");
    let msft = read[1].1.clone().unwrap();
    assert_eq!((msft.price, msft.volume), (512.3, 0), "a null volume is none");
    assert_eq!(
        read[2],
        (
            "GALP.LS".to_owned(),
            Err(ProviderError::UnknownSymbol { provider: ProviderId::TwelveData, symbol: "GALP.LS".into() })
        )
    );
}

#[test]
fn twelve_data_errors_are_read_from_the_body_whatever_the_status() {
    let symbols = names(&["AAPL", "MSFT"]);
    for status in [200, 401] {
        let refused = twelvedata::read_quotes(status, &fixture("twelvedata/bad_key.json"), &symbols, CLOCK);
        assert_eq!(refused, Err(ProviderError::BadKey { provider: ProviderId::TwelveData }), "HTTP {status}");
    }
    let minute = twelvedata::read_quotes(200, &fixture("twelvedata/rate_limited_minute.json"), &symbols, CLOCK);
    assert_eq!(
        minute,
        Err(ProviderError::RateLimited { provider: ProviderId::TwelveData, retry_after: Duration::from_secs(55) }),
        "until the next minute"
    );
    let day = twelvedata::read_quotes(429, &fixture("twelvedata/rate_limited_day.json"), &symbols, CLOCK).unwrap_err();
    let to_midnight = Duration::from_secs(86_400 - (14 * 3600 + 30 * 60 + 5));
    assert_eq!(day, ProviderError::DayBudgetSpent { provider: ProviderId::TwelveData, renews_in: to_midnight });
    assert_eq!(day.to_string(), "Twelve Data: the day's budget of credits is spent; it renews in 9 h 30 min");
    let down = twelvedata::read_quotes(502, "<html>Bad gateway</html>", &symbols, CLOCK).unwrap_err();
    assert!(matches!(down, ProviderError::Down { status: 502, .. }), "{down:?}");
    assert_eq!(down.retry_after(), Some(Duration::ZERO), "worth another try");
    let lone = r#"{"code":404,"message":"**symbol** not found: ZZZZ.","status":"error"}"#;
    let unknown = twelvedata::read_quotes(200, lone, &names(&["ZZZZ"]), CLOCK).unwrap_err();
    assert_eq!(unknown, ProviderError::UnknownSymbol { provider: ProviderId::TwelveData, symbol: "ZZZZ".into() });
    let garbage = twelvedata::read_quotes(200, "[1, 2]", &symbols, CLOCK).unwrap_err();
    assert!(matches!(garbage, ProviderError::Unreadable { .. }), "{garbage:?}");
}

fn bar(date: &str, open: f64, high: f64, low: f64, close: f64, volume: u64) -> Bar {
    Bar { date: date.into(), open, high, low, close, volume }
}

#[test]
fn a_twelve_data_time_series_is_oldest_first_and_once_a_day() {
    let read =
        twelvedata::read_history(200, &fixture("twelvedata/time_series.json"), &names(&["AAPL"]), CLOCK).unwrap();
    assert_eq!(
        read[0].1.clone().unwrap(),
        vec![
            bar("2023-06-30", 191.63, 194.48, 191.26, 193.97, 85_069_600),
            bar("2023-07-03", 193.78, 193.88, 191.7625, 192.46001, 30_907_450),
            bar("2023-07-05", 191.57001, 192.98, 190.62, 191.33, 46_920_300),
        ]
    );
    let batch = fixture("twelvedata/time_series_batch.json");
    let read = twelvedata::read_history(200, &batch, &names(&["AAPL", "MSFT"]), CLOCK).unwrap();
    assert_eq!(read[0].1.as_ref().unwrap().len(), 1);
    assert_eq!(read[1].1.clone().unwrap(), vec![bar("2023-07-03", 339.19, 340.9, 336.57, 337.99, 12_508_700)]);
    let no_data = r#"{"code":400,"message":"No data is available on the specified dates.","status":"error"}"#;
    let mixed = format!(
        r#"{{"AAPL":{no_data},"MSFT":{{"code":404,"message":"**symbol** not found: MSFT.","status":"error"}}}}"#
    );
    let read = twelvedata::read_history(200, &mixed, &names(&["AAPL", "MSFT"]), CLOCK).unwrap();
    assert_eq!(read[0].1, Ok(Vec::new()), "no data for one symbol of a batch is its empty history");
    assert!(matches!(read[1].1, Err(ProviderError::UnknownSymbol { .. })), "{:?}", read[1]);
    let empty = twelvedata::read_history(200, &fixture("twelvedata/no_data.json"), &names(&["AAPL"]), CLOCK).unwrap();
    assert_eq!(empty, vec![("AAPL".to_owned(), Ok(Vec::new()))], "no data is an empty history");
}

#[test]
fn twelve_data_requests_carry_the_key_in_a_header_only() {
    let get = twelvedata::quotes_request("https://api.twelvedata.com/", "sk-SECRET", &names(&["AAPL", "MSFT"]));
    assert_eq!(get.url, "https://api.twelvedata.com/quote?symbol=AAPL,MSFT");
    assert_eq!(get.headers, vec![("Authorization", "apikey sk-SECRET".to_owned())]);
    assert!(!format!("{get:?}").contains("SECRET"), "Debug leaves the key out: {get:?}");
    let history = twelvedata::history_request("https://x", "k", &names(&["AAPL"]), 252);
    assert_eq!(history.url, "https://x/time_series?symbol=AAPL&interval=1day&outputsize=252");
}

fn answer(status: u16, body: &str) -> Answer<'_> {
    Answer { status, body, ratelimit_reset: None, now_ms: 1_647_614_000_000 }
}

#[test]
fn alpaca_snapshots_read_price_change_and_volume() {
    let body = fixture("alpaca/snapshots.json");
    let read = alpaca::read_snapshots(answer(200, &body), &names(&["AAPL", "NEWCO", "INVALID", "GONE"])).unwrap();
    assert_eq!(
        read[0].1,
        Ok(Quote {
            symbol: "AAPL".into(),
            price: 161.1998,
            change: 0.58,
            change_percent: 0.36,
            volume: 31_749_988,
            timestamp: "2022-03-18T14:33:58Z".into(),
        })
    );
    let newco = read[1].1.clone().unwrap();
    assert_eq!((newco.price, newco.change, newco.volume), (10.5, 0.0, 0), "a new listing has no previous day");
    for (symbol, result) in &read[2..] {
        assert_eq!(
            *result,
            Err(ProviderError::UnknownSymbol { provider: ProviderId::Alpaca, symbol: symbol.clone() }),
            "null or left out"
        );
    }
}

#[test]
fn alpaca_bars_come_a_page_at_a_time_and_join_per_symbol() {
    let symbols = names(&["AAPL", "TSLA", "NONE"]);
    let first = alpaca::read_bars(answer(200, &fixture("alpaca/bars_page1.json")), &symbols).unwrap();
    assert_eq!(first.next_page_token.as_deref(), Some("VFNMQXxEfDIwMjItMDQtMTFUMDQ6MDA6MDAuMDAwMDAwMDAwWg=="));
    assert_eq!(
        first.bars[0].1.clone().unwrap(),
        vec![
            bar("2022-04-08", 171.78, 171.78, 169.2, 170.09, 76_575_508),
            bar("2022-04-11", 168.77, 169.03, 166.1, 166.975, 40_180_280)
        ]
    );
    let second = alpaca::read_bars(answer(200, &fixture("alpaca/bars_page2.json")), &symbols).unwrap();
    assert_eq!(second.next_page_token, None);
    assert_eq!(
        second.bars[1].1.clone().unwrap(),
        vec![bar("2022-04-11", 980.14, 1008.4681, 976.0, 991.1412, 13_754_547)]
    );
    assert_eq!(second.bars[2].1, Ok(Vec::new()), "a symbol without bars has an empty history");
    let empty = alpaca::read_bars(answer(200, &fixture("alpaca/bars_empty.json")), &symbols).unwrap();
    assert!(empty.bars.iter().all(|(_, bars)| bars.as_ref().is_ok_and(Vec::is_empty)));
}

#[test]
fn alpaca_errors_are_classified_by_status() {
    let symbols = names(&["AAPL", "TSLA"]);
    let forbidden = alpaca::read_snapshots(answer(403, &fixture("alpaca/forbidden.json")), &symbols);
    assert_eq!(forbidden, Err(ProviderError::BadKey { provider: ProviderId::Alpaca }));
    let limited = Answer { ratelimit_reset: Some(1_647_614_042), ..answer(429, "") };
    let body = fixture("alpaca/rate_limited.json");
    let limited = alpaca::read_snapshots(Answer { body: &body, ..limited }, &symbols);
    assert_eq!(
        limited,
        Err(ProviderError::RateLimited { provider: ProviderId::Alpaca, retry_after: Duration::from_secs(42) })
    );
    let invalid = alpaca::read_bars(answer(400, &fixture("alpaca/invalid_symbol.json")), &symbols).unwrap_err();
    assert_eq!(invalid, ProviderError::UnknownSymbol { provider: ProviderId::Alpaca, symbol: "TAOP:NASDAQ".into() });
}

#[test]
fn alpaca_requests_carry_both_keys_in_headers_only() {
    let keys = Keys { id: "AKID".into(), secret: "s3cr3t-VALUE".into() };
    let get = alpaca::snapshots_request("https://data.alpaca.markets", &keys, &names(&["AAPL", "MSFT"]));
    assert_eq!(get.url, "https://data.alpaca.markets/v2/stocks/snapshots?symbols=AAPL,MSFT&feed=iex");
    assert_eq!(get.headers, vec![("APCA-API-KEY-ID", "AKID".into()), ("APCA-API-SECRET-KEY", "s3cr3t-VALUE".into())]);
    assert!(!format!("{get:?} {keys:?}").contains("s3cr3t"), "Debug leaves the secret out");
    let bars = alpaca::bars_request("https://x", &keys, &names(&["AAPL"]), "2021-11-26", Some("T0K"));
    assert!(
        bars.url.starts_with("https://x/v2/stocks/bars?symbols=AAPL&timeframe=1Day&start=2021-11-26"),
        "{}",
        bars.url
    );
    assert!(bars.url.ends_with("&page_token=T0K"));
    let encoded = alpaca::bars_request("https://x", &keys, &names(&["AAPL"]), "2021-11-26", Some("a+b/c=="));
    assert!(encoded.url.ends_with("&page_token=a%2Bb%2Fc%3D%3D"), "{}", encoded.url);
}

#[test]
fn the_free_plans_batch_sizes_fit_their_budgets() {
    let td = ProviderId::TwelveData.limits();
    assert_eq!((td.batch_size(), td.cost_of(8), td.per_minute, td.per_day), (8, 8, 8, Some(800)));
    let alpaca = ProviderId::Alpaca.limits();
    assert_eq!((alpaca.batch_size(), alpaca.cost_of(100), alpaca.per_minute), (100, 1, 200));
    assert_eq!(ProviderId::parse(" TwelveData "), Some(ProviderId::TwelveData));
    assert_eq!(ProviderId::parse("alpaca"), Some(ProviderId::Alpaca));
    assert_eq!(ProviderId::parse("yahoo"), None);
}
