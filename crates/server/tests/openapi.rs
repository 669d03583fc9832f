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
use support::{get, get_with, schema::check, send};

const DOC: &str = include_str!("../api/openapi.json");

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
        ("/api/v1/portfolio", "get", get_with("/api/v1/portfolio", &[("x-tickerboard-latency-ms", "soon")])),
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
