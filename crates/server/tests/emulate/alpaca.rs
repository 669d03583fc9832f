//! Alpaca, emulated: snapshots and paged bars read by `providers::alpaca`,
//! keys, malformed and unknown symbols, and the request budget with its
//! `X-RateLimit-*` headers.

use std::time::Duration;

use axum::http::StatusCode;
use market::{Bar, Period};
use providers::{
    ProviderError, ProviderId,
    alpaca::{Answer, read_bars, read_snapshots},
};
use serde_json::{Value, json};
use server::{EmulateConfig, WindowStats};

use super::{NOW, NOW_MS, SECRET, emulator, emulator_with, get, listing, market, names, stats, text};

const KEYS: [(&str, &str); 2] = [("APCA-API-KEY-ID", "emulator-key"), ("APCA-API-SECRET-KEY", SECRET)];

fn answer<'a>(status: StatusCode, body: &'a str, reset: Option<u64>) -> Answer<'a> {
    Answer { status: status.as_u16(), body, ratelimit_reset: reset, now_ms: NOW_MS }
}

fn header(answer: &super::support::Answer, name: &str) -> u64 {
    answer.headers[name].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn snapshots_are_keyed_by_symbol_with_null_for_an_unknown_one() {
    let router = emulator(Duration::from_secs(60));
    let reply = get(&router, "/emulate/alpaca/v2/stocks/snapshots?symbols=AAPL,nope,MSFT&feed=iex", &KEYS).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body: Value = reply.json();
    assert_eq!(body["NOPE"], Value::Null);
    let aapl = &body["AAPL"];
    let trade = &aapl["latestTrade"];
    assert_eq!(trade["t"], "2026-11-26T14:30:05.000000000Z", "RFC 3339 with nanoseconds");
    for field in ["x", "z"] {
        assert!(trade[field].is_string(), "{field}");
    }
    assert!(trade["p"].is_f64() && trade["s"].is_u64() && trade["i"].is_u64() && trade["c"].is_array());
    let quote = &aapl["latestQuote"];
    assert!(quote["bp"].as_f64() < quote["ap"].as_f64() && quote["as"].is_u64() && quote["bx"].is_string());
    assert_eq!(aapl["minuteBar"]["t"], "2026-11-26T14:29:00Z");
    assert_eq!(aapl["dailyBar"]["t"], "2026-11-26T05:00:00Z");
    let previous = &aapl["prevDailyBar"];
    assert_eq!(previous["t"], "2026-11-25T05:00:00Z");
    let last = market().history(listing("AAPL"), Period::OneMonth, NOW).bars.pop().unwrap();
    assert_eq!((previous["o"].as_f64(), previous["c"].as_f64()), (Some(last.open), Some(last.close)));
    assert_eq!(previous["v"], last.volume);
    for bar in ["minuteBar", "dailyBar", "prevDailyBar"] {
        for field in ["o", "h", "l", "c", "vw"] {
            assert!(aapl[bar][field].is_f64(), "{bar}.{field}");
        }
        assert!(aapl[bar]["v"].is_u64() && aapl[bar]["n"].is_u64(), "{bar}");
        let [o, h, l, c] = ["o", "h", "l", "c"].map(|f| aapl[bar][f].as_f64().unwrap());
        assert!(l <= o.min(c) && h >= o.max(c), "{bar}: {}", aapl[bar]);
    }

    let read = read_snapshots(answer(reply.status, &text(&reply), None), &names(&["AAPL", "NOPE", "MSFT"])).unwrap();
    assert_eq!(read[0], ("AAPL".to_owned(), Ok(market().quote(listing("AAPL"), NOW))));
    assert_eq!(
        read[1],
        ("NOPE".to_owned(), Err(ProviderError::UnknownSymbol { provider: ProviderId::Alpaca, symbol: "NOPE".into() }))
    );
    assert_eq!(read[2], ("MSFT".to_owned(), Ok(market().quote(listing("MSFT"), NOW))));
}

#[tokio::test]
async fn bars_page_across_symbols_and_reassemble_into_the_markets_history() {
    let router = emulator(Duration::from_secs(60));
    let month: Vec<Bar> = market().history(listing("AAPL"), Period::OneMonth, NOW).bars;
    let start = &month[0].date;
    let symbols = names(&["MSFT", "AAPL", "NOPE"]);
    let first = format!("/emulate/alpaca/v2/stocks/bars?symbols=MSFT,AAPL,NOPE&timeframe=1Day&start={start}&limit=30");

    let reply = get(&router, &first, &KEYS).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body: Value = reply.json();
    assert_eq!(body["bars"]["AAPL"].as_array().unwrap().len(), 21, "sorted by symbol: AAPL's 21 first");
    assert_eq!(body["bars"]["MSFT"].as_array().unwrap().len(), 9, "then MSFT's, up to the limit of 30 in all");
    assert!(body["bars"].get("NOPE").is_none(), "an unknown symbol is left out");
    assert_eq!(body["bars"]["AAPL"][0]["t"], format!("{start}T05:00:00Z"));
    let token = body["next_page_token"].as_str().unwrap().to_owned();

    let page = read_bars(answer(reply.status, &text(&reply), None), &symbols).unwrap();
    assert_eq!(page.next_page_token.as_deref(), Some(token.as_str()));
    let mut whole = page.bars;

    let reply = get(&router, &format!("{first}&page_token={token}"), &KEYS).await;
    let body: Value = reply.json();
    assert_eq!(body["next_page_token"], Value::Null);
    assert!(body["bars"].get("AAPL").is_none());
    let page = read_bars(answer(reply.status, &text(&reply), None), &symbols).unwrap();
    assert_eq!(page.next_page_token, None);
    for ((symbol, so_far), (_, more)) in whole.iter_mut().zip(page.bars) {
        so_far.as_mut().unwrap().extend(more.unwrap());
        let expected: Vec<Bar> =
            market::universe::find(symbol).map_or_else(Vec::new, |l| market().history(l, Period::OneMonth, NOW).bars);
        assert_eq!(so_far.as_ref().unwrap(), &expected, "{symbol}");
    }

    let bad_token = get(&router, &format!("{first}&page_token=%25%25"), &KEYS).await;
    assert_eq!(bad_token.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_start: Value =
        get(&router, "/emulate/alpaca/v2/stocks/bars?symbols=AAPL&timeframe=1Day", &KEYS).await.json();
    assert_eq!(no_start, json!({"bars": {}, "next_page_token": null}), "start defaults to today");
}

#[tokio::test]
async fn wrong_keys_get_403_and_a_malformed_symbol_fails_the_whole_request() {
    let router = emulator(Duration::from_secs(60));
    let snapshots = "/emulate/alpaca/v2/stocks/snapshots?symbols=AAPL";
    for headers in [vec![], vec![KEYS[0]], vec![KEYS[0], ("APCA-API-SECRET-KEY", "wrong")]] {
        let reply = get(&router, snapshots, &headers).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(reply.json::<Value>(), json!({"message": "forbidden."}));
        assert!(reply.headers.contains_key("x-ratelimit-limit"));
        let read = read_snapshots(answer(reply.status, &text(&reply), None), &names(&["AAPL"]));
        assert_eq!(read, Err(ProviderError::BadKey { provider: ProviderId::Alpaca }));
    }

    for (list, culprit) in
        [("AAPL,TAOP:NASDAQ", "TAOP:NASDAQ"), ("AAPL,A%20B", "A B"), ("TOOLONGSYMBOL", "TOOLONGSYMBOL")]
    {
        for endpoint in ["snapshots?symbols=", "bars?timeframe=1Day&start=2026-11-02&symbols="] {
            let reply = get(&router, &format!("/emulate/alpaca/v2/stocks/{endpoint}{list}"), &KEYS).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{endpoint}{list}");
            assert_eq!(reply.json::<Value>(), json!({ "message": format!("invalid symbol: {culprit}") }));
        }
        let reply = get(&router, &format!("/emulate/alpaca/v2/stocks/snapshots?symbols={list}"), &KEYS).await;
        let read = read_snapshots(answer(reply.status, &text(&reply), None), &names(&["AAPL", culprit]));
        assert_eq!(read, Err(ProviderError::UnknownSymbol { provider: ProviderId::Alpaca, symbol: culprit.into() }));
    }
}

#[tokio::test(start_paused = true)]
async fn requests_beyond_the_minutes_budget_get_429_with_the_reset_in_unix_seconds() {
    let router = emulator_with(EmulateConfig {
        minute: Duration::from_secs(2),
        alpaca_per_minute: 2,
        ..EmulateConfig::default()
    });
    let snapshots = "/emulate/alpaca/v2/stocks/snapshots?symbols=AAPL";
    // NOW is 1 s into a 2 s window, which ends at NOW + 1 s.
    let reset = NOW_MS / 1000 + 1;
    for remaining in [1, 0] {
        let reply = get(&router, snapshots, &KEYS).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!((header(&reply, "x-ratelimit-limit"), header(&reply, "x-ratelimit-remaining")), (2, remaining));
        assert_eq!(header(&reply, "x-ratelimit-reset"), reset);
    }
    let refused = get(&router, snapshots, &KEYS).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json::<Value>(), json!({"code": 42910000, "message": "too many requests"}));
    assert_eq!(header(&refused, "x-ratelimit-remaining"), 0);
    let read = read_snapshots(
        answer(refused.status, &text(&refused), Some(header(&refused, "x-ratelimit-reset"))),
        &names(&["AAPL"]),
    );
    assert_eq!(
        read,
        Err(ProviderError::RateLimited { provider: ProviderId::Alpaca, retry_after: Duration::from_secs(1) })
    );

    let counted = stats(&router).await.alpaca;
    assert_eq!((counted.requests, counted.refused, counted.max_credits_asked_in_a_window), (3, 1, 3));
    assert_eq!(counted.windows, [WindowStats { start_ms: NOW_MS - 1000, credits_asked: 3, credits_served: 2 }]);

    tokio::time::advance(Duration::from_secs(1)).await;
    let reply = get(&router, snapshots, &KEYS).await;
    assert_eq!(reply.status, StatusCode::OK, "the next window");
    assert_eq!(header(&reply, "x-ratelimit-reset"), reset + 2);
}
