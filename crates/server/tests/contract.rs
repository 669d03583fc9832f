//! The API's contract on generated requests. For every operation in
//! `api/openapi.json`, proptest builds requests from the operation's own
//! parameters: values derived from each parameter's schema (its enum,
//! pattern, bounds, type) and values that break it (any text, a repeated
//! parameter, a required one left out). Each request is sorted by the
//! document alone (the schema checker in `support::schema`): a valid one must
//! get a documented answer other than 400, an invalid one a 400; every
//! answer but a 204 is JSON and matches the schema documented for its status.

mod support;

use std::collections::BTreeMap;

use axum::{
    Router,
    body::Body,
    http::{Request, header},
};
use proptest::{
    prelude::*,
    strategy::BoxedStrategy,
    test_runner::{Config as RunnerConfig, RngAlgorithm, TestCaseError, TestRng, TestRunner},
};
use serde_json::{Map, Value, json};
use server::{Config, app};
use support::{
    schema::{check, holds},
    send,
};

const DOC: &str = include_str!("../api/openapi.json");
/// Generated requests per operation.
const CASES: u32 = 96;
/// The faults whose answer is a documented error with its own status (the
/// others break the answer on purpose: a hang, a dropped connection, a
/// malformed or NaN body; the fault matrix tests those).
const ANSWERING_FAULTS: [&str; 4] = ["500", "503", "429", "401"];

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Path,
    Query,
    Header,
}

/// One documented parameter.
#[derive(Debug, Clone)]
struct Parameter {
    name: String,
    place: Place,
    required: bool,
    /// `style: form, explode: true` with an object schema: each property is a
    /// query parameter of its own.
    exploded_object: bool,
    schema: Value,
}

/// What one parameter (by its index) puts into a request: `(name, raw text)`
/// pairs in order (none if left out, two if repeated).
type Given = (usize, Vec<(String, String)>);

/// One generated request.
#[derive(Debug, Clone)]
struct Generated {
    pairs: Vec<Given>,
}

fn parameters(operation: &Value) -> Vec<Parameter> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Parameter {
            name: p["name"].as_str().unwrap().to_owned(),
            place: match p["in"].as_str().unwrap() {
                "path" => Place::Path,
                "query" => Place::Query,
                "header" => Place::Header,
                other => panic!("a parameter in {other}"),
            },
            required: p["required"].as_bool().unwrap_or(false),
            exploded_object: p["schema"]["type"] == "object" && p["explode"].as_bool().unwrap_or(true),
            schema: p["schema"].clone(),
        })
        .collect()
}

/// Text that breaks most schemas: any printable ASCII, any Unicode, long
/// runs, numbers, near-misses of booleans and integers.
fn junk(ascii_only: bool) -> BoxedStrategy<String> {
    let ascii = prop_oneof![
        Just(String::new()),
        "[ -~]{1,12}",
        "[A-Za-z]{40,60}",
        "-?[0-9]{1,7}",
        Just("maybe".to_owned()),
        Just("+5".to_owned()),
        Just(" ".to_owned()),
    ];
    if ascii_only { ascii.boxed() } else { prop_oneof![4 => ascii, 1 => "\\PC{1,12}"].boxed() }
}

/// Text derived from `schema` to satisfy it (most of the time: a pattern
/// without anchors, or bounds it does not state, are left to the checker).
fn derived(name: &str, schema: &Value) -> BoxedStrategy<String> {
    if name == "x-tickerboard-fault" {
        return proptest::sample::select(ANSWERING_FAULTS.to_vec()).prop_map(str::to_owned).boxed();
    }
    if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values.iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        return proptest::sample::select(values).boxed();
    }
    match schema["type"].as_str() {
        Some("boolean") => proptest::bool::ANY.prop_map(|b| b.to_string()).boxed(),
        Some("integer") => {
            let min = schema["minimum"].as_i64().unwrap_or(0);
            let max = schema["maximum"].as_i64().unwrap_or(1_000_000);
            (min..=max + 1).prop_map(|n| n.to_string()).boxed()
        }
        Some("array") => {
            let max = schema["maxItems"].as_u64().unwrap_or(10) as usize;
            let item = derived(name, &schema["items"]);
            proptest::collection::vec(item, 0..=max + 2).prop_map(|items| items.join(",")).boxed()
        }
        _ => match schema["pattern"].as_str() {
            Some(pattern) if pattern.starts_with('^') && pattern.ends_with('$') => {
                proptest::string::string_regex(&pattern[1..pattern.len() - 1]).unwrap().boxed()
            }
            _ => {
                let max = schema["maxLength"].as_u64().unwrap_or(12) as usize;
                proptest::string::string_regex(&format!("[ -~]{{0,{}}}", max + 1)).unwrap().boxed()
            }
        },
    }
}

/// A value for `schema`: mostly derived from it, sometimes junk.
fn value(name: &str, schema: &Value, ascii_only: bool) -> BoxedStrategy<String> {
    prop_oneof![3 => derived(name, schema), 1 => junk(ascii_only)].boxed()
}

/// The pairs one parameter contributes to a request.
fn pairs(parameter: &Parameter) -> BoxedStrategy<Vec<(String, String)>> {
    let ascii_only = parameter.place == Place::Header;
    let fields: Vec<(String, Value)> = if parameter.exploded_object {
        parameter.schema["properties"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    } else {
        vec![(parameter.name.clone(), parameter.schema.clone())]
    };
    let per_field: Vec<BoxedStrategy<Vec<(String, String)>>> = fields
        .into_iter()
        .map(|(name, schema)| {
            let one = value(&name, &schema, ascii_only);
            let path = parameter.place == Place::Path;
            // Present (a path parameter always, and never empty: it would
            // be another URL), left out, or (a query's) given twice.
            let times = if path {
                Just(1usize).boxed()
            } else if parameter.place == Place::Query {
                prop_oneof![2 => Just(1usize), 1 => Just(0usize), 1 => Just(2usize)].boxed()
            } else {
                prop_oneof![1 => Just(1usize), 1 => Just(0usize)].boxed()
            };
            let one = if path { one.prop_filter("a path segment", |v| !v.is_empty()).boxed() } else { one };
            times
                .prop_flat_map(move |n| proptest::collection::vec(one.clone(), n))
                .prop_map(move |values| values.into_iter().map(|v| (name.clone(), v)).collect())
                .boxed()
        })
        .collect();
    per_field.prop_map(|lists| lists.into_iter().flatten().collect()).boxed()
}

fn generated(parameters: &[Parameter]) -> BoxedStrategy<Generated> {
    let each: Vec<BoxedStrategy<Given>> =
        parameters.iter().enumerate().map(|(i, p)| pairs(p).prop_map(move |v| (i, v)).boxed()).collect();
    each.prop_map(|pairs| Generated { pairs }).boxed()
}

/// A raw text as the schema's type reads it: `true`/`false` as booleans,
/// digits as integers, a comma list as an array; anything else stays text
/// (and fails a boolean's or an integer's schema).
fn typed(schema: &Value, raw: &str) -> Value {
    match schema["type"].as_str() {
        Some("boolean") if raw == "true" || raw == "false" => Value::Bool(raw == "true"),
        Some("integer") if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => {
            raw.parse::<u64>().map_or_else(|_| Value::String(raw.to_owned()), Value::from)
        }
        Some("array") => Value::Array(raw.split(',').map(|s| Value::String(s.to_owned())).collect()),
        _ => Value::String(raw.to_owned()),
    }
}

/// Whether the document calls the request valid, and why not.
fn valid(doc: &Value, parameters: &[Parameter], request: &Generated) -> Result<(), String> {
    let mut problems = Vec::new();
    for (i, pairs) in &request.pairs {
        let parameter = &parameters[*i];
        let mut seen = BTreeMap::new();
        for (name, _) in pairs {
            *seen.entry(name.as_str()).or_insert(0) += 1;
        }
        if seen.values().any(|&n| n > 1) {
            problems.push(format!("{} given twice", parameter.name));
            continue;
        }
        if pairs.is_empty() {
            if parameter.required {
                problems.push(format!("{} left out", parameter.name));
            }
            continue;
        }
        let raw = |v: &str| if parameter.place == Place::Header { header_text(v) } else { v }.to_owned();
        let value = if parameter.exploded_object {
            let object: Map<String, Value> = pairs
                .iter()
                .map(|(name, v)| (name.clone(), typed(&parameter.schema["properties"][name], &raw(v))))
                .collect();
            Value::Object(object)
        } else {
            typed(&parameter.schema, &raw(&pairs[0].1))
        };
        check(doc, &parameter.schema, &value, &parameter.name, &mut problems);
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// The status a valid `x-tickerboard-fault` header forces: an injected fault
/// answers before the request is read, whatever else it holds (unless the
/// latency header, read first, breaks its schema).
fn forced_fault(doc: &Value, parameters: &[Parameter], generated: &Generated) -> Option<String> {
    let header = |name: &str| {
        generated.pairs.iter().find(|(i, _)| parameters[*i].name == name).map(|(i, pairs)| {
            let parameter = &parameters[*i];
            let value = pairs.first().map(|(_, v)| header_text(v).to_owned());
            (parameter, value)
        })
    };
    let (_, Some(fault)) = header("x-tickerboard-fault")? else { return None };
    let latency_ok = match header("x-tickerboard-latency-ms") {
        Some((parameter, Some(ms))) => holds(doc, &parameter.schema, &typed(&parameter.schema, &ms)),
        _ => true,
    };
    (ANSWERING_FAULTS.contains(&fault.as_str()) && latency_ok).then_some(fault)
}

/// A header's value as it is read: without surrounding spaces (RFC 9110 §5.5).
fn header_text(value: &str) -> &str {
    value.trim_matches([' ', '\t'])
}

/// Every byte but the unreserved ones percent-encoded.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn request(method: &str, template: &str, parameters: &[Parameter], generated: &Generated) -> Request<Body> {
    let mut path = template.to_owned();
    let mut query = Vec::new();
    let mut builder = Request::builder().method(method.to_uppercase().as_str());
    for (i, pairs) in &generated.pairs {
        let parameter = &parameters[*i];
        for (name, value) in pairs {
            match parameter.place {
                // A comma in an array stays a comma: it separates the items.
                Place::Query if parameter.schema["type"] == "array" => {
                    query.push(format!("{name}={}", value.split(',').map(encode).collect::<Vec<_>>().join(",")));
                }
                Place::Query => query.push(format!("{name}={}", encode(value))),
                Place::Path => path = path.replace(&format!("{{{name}}}"), &encode(value)),
                Place::Header => builder = builder.header(name.as_str(), value.as_str()),
            }
        }
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    builder.uri(path).header(header::AUTHORIZATION, "Bearer demo").body(Body::empty()).unwrap()
}

/// Sends one generated request and checks its answer; the error says what broke.
fn exchange(
    doc: &Value,
    (runtime, router): (&tokio::runtime::Runtime, &Router),
    (method, template, parameters): (&str, &str, &[Parameter]),
    generated: &Generated,
) -> Result<bool, String> {
    let verdict = valid(doc, parameters, generated);
    let request = request(method, template, parameters, generated);
    let uri = request.uri().to_string();
    let answer = runtime.block_on(send(router, request));
    let status = answer.status.as_str().to_owned();
    let said = String::from_utf8_lossy(answer.body.as_deref().unwrap_or_default()).into_owned();
    let documented = &doc["paths"][template][method]["responses"][status.as_str()];
    if documented.is_null() {
        return Err(format!("{method} {uri} answered {status}, which is not documented: {said}"));
    }
    match (&verdict, status.as_str(), forced_fault(doc, parameters, generated)) {
        (_, s, Some(fault)) if s != fault => {
            return Err(format!("{method} {uri} asked for fault {fault} but answered {status}: {said}"));
        }
        (_, _, Some(_)) => {}
        (Ok(()), "400", None) => {
            return Err(format!("{method} {uri} is valid by the document but was refused: {said}"));
        }
        (Err(why), s, None) if s != "400" => {
            return Err(format!("{method} {uri} is invalid ({why}) but answered {status}: {said}"));
        }
        _ => {}
    }
    let schema = &documented["content"]["application/json"]["schema"];
    if !schema.is_null() {
        let content_type = answer.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if content_type != Some("application/json") {
            return Err(format!("{method} {uri} answered {status} as {content_type:?}, not JSON: {said}"));
        }
        let body: Value = serde_json::from_str(&said).map_err(|e| format!("{method} {uri}: {e}: {said}"))?;
        let mut problems = Vec::new();
        check(doc, schema, &body, &format!("{method} {template} {status}"), &mut problems);
        if !problems.is_empty() {
            return Err(format!("{method} {uri}: {}", problems.join("; ")));
        }
    }
    Ok(verdict.is_ok())
}

#[test]
fn generated_requests_get_the_answers_the_document_promises() {
    let doc: Value = serde_json::from_str(DOC).expect("openapi.json is JSON");
    let mut report = Vec::new();
    // One runtime on paused time for every request: injected latencies pass at once.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
    let mut total = 0;
    for (template, methods) in doc["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            let parameters = parameters(operation);
            let router = app(Config::default());
            let strategy = generated(&parameters);
            // The same requests every run: a failure in CI is one a developer can replay.
            let config = RunnerConfig { cases: CASES, failure_persistence: None, ..RunnerConfig::default() };
            let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
            let counts = std::cell::Cell::new((0u32, 0u32));
            let outcome = runner.run(&strategy, |generated| {
                let ok =
                    exchange(&doc, (&runtime, &router), (method.as_str(), template.as_str(), &parameters), &generated)
                        .map_err(TestCaseError::fail)?;
                let (valid, invalid) = counts.get();
                counts.set(if ok { (valid + 1, invalid) } else { (valid, invalid + 1) });
                Ok(())
            });
            if let Err(failure) = outcome {
                panic!("{} {template}: {failure}", method.to_uppercase());
            }
            let (valid, invalid) = counts.get();
            total += valid + invalid;
            report.push(format!("{} {template}: {valid} valid, {invalid} invalid", method.to_uppercase()));
            // Every operation with parameters met both kinds of request.
            if !parameters.is_empty() {
                assert!(valid > 0 && invalid > 0, "{method} {template}: {valid} valid, {invalid} invalid");
            }
        }
    }
    println!("contract: {total} generated requests\n  {}", report.join("\n  "));
    assert_eq!(total, CASES * report.len() as u32, "every operation ran its cases");
    assert!(report.len() >= 11, "the document's operations: {report:?}");
}

#[test]
fn the_sorter_tells_valid_from_invalid() {
    // Positive control: requests whose verdict is known are sorted so.
    let doc: Value = serde_json::from_str(DOC).unwrap();
    let search = parameters(&doc["paths"]["/api/v1/symbols"]["get"]);
    let history = parameters(&doc["paths"]["/api/v1/history/{symbol}"]["get"]);
    let at = |parameters: &[Parameter], name: &str| parameters.iter().position(|p| p.name == name).unwrap();
    let one = |index: usize, pairs: &[(&str, &str)]| Generated {
        pairs: vec![(index, pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())],
    };
    let s = at(&search, "search");
    assert_eq!(valid(&doc, &search, &one(s, &[("q", "app")])), Ok(()));
    assert_eq!(valid(&doc, &search, &one(s, &[("all", "true")])), Ok(()));
    let bad: [&[(&str, &str)]; 5] =
        [&[("all", "false")], &[("all", "maybe")], &[("q", " ")], &[("q", "a"), ("q", "b")], &[]];
    for pairs in bad {
        assert!(valid(&doc, &search, &one(s, pairs)).is_err(), "{pairs:?}");
    }
    let (symbol, period) = (at(&history, "symbol"), at(&history, "period"));
    let ask = |s: &str, p: &str| {
        let mut request = one(symbol, &[("symbol", s)]);
        request.pairs.extend(one(period, &[("period", p)]).pairs);
        request
    };
    assert_eq!(valid(&doc, &history, &ask("brk.b", "5y")), Ok(()));
    for (s, p) in [("AAPLAAPLAAP", "1y"), ("AAPı", "1y"), (" AAPL", "1y"), ("AAPL", "2y")] {
        assert!(valid(&doc, &history, &ask(s, p)).is_err(), "{s} {p}");
    }
    // And the checker's own keywords.
    assert!(holds(&doc, &json!({"type": "integer", "maximum": 5}), &json!(5)));
    assert!(!holds(&doc, &json!({"type": "integer", "maximum": 5}), &json!(6)));
}
