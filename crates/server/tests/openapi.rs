//! The OpenAPI description (`api/openapi.json`) stays true: every documented
//! path and status is produced by a real request here, and every body is
//! checked against its documented schema.

mod support;

use std::collections::BTreeSet;

use axum::{
    body::Body,
    http::{Request, header},
};
use serde_json::Value;
use server::{Config, Fault, app};
use support::{get, get_with, send};

const DOC: &str = include_str!("../api/openapi.json");

/// Checks `value` against `schema` (the subset of JSON Schema the document
/// uses), resolving `$ref`s in `doc`; returns every mismatch with its place.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at, problems);
    }
    let mut fail = |what: String| problems.push(format!("{at}: {what}"));
    match schema["type"].as_str() {
        Some("object") => {
            let Some(object) = value.as_object() else { return fail(format!("expected an object, got {value}")) };
            for field in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !object.contains_key(field) {
                    fail(format!("missing {field}"));
                }
            }
            for (key, item) in object {
                match schema["properties"].get(key) {
                    Some(property) => check(doc, property, item, &format!("{at}.{key}"), problems),
                    None => match &schema["additionalProperties"] {
                        Value::Bool(false) => problems.push(format!("{at}: undocumented field {key}")),
                        extra @ Value::Object(_) => check(doc, extra, item, &format!("{at}.{key}"), problems),
                        _ => {}
                    },
                }
            }
            return;
        }
        Some("array") => {
            let Some(items) = value.as_array() else { return fail(format!("expected an array, got {value}")) };
            if let Some(max) = schema["maxItems"].as_u64()
                && items.len() as u64 > max
            {
                fail(format!("{} items, at most {max}", items.len()));
            }
            for (i, item) in items.iter().enumerate() {
                check(doc, &schema["items"], item, &format!("{at}[{i}]"), problems);
            }
            return;
        }
        Some("string") if !value.is_string() => return fail(format!("expected a string, got {value}")),
        Some("number") if !value.is_number() => return fail(format!("expected a number, got {value}")),
        Some("integer") if !(value.is_u64() || value.is_i64()) => {
            return fail(format!("expected an integer, got {value}"));
        }
        _ => {}
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        fail(format!("{value} is not one of {allowed:?}"));
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), value.as_f64())
        && n < min
    {
        fail(format!("{n} is below {min}"));
    }
    let text = value.as_str().unwrap_or_default();
    let digits_at =
        |positions: &[usize]| positions.iter().all(|&i| text.as_bytes().get(i).is_some_and(u8::is_ascii_digit));
    match schema["format"].as_str() {
        Some("date-time")
            if !(text.len() == 20 && text.ends_with('Z') && digits_at(&[0, 1, 2, 3, 5, 6, 8, 9, 11, 12])) =>
        {
            fail(format!("{text:?} is not RFC 3339 UTC (YYYY-MM-DDTHH:MM:SSZ)"))
        }
        Some("date") if !(text.len() == 10 && digits_at(&[0, 1, 2, 3, 5, 6, 8, 9])) => {
            fail(format!("{text:?} is not YYYY-MM-DD"))
        }
        _ => {}
    }
}

#[tokio::test(start_paused = true)]
async fn every_documented_response_is_produced_and_matches_its_schema() {
    let doc: Value = serde_json::from_str(DOC).expect("openapi.json is JSON");
    let router = app(Config { failing_symbols: ["NFLX".to_owned()].into(), ..Config::default() });

    // (documented path, method, a concrete request).
    let mut cases: Vec<(&str, &str, Request<Body>)> = vec![
        ("/api/v1/quotes/{symbol}", "get", get("/api/v1/quotes/AAPL")),
        ("/api/v1/quotes/{symbol}", "get", get("/api/v1/quotes/no!")),
        ("/api/v1/quotes/{symbol}", "get", get("/api/v1/quotes/ZZZZ")),
        ("/api/v1/quotes/{symbol}", "get", get("/api/v1/quotes/NFLX")),
        ("/api/v1/quotes", "get", get("/api/v1/quotes?symbols=AAPL,ZZZZ,NFLX,bad!")),
        ("/api/v1/quotes", "get", get("/api/v1/quotes?symbols=")),
        ("/api/v1/history/{symbol}", "get", get("/api/v1/history/MSFT?period=1m")),
        ("/api/v1/history/{symbol}", "get", get("/api/v1/history/MSFT?period=2y")),
        ("/api/v1/history/{symbol}", "get", get("/api/v1/history/ZZZZ")),
        ("/api/v1/portfolio", "get", get("/api/v1/portfolio")),
        ("/api/v1/symbols", "get", get("/api/v1/symbols?q=app")),
        ("/api/v1/symbols", "get", get("/api/v1/symbols?q=")),
        ("/api/v1/symbols", "get", get("/api/v1/symbols?all=true")),
        ("/api/v1/_stats", "get", get("/api/v1/_stats")),
        ("/api/v1/_stats", "get", Request::get("/api/v1/_stats").body(Body::empty()).unwrap()),
        (
            "/api/v1/_stats",
            "delete",
            Request::delete("/api/v1/_stats").header(header::AUTHORIZATION, "Bearer demo").body(Body::empty()).unwrap(),
        ),
        ("/api/v1/_stats", "delete", Request::delete("/api/v1/_stats").body(Body::empty()).unwrap()),
        ("/api/v1/_failing/{symbol}", "put", authorised(Request::put("/api/v1/_failing/NFLX"))),
        ("/api/v1/_failing/{symbol}", "put", authorised(Request::put("/api/v1/_failing/no!"))),
        ("/api/v1/_failing/{symbol}", "put", authorised(Request::put("/api/v1/_failing/ZZZZ"))),
        ("/api/v1/_failing/{symbol}", "put", Request::put("/api/v1/_failing/NFLX").body(Body::empty()).unwrap()),
        ("/api/v1/_failing/{symbol}", "delete", authorised(Request::delete("/api/v1/_failing/NFLX"))),
        ("/api/v1/_failing/{symbol}", "delete", authorised(Request::delete("/api/v1/_failing/no!"))),
        ("/api/v1/_failing/{symbol}", "delete", authorised(Request::delete("/api/v1/_failing/ZZZZ"))),
        ("/api/v1/_failing/{symbol}", "delete", Request::delete("/api/v1/_failing/NFLX").body(Body::empty()).unwrap()),
        ("/api/v1/_faults/{endpoint}/{kind}", "put", authorised(Request::put("/api/v1/_faults/history/hang"))),
        ("/api/v1/_faults/{endpoint}/{kind}", "put", authorised(Request::put("/api/v1/_faults/history/slow"))),
        (
            "/api/v1/_faults/{endpoint}/{kind}",
            "put",
            authorised(Request::put("/api/v1/_faults/history/503?symbol=ZZZZ")),
        ),
        (
            "/api/v1/_faults/{endpoint}/{kind}",
            "put",
            Request::put("/api/v1/_faults/history/hang").body(Body::empty()).unwrap(),
        ),
        ("/api/v1/_faults/{endpoint}/{kind}", "put", oversized(Request::put("/api/v1/_faults/history/hang"))),
        ("/api/v1/_failing/{symbol}", "put", oversized(Request::put("/api/v1/_failing/NFLX"))),
        ("/api/v1/quotes", "get", get(&format!("/api/v1/quotes?symbols={}", "AAPL,".repeat(2000)))),
        ("/api/v1/_faults/{endpoint}", "delete", authorised(Request::delete("/api/v1/_faults/history"))),
        ("/api/v1/_faults/{endpoint}", "delete", authorised(Request::delete("/api/v1/_faults/stocks"))),
        (
            "/api/v1/_faults/{endpoint}",
            "delete",
            Request::delete("/api/v1/_faults/history").body(Body::empty()).unwrap(),
        ),
    ];
    // The errors every data endpoint can give: no key, and injected faults.
    let data = [
        ("/api/v1/quotes/{symbol}", "/api/v1/quotes/AAPL"),
        ("/api/v1/quotes", "/api/v1/quotes?symbols=AAPL"),
        ("/api/v1/history/{symbol}", "/api/v1/history/AAPL"),
        ("/api/v1/portfolio", "/api/v1/portfolio"),
        ("/api/v1/symbols", "/api/v1/symbols?q=a"),
    ];
    for (template, path) in data {
        cases.push((template, "get", Request::get(path).body(Body::empty()).unwrap()));
        for fault in ["429", "500", "503"] {
            cases.push((template, "get", get_with(path, &[("x-tickerboard-fault", fault)])));
        }
    }

    let mut exercised = BTreeSet::new();
    let mut problems = Vec::new();
    for (template, method, request) in cases {
        let answer = send(&router, request).await;
        let status = answer.status.as_str().to_owned();
        let documented = &doc["paths"][template][method]["responses"][status.as_str()];
        if documented.is_null() {
            problems.push(format!("{method} {template} answered {status}, which is not documented"));
            continue;
        }
        exercised.insert(format!("{method} {template} {status}"));
        let schema = &documented["content"]["application/json"]["schema"];
        if schema.is_null() {
            continue;
        }
        let body: Value = serde_json::from_slice(answer.bytes()).expect("a JSON body");
        check(&doc, schema, &body, &format!("{method} {template} {status}"), &mut problems);
    }
    assert!(problems.is_empty(), "the API and its description disagree:\n{}", problems.join("\n"));

    let mut documented = BTreeSet::new();
    for (template, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            for status in operation["responses"].as_object().unwrap().keys() {
                documented.insert(format!("{method} {template} {status}"));
            }
        }
    }
    let missing: Vec<_> = documented.difference(&exercised).collect();
    assert!(missing.is_empty(), "documented but never produced here: {missing:?}");
}

fn authorised(request: axum::http::request::Builder) -> Request<Body> {
    request.header(header::AUTHORIZATION, "Bearer demo").body(Body::empty()).unwrap()
}

/// An authorised request with a 17 KiB body.
fn oversized(request: axum::http::request::Builder) -> Request<Body> {
    request.header(header::AUTHORIZATION, "Bearer demo").body(Body::from(vec![b'a'; 17 * 1024])).unwrap()
}

#[test]
fn every_fault_is_documented_wherever_faults_are_named() {
    let doc: Value = serde_json::from_str(DOC).unwrap();
    let names: Vec<Value> = Fault::ALL.iter().map(|f| Value::from(f.name())).collect();
    let mut places = 0;
    for (template, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if ["x-tickerboard-fault", "kind"].contains(&parameter["name"].as_str().unwrap()) {
                    assert_eq!(parameter["schema"]["enum"].as_array().unwrap(), &names, "{method} {template}");
                    places += 1;
                }
            }
        }
    }
    assert_eq!(places, 6, "five data endpoints and _faults");
}

#[test]
fn the_checker_catches_a_wrong_body() {
    // Positive control: a body that breaks the schema in three ways is caught.
    let doc: Value = serde_json::from_str(DOC).unwrap();
    let quote = serde_json::json!({
        "symbol": "AAPL", "price": "187.42", "change": 1.0, "volume": 5,
        "timestamp": "26/11/2026", "extra": true
    });
    let mut problems = Vec::new();
    check(&doc, &serde_json::json!({"$ref": "#/components/schemas/Quote"}), &quote, "quote", &mut problems);
    let text = problems.join("\n");
    for expected in ["price: expected a number", "missing change_percent", "not RFC 3339", "undocumented field extra"] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}
