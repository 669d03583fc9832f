//! Data faults: a successful answer with its prices made `NaN`, `1e999`,
//! negative or missing, with unknown fields, or padded past 10 MiB — by
//! header on the whole answer, or switched on for one symbol's part of it.

mod support;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use market::{BatchQuotes, History, Portfolio, Quote};
use serde_json::{Map, Value, json};
use server::{Config, DataFault, app};
use support::{Answer, get, get_with, send};
use time::macros::datetime;

const PRICE_KEYS: [&str; 6] = ["price", "open", "high", "low", "close", "average_cost"];
const TEN_MIB: usize = 10 * 1024 * 1024;

fn router() -> axum::Router {
    app(Config { frozen_time: Some(datetime!(2026-11-26 15:04:05 UTC)), ..Config::default() })
}

/// The body as JSON, with the bare tokens `NaN` and `1e999` read as strings.
fn lenient(answer: &Answer) -> Value {
    let text = String::from_utf8(answer.bytes().to_vec()).unwrap();
    let text = text.replace("NaN", "\"NaN\"").replace("1e999", "\"1e999\"");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {}", &text[..text.len().min(300)]))
}

/// What `fault` should make of `clean` (all of it, or only the objects about
/// `only` and what they hold), written out independently of the server. A
/// `huge` answer is compared with its `x_padding` taken out.
fn expected(fault: DataFault, clean: &Value, only: Option<&str>) -> Value {
    fn visit(fault: DataFault, value: &mut Value, only: Option<&str>, in_scope: bool) {
        match value {
            Value::Object(object) => {
                let in_scope = in_scope || only.is_some_and(|s| object.get("symbol") == Some(&json!(s)));
                for item in object.values_mut() {
                    visit(fault, item, only, in_scope);
                }
                if in_scope {
                    spoil(fault, object);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| visit(fault, item, only, in_scope)),
            _ => {}
        }
    }
    fn spoil(fault: DataFault, object: &mut Map<String, Value>) {
        let present: Vec<&str> = PRICE_KEYS.into_iter().filter(|key| object.contains_key(*key)).collect();
        for key in present {
            let price = object[key].as_f64().unwrap();
            match fault {
                DataFault::Nan => object[key] = json!("NaN"),
                DataFault::Infinity => object[key] = json!("1e999"),
                DataFault::Negative => object[key] = json!(-price),
                DataFault::NoPrice => drop(object.remove(key)),
                _ => {}
            }
        }
        if fault == DataFault::ExtraFields {
            object.insert("x_unexpected".into(), json!({ "nested": [1, "two"] }));
            object.insert("x_note".into(), json!("a field no client knows; it must be ignored"));
        }
    }
    let mut value = clean.clone();
    visit(fault, &mut value, only, only.is_none());
    value
}

/// Takes the padding out of a `huge` answer, checking there was one.
fn without_padding(mut value: Value, only: Option<&str>) -> Value {
    let target = match only {
        Some(symbol) => find_symbol(&mut value, symbol).expect("the symbol's object"),
        None => &mut value,
    };
    let padding = target.as_object_mut().unwrap().remove("x_padding").expect("an x_padding field");
    assert!(padding.as_str().unwrap().len() > TEN_MIB - 10_000);
    value
}

fn find_symbol<'a>(value: &'a mut Value, symbol: &str) -> Option<&'a mut Value> {
    if value.get("symbol") == Some(&json!(symbol)) {
        return Some(value);
    }
    match value {
        Value::Object(object) => object.values_mut().find_map(|v| find_symbol(v, symbol)),
        Value::Array(items) => items.iter_mut().find_map(|v| find_symbol(v, symbol)),
        _ => None,
    }
}

/// Checks a spoiled answer against the clean one: 200, marked as injected,
/// sized exactly, and changed as `fault` says and in no other way.
fn assert_spoiled(fault: DataFault, clean: &Answer, spoiled: &Answer, only: Option<&str>) {
    assert_eq!(spoiled.status, StatusCode::OK, "{fault}");
    assert_eq!(spoiled.headers["x-tickerboard-injected"], fault.name());
    assert_eq!(spoiled.headers[header::CONTENT_LENGTH], spoiled.bytes().len().to_string(), "{fault}: sized");
    let clean: Value = clean.json();
    let got = match fault {
        DataFault::Nan => {
            assert!(serde_json::from_slice::<Value>(spoiled.bytes()).is_err(), "NaN is not JSON");
            lenient(spoiled)
        }
        DataFault::Infinity => {
            assert!(serde_json::from_slice::<Value>(spoiled.bytes()).is_err(), "1e999 overflows an f64");
            lenient(spoiled)
        }
        DataFault::Huge => {
            assert!(spoiled.bytes().len() > TEN_MIB, "{} bytes", spoiled.bytes().len());
            without_padding(spoiled.json(), only)
        }
        _ => spoiled.json(),
    };
    assert_eq!(got, expected(fault, &clean, only), "{fault}");
    if fault != DataFault::Huge {
        assert_ne!(got, clean, "{fault} changed something");
    }
}

async fn trip(router: &axum::Router, path: &str) {
    let request = Request::put(path).header(header::AUTHORIZATION, "Bearer demo").body(Body::empty()).unwrap();
    assert_eq!(send(router, request).await.status, StatusCode::NO_CONTENT, "{path}");
}

#[tokio::test(start_paused = true)]
async fn every_data_fault_spoils_a_whole_quote() {
    let router = router();
    let path = "/api/v1/quotes/AAPL";
    let clean = send(&router, get(path)).await;
    for fault in DataFault::ALL {
        let spoiled = send(&router, get_with(path, &[("x-tickerboard-fault", fault.name())])).await;
        assert_spoiled(fault, &clean, &spoiled, None);
    }
    let price = lenient(&send(&router, get_with(path, &[("x-tickerboard-fault", "nan")])).await);
    assert_eq!(price["price"], "NaN", "positive control of the oracle");
}

#[tokio::test(start_paused = true)]
async fn a_data_fault_leaves_an_error_answer_alone() {
    let router = router();
    for fault in DataFault::ALL {
        let answer = send(&router, get_with("/api/v1/quotes/ZZZZ", &[("x-tickerboard-fault", fault.name())])).await;
        assert_eq!((answer.status, answer.error_code()), (StatusCode::NOT_FOUND, "unknown_symbol".into()), "{fault}");
        assert!(!answer.headers.contains_key("x-tickerboard-injected"));
    }
}

#[tokio::test(start_paused = true)]
async fn a_data_fault_switched_on_for_one_symbol_spoils_only_its_quote_in_a_batch() {
    let path = "/api/v1/quotes?symbols=AAPL,MSFT,NVDA";
    for fault in DataFault::ALL {
        let router = router();
        let clean = send(&router, get(path)).await;
        trip(&router, &format!("/api/v1/_faults/batch/{fault}?symbol=msft")).await;
        let spoiled = send(&router, get(path)).await;
        assert_spoiled(fault, &clean, &spoiled, Some("MSFT"));

        let (clean, spoiled) = (clean.json::<BatchQuotes>(), lenient(&spoiled));
        let quotes = spoiled["quotes"].as_array().unwrap();
        assert_eq!(quotes.len(), 3);
        for (i, symbol) in [(0, "AAPL"), (2, "NVDA")] {
            let quote: Quote = serde_json::from_value(quotes[i].clone()).unwrap();
            assert_eq!((quote.symbol.as_str(), &quote), (symbol, &clean.quotes[i]), "{fault}: untouched");
        }
        let msft = serde_json::from_value::<Quote>(quotes[1].clone());
        match fault {
            DataFault::Nan | DataFault::Infinity | DataFault::NoPrice => assert!(msft.is_err(), "{fault}"),
            DataFault::Negative => assert_eq!(msft.unwrap().price, -clean.quotes[1].price),
            DataFault::ExtraFields | DataFault::Huge => assert_eq!(msft.unwrap(), clean.quotes[1], "{fault}"),
        }
        let elsewhere = send(&router, get("/api/v1/quotes?symbols=AAPL,NVDA")).await;
        assert!(!elsewhere.headers.contains_key("x-tickerboard-injected"), "{fault}: a batch without MSFT");
        assert_eq!(elsewhere.json::<BatchQuotes>().quotes, [clean.quotes[0].clone(), clean.quotes[2].clone()]);
    }
}

#[tokio::test(start_paused = true)]
async fn every_data_fault_spoils_a_history_and_its_bars() {
    let router = router();
    let path = "/api/v1/history/AAPL?period=1m";
    let clean = send(&router, get(path)).await;
    for fault in DataFault::ALL {
        let spoiled = send(&router, get_with(path, &[("x-tickerboard-fault", fault.name())])).await;
        assert_spoiled(fault, &clean, &spoiled, None);
    }
    // Switched on for the history's symbol, it reaches every bar inside it.
    trip(&router, "/api/v1/_faults/history/negative?symbol=AAPL").await;
    let negative: History = send(&router, get(path)).await.json();
    assert!(!negative.bars.is_empty() && negative.bars.iter().all(|bar| bar.close < 0.0 && bar.open < 0.0));
}

#[tokio::test(start_paused = true)]
async fn every_data_fault_spoils_a_portfolio_or_one_of_its_positions() {
    let path = "/api/v1/portfolio";
    let clean = send(&router(), get(path)).await;
    let held = clean.json::<Portfolio>().positions[1].symbol.clone();
    for fault in DataFault::ALL {
        let router = router();
        let spoiled = send(&router, get_with(path, &[("x-tickerboard-fault", fault.name())])).await;
        assert_spoiled(fault, &clean, &spoiled, None);

        trip(&router, &format!("/api/v1/_faults/portfolio/{fault}?symbol={held}")).await;
        let one = send(&router, get(path)).await;
        assert_spoiled(fault, &clean, &one, Some(&held));
        let (clean, one) = (clean.json::<Value>(), lenient(&one));
        assert_eq!(one["cash"], clean["cash"], "{fault}: cash is nobody's symbol");
        assert_eq!(one["positions"][0], clean["positions"][0], "{fault}: other positions untouched");
    }
}

#[tokio::test(start_paused = true)]
async fn huge_is_over_ten_mebibytes_with_a_matching_content_length() {
    let huge = send(&router(), get_with("/api/v1/quotes/AAPL", &[("x-tickerboard-fault", "huge")])).await;
    assert_eq!(huge.status, StatusCode::OK);
    let length: usize = huge.headers[header::CONTENT_LENGTH].to_str().unwrap().parse().unwrap();
    assert_eq!(length, huge.bytes().len());
    assert!(length > TEN_MIB && length < TEN_MIB + 64 * 1024, "just over 10 MiB: {length}");
    assert_eq!(huge.json::<Quote>().symbol, "AAPL", "still a valid quote");
}

#[tokio::test(start_paused = true)]
async fn extra_fields_still_decode_as_the_market_types() {
    let router = router();
    let extra = [("x-tickerboard-fault", "extra-fields")];
    let both = |path: &'static str| {
        let router = router.clone();
        async move { (send(&router, get(path)).await, send(&router, get_with(path, &extra)).await) }
    };
    let (clean, spoiled) = both("/api/v1/quotes/AAPL").await;
    assert!(String::from_utf8_lossy(spoiled.bytes()).contains("\"x_unexpected\":{\"nested\":[1,\"two\"]}"));
    assert_eq!(spoiled.json::<Quote>(), clean.json::<Quote>());
    let (clean, spoiled) = both("/api/v1/quotes?symbols=AAPL,ZZZZ").await;
    assert_eq!(spoiled.json::<BatchQuotes>(), clean.json::<BatchQuotes>());
    let (clean, spoiled) = both("/api/v1/history/MSFT?period=3m").await;
    assert_eq!(spoiled.json::<History>(), clean.json::<History>());
    let (clean, spoiled) = both("/api/v1/portfolio").await;
    assert_eq!(spoiled.json::<Portfolio>(), clean.json::<Portfolio>());
    assert_ne!(spoiled.bytes(), clean.bytes(), "the fields were added");
}
