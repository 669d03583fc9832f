//! Twelve Data, emulated: shapes read by `providers::twelvedata`, keys, every
//! error in an HTTP 200 body, and the credit budget.

use std::time::Duration;

use axum::http::StatusCode;
use market::{Bar, Period, Quote};
use providers::{
    ProviderError, ProviderId,
    twelvedata::{Clock, read_history, read_quotes},
};
use serde_json::{Value, json};
use server::{EmulateConfig, WindowStats};

use super::{KEY, NOW, NOW_MS, emulator, emulator_with, get, listing, market, names, stats, text};

const AUTH: (&str, &str) = ("authorization", "apikey emulator-key");
const CLOCK: Clock = Clock { now_ms: NOW_MS, minute: Duration::from_secs(60) };

/// The quote the adapter should read for `symbol`: the simulated one, at
/// its last minute (`last_quote_at`; `timestamp` is the day candle's opening).
fn expected_quote(symbol: &str) -> Quote {
    Quote { timestamp: "2026-11-26T14:30:00Z".into(), ..market().quote(listing(symbol), NOW) }
}

fn all_bars(symbol: &str) -> Vec<Bar> {
    market().history(listing(symbol), Period::FiveYears, NOW).bars
}

#[tokio::test]
async fn one_symbol_is_the_bare_quote_with_numbers_as_strings() {
    let router = emulator(Duration::from_secs(60));
    let answer = get(&router, "/emulate/twelvedata/quote?symbol=aapl", &[AUTH]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let body: Value = answer.json();
    assert_eq!(body["symbol"], "AAPL");
    assert_eq!(body["datetime"], "2026-11-26");
    assert_eq!(body["timestamp"], 1_795_651_200, "the day candle's opening");
    assert_eq!(body["last_quote_at"], 1_795_703_400, "the last minute's");
    assert_eq!(body["is_market_open"], true);
    for field in ["open", "high", "low", "close", "previous_close", "change", "percent_change"] {
        let number = body[field].as_str().unwrap_or_else(|| panic!("{field} is not a string: {body}"));
        assert_eq!(number.split('.').nth(1).map(str::len), Some(5), "{field}: {number}");
    }
    assert!(body["volume"].as_str().unwrap().parse::<u64>().is_ok());
    assert!(body["fifty_two_week"]["range"].as_str().unwrap().contains(" - "));
    let close: f64 = body["close"].as_str().unwrap().parse().unwrap();
    let (low, high): (f64, f64) =
        (body["low"].as_str().unwrap().parse().unwrap(), body["high"].as_str().unwrap().parse().unwrap());
    assert!(low <= close && close <= high);

    let read = read_quotes(200, &text(&answer), &names(&["AAPL"]), CLOCK).unwrap();
    assert_eq!(read, vec![("AAPL".to_owned(), Ok(expected_quote("AAPL")))]);
}

#[tokio::test]
async fn a_batch_is_keyed_by_symbol_and_an_unknown_one_errs_under_its_key_for_a_credit() {
    let router = emulator(Duration::from_secs(60));
    let answer = get(&router, "/emulate/twelvedata/quote?symbol=aapl,MSFT,nope", &[AUTH]).await;
    assert_eq!(answer.status, StatusCode::OK);
    let body: Value = answer.json();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["AAPL", "MSFT", "NOPE"]);
    assert!(body.get("status").is_none(), "no top-level status in a batch");
    assert_eq!(
        body["NOPE"],
        json!({"code": 404, "message": "**symbol** not found: NOPE. Please specify it correctly according to API Documentation.", "status": "error"})
    );
    let read = read_quotes(200, &text(&answer), &names(&["AAPL", "MSFT", "NOPE"]), CLOCK).unwrap();
    assert_eq!(read[0], ("AAPL".to_owned(), Ok(expected_quote("AAPL"))));
    assert_eq!(read[1], ("MSFT".to_owned(), Ok(expected_quote("MSFT"))));
    assert_eq!(
        read[2],
        (
            "NOPE".to_owned(),
            Err(ProviderError::UnknownSymbol { provider: ProviderId::TwelveData, symbol: "NOPE".into() })
        )
    );
    let counted = stats(&router).await.twelvedata;
    assert_eq!(counted.windows[0].credits_served, 3, "the unknown symbol costs a credit too");

    // Alone, an unknown symbol's error is the whole answer.
    let alone: Value = get(&router, "/emulate/twelvedata/quote?symbol=NOPE", &[AUTH]).await.json();
    assert_eq!(alone["code"], 404);
    assert_eq!(alone["status"], "error");
}

#[tokio::test]
async fn time_series_are_daily_newest_first_unless_asked_and_read_back_exactly() {
    let router = emulator(Duration::from_secs(60));
    let path = "/emulate/twelvedata/time_series?symbol=AAPL,MSFT&interval=1day&outputsize=5";
    let answer = get(&router, path, &[AUTH]).await;
    let body: Value = answer.json();
    let values = body["AAPL"]["values"].as_array().unwrap();
    assert_eq!(values.len(), 5);
    assert_eq!(values[0]["datetime"], "2026-11-25", "newest first");
    assert_eq!(values[4]["datetime"], "2026-11-19");
    assert!(values[0]["close"].is_string() && values[0]["volume"].is_string());
    assert_eq!(body["MSFT"]["meta"]["symbol"], "MSFT");
    assert_eq!(body["MSFT"]["meta"]["interval"], "1day");
    assert_eq!(body["MSFT"]["status"], "ok");

    let read = read_history(200, &text(&answer), &names(&["AAPL", "MSFT"]), CLOCK).unwrap();
    for (symbol, bars) in read {
        let all = all_bars(&symbol);
        assert_eq!(bars.unwrap(), all[all.len() - 5..], "{symbol}");
    }

    // One symbol, default size (30), oldest first on request.
    let answer = get(&router, "/emulate/twelvedata/time_series?symbol=NVDA&interval=1day&order=asc", &[AUTH]).await;
    let body: Value = answer.json();
    assert_eq!(body["values"].as_array().unwrap().len(), 30);
    assert!(body["values"][0]["datetime"].as_str() < body["values"][29]["datetime"].as_str());
    let read = read_history(200, &text(&answer), &names(&["NVDA"]), CLOCK).unwrap();
    let all = all_bars("NVDA");
    assert_eq!(read[0].1.as_ref().unwrap(), &all[all.len() - 30..]);

    // At most 5000 asked; what the simulated market has (five years) is given.
    let most: Value =
        get(&router, "/emulate/twelvedata/time_series?symbol=NVDA&interval=1day&outputsize=5000", &[AUTH]).await.json();
    assert_eq!(most["values"].as_array().unwrap().len(), all.len());
}

#[tokio::test]
async fn the_key_goes_in_a_header_or_the_query_and_every_error_is_an_http_200() {
    let router = emulator(Duration::from_secs(60));
    let quote = "/emulate/twelvedata/quote?symbol=AAPL";
    for headers in [vec![], vec![("authorization", "apikey wrong")], vec![("authorization", "Bearer emulator-key")]] {
        let answer = get(&router, quote, &headers).await;
        assert_eq!(answer.status, StatusCode::OK, "{headers:?}");
        let body: Value = answer.json();
        assert_eq!((body["code"].as_u64(), body["status"].as_str()), (Some(401), Some("error")), "{headers:?}");
        assert!(body["message"].as_str().unwrap().starts_with("**apikey** parameter is incorrect or not specified."));
        let read = read_quotes(200, &text(&answer), &names(&["AAPL"]), CLOCK);
        assert_eq!(read, Err(ProviderError::BadKey { provider: ProviderId::TwelveData }));
    }
    assert_eq!(stats(&router).await.twelvedata.windows, [], "a refused key costs no credit");

    let by_query: Value = get(&router, &format!("{quote}&apikey={KEY}"), &[]).await.json();
    assert_eq!(by_query["symbol"], "AAPL");
    let any_case: Value = get(&router, quote, &[("authorization", "APIKEY emulator-key")]).await.json();
    assert_eq!(any_case["symbol"], "AAPL");

    for (path, code) in [
        ("/emulate/twelvedata/quote", 400),
        ("/emulate/twelvedata/quote?symbol=,", 400),
        ("/emulate/twelvedata/time_series?symbol=AAPL", 400),
        ("/emulate/twelvedata/time_series?symbol=AAPL&interval=1min", 400),
        ("/emulate/twelvedata/time_series?symbol=AAPL&interval=1day&outputsize=0", 400),
        ("/emulate/twelvedata/time_series?symbol=AAPL&interval=1day&outputsize=5001", 400),
        ("/emulate/twelvedata/time_series?symbol=AAPL&interval=1day&order=up", 400),
    ] {
        let answer = get(&router, path, &[AUTH]).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let body: Value = answer.json();
        assert_eq!((body["code"].as_u64(), body["status"].as_str()), (Some(code), Some("error")), "{path}: {body}");
    }
}

#[tokio::test(start_paused = true)]
async fn nine_credits_in_a_minute_refuse_the_whole_request_and_the_next_minute_serves() {
    let router = emulator(Duration::from_secs(1));
    let five = "/emulate/twelvedata/quote?symbol=AAPL,MSFT,NVDA,TSLA,AMZN";
    let four = "/emulate/twelvedata/quote?symbol=GOOG,META,NFLX,AMD";
    let served: Value = get(&router, five, &[AUTH]).await.json();
    assert_eq!(served.as_object().unwrap().len(), 5);

    let answer = get(&router, four, &[AUTH]).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json::<Value>(),
        json!({"code": 429, "message": "You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8. Wait for the next minute or consider switching to a higher tier plan at https://twelvedata.com/pricing", "status": "error"})
    );
    let clock = Clock { now_ms: NOW_MS, minute: Duration::from_secs(1) };
    let read = read_quotes(200, &text(&answer), &names(&["GOOG", "META", "NFLX", "AMD"]), clock);
    assert_eq!(
        read,
        Err(ProviderError::RateLimited { provider: ProviderId::TwelveData, retry_after: Duration::from_secs(1) })
    );
    let counted = stats(&router).await.twelvedata;
    assert_eq!((counted.requests, counted.refused), (2, 1));
    assert_eq!(counted.windows, [WindowStats { start_ms: NOW_MS, credits_asked: 9, credits_served: 5 }]);
    assert_eq!(counted.max_credits_asked_in_a_window, 9);
    assert_eq!((counted.window_ms, counted.limit_per_window), (1000, 8));

    tokio::time::advance(Duration::from_secs(1)).await;
    let served: Value = get(&router, four, &[AUTH]).await.json();
    assert_eq!(served.as_object().unwrap().len(), 4, "{served}");
    let counted = stats(&router).await.twelvedata;
    assert_eq!(counted.windows[1], WindowStats { start_ms: NOW_MS + 1000, credits_asked: 4, credits_served: 4 });
}

#[tokio::test(start_paused = true)]
async fn eight_hundred_credits_spend_the_day() {
    let router = emulator(Duration::from_millis(1));
    let day_ms = 1440;
    tokio::time::advance(Duration::from_millis(day_ms - NOW_MS % day_ms)).await;
    let eight =
        "/emulate/twelvedata/time_series?symbol=AAPL,MSFT,NVDA,TSLA,AMZN,GOOG,META,AMD&interval=1day&outputsize=1";
    for minute in 0..100 {
        let body: Value = get(&router, eight, &[AUTH]).await.json();
        assert!(body.get("code").is_none(), "minute {minute}: {body}");
        tokio::time::advance(Duration::from_millis(1)).await;
    }
    let body: Value = get(&router, "/emulate/twelvedata/quote?symbol=AAPL", &[AUTH]).await.json();
    assert_eq!(body["code"], 429);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "You have run out of API credits for the day. 801 API credits were used, with the current limit being 800."
        ),
        "{message}"
    );
    tokio::time::advance(Duration::from_millis(day_ms)).await;
    let body: Value = get(&router, "/emulate/twelvedata/quote?symbol=AAPL", &[AUTH]).await.json();
    assert_eq!(body["symbol"], "AAPL", "a new day");
}

#[tokio::test(start_paused = true)]
async fn a_smaller_day_is_spent_sooner_and_read_as_the_days_budget() {
    let router = emulator_with(EmulateConfig {
        minute: Duration::from_secs(60),
        twelvedata_per_day: 6,
        ..EmulateConfig::default()
    });
    let five = "/emulate/twelvedata/quote?symbol=AAPL,MSFT,NVDA,TSLA,AMZN";
    let served: Value = get(&router, five, &[AUTH]).await.json();
    assert_eq!(served.as_object().unwrap().len(), 5, "{served}");
    tokio::time::advance(Duration::from_secs(60)).await;
    let refused = text(&get(&router, five, &[AUTH]).await);
    let symbols = names(&["AAPL", "MSFT", "NVDA", "TSLA", "AMZN"]);
    let clock = Clock { now_ms: NOW_MS + 60_000, ..CLOCK };
    match read_quotes(200, &refused, &symbols, clock) {
        Err(ProviderError::DayBudgetSpent { provider: ProviderId::TwelveData, renews_in }) => {
            assert!(renews_in <= Duration::from_secs(86_400) && renews_in > Duration::ZERO, "{renews_in:?}");
        }
        other => panic!("expected the day's budget spent, got {other:?}: {refused}"),
    }
    let counted = stats(&router).await.twelvedata;
    assert_eq!(counted.refused, 1, "the second five were refused whole");
}
