//! The subset of JSON Schema `api/openapi.json` uses, as a checker: answers'
//! bodies are checked against it (`openapi.rs`), and so are generated
//! requests' parameters, which it sorts into valid and invalid (`contract.rs`).
//! Hand-written: the document uses a dozen keywords, and a full validator
//! (with remote references and every draft) would be most of the server's
//! test build.

use serde_json::Value;

/// Checks `value` against `schema`, resolving `$ref`s in `doc`; pushes every
/// mismatch, with its place, onto `problems`.
pub fn check(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at, problems);
    }
    if let Some(branches) = schema["anyOf"].as_array()
        && !branches.iter().any(|branch| holds(doc, branch, value))
    {
        problems.push(format!("{at}: {value} matches none of anyOf {branches:?}"));
    }
    if let Some(constant) = schema.get("const")
        && value != constant
    {
        problems.push(format!("{at}: {value} is not {constant}"));
    }
    match schema["type"].as_str() {
        Some("object") => return check_object(doc, schema, value, at, problems),
        Some("array") => return check_array(doc, schema, value, at, problems),
        Some("string") if !value.is_string() => return problems.push(format!("{at}: expected a string, got {value}")),
        Some("number") if !value.is_number() => return problems.push(format!("{at}: expected a number, got {value}")),
        Some("integer") if !(value.is_u64() || value.is_i64()) => {
            return problems.push(format!("{at}: expected an integer, got {value}"));
        }
        Some("boolean") if !value.is_boolean() => {
            return problems.push(format!("{at}: expected a boolean, got {value}"));
        }
        None if (schema.get("properties").is_some() || schema.get("required").is_some()) && value.is_object() => {
            return check_object(doc, schema, value, at, problems);
        }
        _ => {}
    }
    let mut fail = |what: String| problems.push(format!("{at}: {what}"));
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        fail(format!("{value} is not one of {allowed:?}"));
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema["minimum"].as_f64()
            && n < min
        {
            fail(format!("{n} is below {min}"));
        }
        if let Some(max) = schema["maximum"].as_f64()
            && n > max
        {
            fail(format!("{n} is above {max}"));
        }
    }
    if let Some(text) = value.as_str() {
        check_string(schema, text, &mut fail);
    }
}

/// Whether `value` matches `schema` with no mismatch.
pub fn holds(doc: &Value, schema: &Value, value: &Value) -> bool {
    let mut problems = Vec::new();
    check(doc, schema, value, "", &mut problems);
    problems.is_empty()
}

fn check_object(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return problems.push(format!("{at}: expected an object, got {value}"));
    };
    for field in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !object.contains_key(field) {
            problems.push(format!("{at}: missing {field}"));
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
}

fn check_array(doc: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(items) = value.as_array() else { return problems.push(format!("{at}: expected an array, got {value}")) };
    let count = items.len() as u64;
    if let Some(max) = schema["maxItems"].as_u64()
        && count > max
    {
        problems.push(format!("{at}: {count} items, at most {max}"));
    }
    if let Some(min) = schema["minItems"].as_u64()
        && count < min
    {
        problems.push(format!("{at}: {count} items, at least {min}"));
    }
    for (i, item) in items.iter().enumerate() {
        check(doc, &schema["items"], item, &format!("{at}[{i}]"), problems);
    }
}

fn check_string(schema: &Value, text: &str, fail: &mut impl FnMut(String)) {
    // Lengths in characters (code points), as JSON Schema counts them.
    let length = text.chars().count() as u64;
    if let Some(min) = schema["minLength"].as_u64()
        && length < min
    {
        fail(format!("{text:?} is shorter than {min}"));
    }
    if let Some(max) = schema["maxLength"].as_u64()
        && length > max
    {
        fail(format!("{text:?} is longer than {max}"));
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        let regex = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern:?}: {e}"));
        if !regex.is_match(text) {
            fail(format!("{text:?} does not match {pattern:?}"));
        }
    }
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
