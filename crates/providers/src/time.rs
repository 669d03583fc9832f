//! Instants as the market API writes them (RFC 3339, UTC, whole seconds,
//! `Z`), from what providers send: Unix seconds, or RFC 3339 with fractions.
//! Written by hand: one calendar conversion (Howard Hinnant's
//! `civil_from_days`) is all it takes, and the crate stays light for wasm32.

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let second_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// An RFC 3339 instant in UTC (`2021-05-11T20:00:00.435997104Z`) cut to
/// whole seconds; `None` if it is not one.
pub fn whole_seconds_utc(text: &str) -> Option<String> {
    let ok = text.len() >= 20
        && text.ends_with('Z')
        && text.as_bytes()[10] == b'T'
        && text[..19].bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    ok.then(|| format!("{}Z", &text[..19]))
}

/// (year, month, day) of the day `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_are_written_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_631_772_000), "2021-09-16T06:00:00Z");
        assert_eq!(rfc3339(1_792_567_680), "2026-10-21T07:28:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z", "a leap day");
    }

    #[test]
    fn fractions_are_cut_and_other_text_refused() {
        assert_eq!(whole_seconds_utc("2021-05-11T20:00:00.435997104Z").as_deref(), Some("2021-05-11T20:00:00Z"));
        assert_eq!(whole_seconds_utc("2021-05-11T20:00:00Z").as_deref(), Some("2021-05-11T20:00:00Z"));
        assert_eq!(whole_seconds_utc("2021-05-11T20:00:00+02:00"), None);
        assert_eq!(whole_seconds_utc("yesterday"), None);
    }
}
