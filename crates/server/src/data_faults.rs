//! Data faults: a successful JSON answer rewritten so its prices are invalid,
//! missing or wrong, or so it carries unknown fields or megabytes of padding —
//! the whole answer, or only the parts about one symbol.

use std::fmt;

use serde_json::{Map, Value};

/// The keys whose numbers are prices.
pub const PRICE_KEYS: [&str; 6] = ["price", "open", "high", "low", "close", "average_cost"];

/// The exact length of a `huge` answer: just over 10 MiB.
pub const HUGE_BODY_BYTES: usize = 10 * 1024 * 1024 + 1024;

/// Stand-ins written into the JSON tree, then replaced in its text by tokens
/// no JSON value serialises to. Nothing the server sends contains `@`.
const NAN_MARK: &str = "@tickerboard:NaN@";
const INFINITY_MARK: &str = "@tickerboard:1e999@";
const PADDING_MARK: &str = "@tickerboard:padding@";

/// One way to spoil an answer that was otherwise correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFault {
    /// Every price becomes the bare token `NaN` (not JSON at all).
    Nan,
    /// Every price becomes `1e999`: valid JSON grammar, beyond any `f64`.
    Infinity,
    /// Every price is negated.
    Negative,
    /// Every price key is removed.
    NoPrice,
    /// Every object gains fields no client knows (`x_unexpected`, `x_note`).
    ExtraFields,
    /// A field `x_padding` makes the answer [`HUGE_BODY_BYTES`] long.
    Huge,
}

impl DataFault {
    /// Every data fault.
    pub const ALL: [DataFault; 6] = [
        DataFault::Nan,
        DataFault::Infinity,
        DataFault::Negative,
        DataFault::NoPrice,
        DataFault::ExtraFields,
        DataFault::Huge,
    ];

    /// The fault's name in headers and flags.
    pub fn name(self) -> &'static str {
        match self {
            DataFault::Nan => "nan",
            DataFault::Infinity => "infinity",
            DataFault::Negative => "negative",
            DataFault::NoPrice => "no-price",
            DataFault::ExtraFields => "extra-fields",
            DataFault::Huge => "huge",
        }
    }

    /// `body` (JSON) with this fault applied to every object, or, with `only`,
    /// to the objects whose `"symbol"` is `only` and everything inside them.
    /// `None` when the body is not JSON or nothing in it was changed.
    pub(crate) fn rewrite(self, body: &[u8], only: Option<&str>) -> Option<Vec<u8>> {
        let mut value: Value = serde_json::from_slice(body).ok()?;
        let changed = match self {
            DataFault::Nan => each_object(&mut value, only, &mut |o| set_prices(o, |_| Some(NAN_MARK.into()))),
            DataFault::Infinity => {
                each_object(&mut value, only, &mut |o| set_prices(o, |_| Some(INFINITY_MARK.into())))
            }
            DataFault::Negative => each_object(&mut value, only, &mut |o| set_prices(o, negated)),
            DataFault::NoPrice => each_object(&mut value, only, &mut |o| set_prices(o, |_| None)),
            DataFault::ExtraFields => each_object(&mut value, only, &mut add_unknown_fields),
            DataFault::Huge => {
                let target = match only {
                    Some(symbol) => about(&mut value, symbol),
                    None => value.as_object_mut(),
                };
                target.map_or(0, |o| {
                    o.insert("x_padding".into(), PADDING_MARK.into());
                    1
                })
            }
        };
        if changed == 0 {
            return None;
        }
        let text = serde_json::to_string(&value).ok()?;
        let text = match self {
            DataFault::Nan => text.replace(&quoted(NAN_MARK), "NaN"),
            DataFault::Infinity => text.replace(&quoted(INFINITY_MARK), "1e999"),
            DataFault::Huge => {
                let mark = quoted(PADDING_MARK);
                let padding = HUGE_BODY_BYTES.saturating_sub(text.len() - mark.len() + 2);
                text.replacen(&mark, &format!("\"{}\"", "x".repeat(padding)), 1)
            }
            _ => text,
        };
        Some(text.into_bytes())
    }
}

impl fmt::Display for DataFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Calls `change` on every object in scope, innermost first (so fields it
/// adds are not visited); returns the sum of what it reports changed.
fn each_object(
    value: &mut Value,
    only: Option<&str>,
    change: &mut impl FnMut(&mut Map<String, Value>) -> usize,
) -> usize {
    fn visit(
        value: &mut Value,
        only: Option<&str>,
        in_scope: bool,
        change: &mut impl FnMut(&mut Map<String, Value>) -> usize,
    ) -> usize {
        match value {
            Value::Object(object) => {
                let in_scope =
                    in_scope || only.is_some_and(|s| object.get("symbol").and_then(Value::as_str) == Some(s));
                let inner: usize = object.values_mut().map(|v| visit(v, only, in_scope, change)).sum();
                inner + if in_scope { change(object) } else { 0 }
            }
            Value::Array(items) => items.iter_mut().map(|v| visit(v, only, in_scope, change)).sum(),
            _ => 0,
        }
    }
    visit(value, only, only.is_none(), change)
}

/// Replaces each numeric price of `object` by `new(price)`, or removes it on
/// `None`; returns how many prices there were.
fn set_prices(object: &mut Map<String, Value>, new: impl Fn(f64) -> Option<Value>) -> usize {
    let mut changed = 0;
    for key in PRICE_KEYS {
        let Some(price) = object.get(key).and_then(Value::as_f64) else { continue };
        match new(price) {
            Some(value) => object.insert(key.into(), value),
            None => object.remove(key),
        };
        changed += 1;
    }
    changed
}

fn negated(price: f64) -> Option<Value> {
    Some(Value::from(-price))
}

fn add_unknown_fields(object: &mut Map<String, Value>) -> usize {
    object.insert("x_unexpected".into(), serde_json::json!({ "nested": [1, "two"] }));
    object.insert("x_note".into(), "a field no client knows; it must be ignored".into());
    1
}

/// The outermost object whose `"symbol"` is `symbol`.
fn about<'a>(value: &'a mut Value, symbol: &str) -> Option<&'a mut Map<String, Value>> {
    match value {
        Value::Object(object) => {
            if object.get("symbol").and_then(Value::as_str) == Some(symbol) {
                return Some(object);
            }
            object.values_mut().find_map(|v| about(v, symbol))
        }
        Value::Array(items) => items.iter_mut().find_map(|v| about(v, symbol)),
        _ => None,
    }
}

fn quoted(mark: &str) -> String {
    format!("\"{mark}\"")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn batch() -> Value {
        json!({
            "quotes": [
                { "symbol": "AAPL", "price": 187.42, "change": 1.5, "volume": 10 },
                { "symbol": "MSFT", "price": 410.1, "change": -2.0, "volume": 20 }
            ],
            "errors": [{ "symbol": "ZZZZ", "error": { "code": "unknown_symbol", "message": "unknown" } }]
        })
    }

    fn rewrite(fault: DataFault, value: &Value, only: Option<&str>) -> String {
        let body = serde_json::to_vec(value).unwrap();
        String::from_utf8(fault.rewrite(&body, only).expect("something changed")).unwrap()
    }

    /// The text, with the bare tokens quoted so it parses.
    fn lenient(text: &str) -> Value {
        serde_json::from_str(&text.replace("NaN", "\"NaN\"").replace("1e999", "\"1e999\"")).unwrap()
    }

    #[test]
    fn nan_and_infinity_write_bare_tokens_for_every_price() {
        let history =
            json!({ "symbol": "AAPL", "bars": [{ "open": 1.0, "high": 2.0, "low": 0.5, "close": 1.5, "volume": 3 }] });
        let nan = rewrite(DataFault::Nan, &history, None);
        assert!(serde_json::from_str::<Value>(&nan).is_err(), "not JSON: {nan}");
        assert_eq!(nan.matches(":NaN").count(), 4, "{nan}");
        assert!(nan.contains(r#""volume":3"#), "volumes are not prices: {nan}");

        let infinity = rewrite(DataFault::Infinity, &history, None);
        assert_eq!(infinity.matches(":1e999").count(), 4, "{infinity}");
        assert!(serde_json::from_str::<Value>(&infinity).is_err(), "serde_json refuses a number beyond f64");
        assert_eq!(lenient(&infinity)["bars"][0]["close"], "1e999");
    }

    #[test]
    fn negative_and_no_price_change_only_price_keys() {
        let portfolio =
            json!({ "cash": 100.0, "positions": [{ "symbol": "AAPL", "quantity": 5.0, "average_cost": 150.25 }] });
        let negative: Value = serde_json::from_str(&rewrite(DataFault::Negative, &portfolio, None)).unwrap();
        assert_eq!(negative["positions"][0]["average_cost"], -150.25);
        assert_eq!((&negative["cash"], &negative["positions"][0]["quantity"]), (&json!(100.0), &json!(5.0)));

        let missing: Value = serde_json::from_str(&rewrite(DataFault::NoPrice, &portfolio, None)).unwrap();
        assert_eq!(missing["positions"][0], json!({ "symbol": "AAPL", "quantity": 5.0 }));
    }

    #[test]
    fn a_symbol_limits_the_fault_to_its_objects_and_what_they_hold() {
        let only_msft = lenient(&rewrite(DataFault::Nan, &batch(), Some("MSFT")));
        assert_eq!(only_msft["quotes"][1]["price"], "NaN");
        assert_eq!(only_msft["quotes"][0], batch()["quotes"][0], "AAPL untouched");

        let history = json!({ "symbol": "AAPL", "bars": [{ "close": 1.5 }, { "close": 2.5 }] });
        let negative: Value = serde_json::from_str(&rewrite(DataFault::Negative, &history, Some("AAPL"))).unwrap();
        assert_eq!(negative["bars"], json!([{ "close": -1.5 }, { "close": -2.5 }]), "nested in the symbol's object");

        let body = serde_json::to_vec(&batch()).unwrap();
        assert_eq!(DataFault::Nan.rewrite(&body, Some("NVDA")), None, "nothing about NVDA");
        assert_eq!(DataFault::Nan.rewrite(&body, Some("ZZZZ")), None, "ZZZZ has no price");
        assert_eq!(DataFault::Nan.rewrite(b"{\"cut", None), None, "not JSON");
    }

    #[test]
    fn extra_fields_go_into_every_object_and_change_nothing_else() {
        let extra: Value = serde_json::from_str(&rewrite(DataFault::ExtraFields, &batch(), None)).unwrap();
        for object in
            [&extra, &extra["quotes"][0], &extra["quotes"][1], &extra["errors"][0], &extra["errors"][0]["error"]]
        {
            assert_eq!(object["x_unexpected"], json!({ "nested": [1, "two"] }), "{object}");
            assert!(object["x_note"].is_string());
        }
        assert!(extra["x_unexpected"]["x_note"].is_null(), "the added fields are not visited");
        let mut cleaned = extra.clone();
        strip_unknown(&mut cleaned);
        assert_eq!(cleaned, batch());
    }

    fn strip_unknown(value: &mut Value) {
        match value {
            Value::Object(object) => {
                object.retain(|key, _| !key.starts_with("x_"));
                object.values_mut().for_each(strip_unknown);
            }
            Value::Array(items) => items.iter_mut().for_each(strip_unknown),
            _ => {}
        }
    }

    #[test]
    fn huge_pads_the_answer_to_just_over_ten_mebibytes() {
        let whole = rewrite(DataFault::Huge, &batch(), None);
        assert_eq!(whole.len(), HUGE_BODY_BYTES);
        assert!(whole.len() > 10 * 1024 * 1024);
        let mut value: Value = serde_json::from_str(&whole).unwrap();
        assert!(value["x_padding"].as_str().unwrap().len() > 10_000_000);
        value.as_object_mut().unwrap().remove("x_padding");
        assert_eq!(value, batch());

        let msft: Value = serde_json::from_str(&rewrite(DataFault::Huge, &batch(), Some("MSFT"))).unwrap();
        assert!(msft["quotes"][1]["x_padding"].is_string() && msft.get("x_padding").is_none());
    }
}
