//! How numbers are written for people: money, signed changes, volumes,
//! seconds. In the browser, grouping and decimal marks follow the user's
//! locale (read once from `Intl.NumberFormat`); natively (tests) they are
//! `1,234.56`.

use std::time::Duration;

/// A number with exactly `decimals` decimals and the locale's grouping.
fn number(value: f64, decimals: u32) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    #[cfg(target_arch = "wasm32")]
    {
        let (group, decimal) = intl::separators();
        grouped(value, decimals, &group, &decimal)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        grouped(value, decimals, ",", ".")
    }
}

/// `value` rounded to `decimals`, thousands joined by `group`, the fraction
/// after `decimal`: `grouped(1234.5, 2, ",", ".")` is `1,234.50`.
fn grouped(value: f64, decimals: u32, group: &str, decimal: &str) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round() as u64;
    let sign = if value < 0.0 && scaled > 0 { "-" } else { "" };
    let (whole, fraction) = (scaled / scale, scaled % scale);
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + 8);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(c);
    }
    if decimals > 0 {
        out.push_str(decimal);
        out.push_str(&format!("{fraction:0width$}", width = decimals as usize));
    }
    out
}

#[cfg(target_arch = "wasm32")]
mod intl {
    //! The user's grouping and decimal marks, read once from
    //! `Intl.NumberFormat().formatToParts`. Formatting then stays in Rust:
    //! calling `Intl` for every cell made a 500-row update three times slower.
    use std::cell::OnceCell;

    use js_sys::{Array, Intl::NumberFormat, Object, Reflect};
    use wasm_bindgen::JsValue;

    thread_local! {
        static SEPARATORS: OnceCell<(String, String)> = const { OnceCell::new() };
    }

    pub(super) fn separators() -> (String, String) {
        SEPARATORS.with(|cell| cell.get_or_init(read).clone())
    }

    fn read() -> (String, String) {
        let format = NumberFormat::new(&Array::new(), &Object::new());
        let (mut group, mut decimal) = (",".to_owned(), ".".to_owned());
        for part in format.format_to_parts(1_234_567.5).iter() {
            let field = |name: &str| Reflect::get(&part, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
            match (field("type").as_deref(), field("value")) {
                (Some("group"), Some(value)) => group = value,
                (Some("decimal"), Some(value)) => decimal = value,
                _ => {}
            }
        }
        (group, decimal)
    }
}

/// Dollars with cents and the locale's grouping: `12,345.60`.
pub fn money(dollars: f64) -> String {
    number(dollars, 2)
}

/// A change with its sign: `+1.25`, `-0.40`, `0.00`.
pub fn signed(value: f64) -> String {
    with_sign(value, number(value, 2))
}

/// Dollars with cents, grouping and a sign: `+1,234.50`, `-12.00`.
pub fn signed_money(dollars: f64) -> String {
    with_sign(dollars, money(dollars))
}

/// A percentage change with its sign: `+1.25%`.
pub fn signed_percent(value: f64) -> String {
    format!("{}%", signed(value))
}

/// A plus in front of a positive amount that does not round to zero.
fn with_sign(value: f64, text: String) -> String {
    if (value * 100.0).round() > 0.0 { format!("+{text}") } else { text }
}

/// A share count: whole shares without decimals, fractions with up to four.
pub fn quantity(shares: f64) -> String {
    if shares.fract() == 0.0 { number(shares, 0) } else { number(shares, 4) }
}

/// A share volume, short: `950`, `12.3K`, `45.1M`, `1.2B`.
pub fn volume(shares: u64) -> String {
    let s = shares as f64;
    match shares {
        0..1_000 => shares.to_string(),
        1_000..1_000_000 => format!("{}K", number(s / 1e3, 1)),
        1_000_000..1_000_000_000 => format!("{}M", number(s / 1e6, 1)),
        _ => format!("{}B", number(s / 1e9, 1)),
    }
}

/// Seconds with two decimals: `1.02`.
pub fn seconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64())
}

/// The time of day of an RFC 3339 instant, `HH:MM:SS` (UTC), or the text as sent.
pub fn time_of_day(rfc3339: &str) -> String {
    rfc3339.split_once('T').and_then(|(_, time)| time.get(..8)).map_or_else(|| rfc3339.to_owned(), str::to_owned)
}

/// The clock time (`hh:mm:ss`) of `Date.now()`-style milliseconds: local
/// time in the browser, UTC elsewhere (tests).
pub fn clock_time(ms: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let (h, m, s) = {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
        (date.get_hours(), date.get_minutes(), date.get_seconds())
    };
    #[cfg(not(target_arch = "wasm32"))]
    let (h, m, s) = {
        let seconds = (ms / 1000.0).floor().rem_euclid(86_400.0) as u32;
        (seconds / 3600, seconds / 60 % 60, seconds % 60)
    };
    format!("{h:02}:{m:02}:{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_rounded_and_signed() {
        assert_eq!(money(1_234_567.891), "1,234,567.89");
        assert_eq!(money(-0.5), "-0.50");
        assert_eq!(money(-0.001), "0.00");
        assert_eq!(money(f64::NAN), "—");
        assert_eq!(signed(1.254), "+1.25");
        assert_eq!(signed_money(-1_234.5), "-1,234.50");
        assert_eq!(quantity(12.0), "12");
        assert_eq!(quantity(0.5), "0.5000");
        assert_eq!(volume(45_100_000), "45.1M");
        assert_eq!(grouped(1_234_567.5, 2, ".", ","), "1.234.567,50");
        assert_eq!(grouped(999.999, 2, ",", "."), "1,000.00");
        assert_eq!(grouped(12.0, 0, ",", "."), "12");
    }
}
