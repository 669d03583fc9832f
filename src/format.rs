//! How numbers are written for people: money, signed changes, volumes, seconds.

use std::time::Duration;

/// Dollars with cents and thousands separators: `12,345.60`.
pub fn money(dollars: f64) -> String {
    let cents = (dollars.abs() * 100.0).round() as u64;
    let sign = if dollars < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// A change with its sign: `+1.25`, `-0.40`, `0.00`.
pub fn signed(value: f64) -> String {
    if value > 0.0 && (value * 100.0).round() > 0.0 { format!("+{value:.2}") } else { format!("{value:.2}") }
}

/// Dollars with cents, separators and a sign: `+1,234.50`, `-12.00`.
pub fn signed_money(dollars: f64) -> String {
    if (dollars * 100.0).round() > 0.0 { format!("+{}", money(dollars)) } else { money(dollars) }
}

/// A percentage change with its sign: `+1.25%`.
pub fn signed_percent(value: f64) -> String {
    format!("{}%", signed(value))
}

/// A share volume, short: `950`, `12.3K`, `45.1M`, `1.2B`.
pub fn volume(shares: u64) -> String {
    let s = shares as f64;
    match shares {
        0..1_000 => shares.to_string(),
        1_000..1_000_000 => format!("{:.1}K", s / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1}M", s / 1e6),
        _ => format!("{:.1}B", s / 1e9),
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

fn thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    while n >= 1000 {
        groups.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    groups.push(n.to_string());
    groups.reverse();
    groups.join(",")
}
