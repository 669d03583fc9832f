//! The watchlist as saved in `localStorage`: a versioned JSON document, and
//! its recovery. Whatever can be read is kept and whatever cannot is reported,
//! never dropped in silence; the app keeps a copy of anything it could not
//! read whole (see [`Recovered::backup`]).

use market::Symbol;
use serde::Serialize;
use serde_json::Value;

use crate::state::watchlist::{AddError, MAX_SYMBOLS, Watchlist};

/// The `localStorage` key of the watchlist.
pub const WATCHLIST_KEY: &str = "tickerboard.watchlist";
/// Where a store that could not be read whole is copied before it is replaced.
pub const BACKUP_KEY: &str = "tickerboard.watchlist.backup";
/// The schema written today. Version 1 was a bare JSON array of symbols.
pub const SCHEMA_VERSION: u64 = 2;

/// What is written.
#[derive(Serialize)]
struct Stored<'a> {
    version: u64,
    symbols: &'a [Symbol],
}

/// The saved form of `watchlist`.
pub fn encode(watchlist: &Watchlist) -> String {
    serde_json::to_string(&Stored { version: SCHEMA_VERSION, symbols: watchlist.symbols() })
        .unwrap_or_else(|_| "{}".to_owned())
}

/// A watchlist read back, with what could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Every symbol that could be read, in the saved order.
    pub watchlist: Watchlist,
    /// One sentence per problem, for the user; empty when the store was clean.
    pub problems: Vec<String>,
    /// Whether the saved text should be kept under [`BACKUP_KEY`] before it is
    /// overwritten (something in it was not taken over).
    pub backup: bool,
}

/// Reads the saved text (`None`: nothing saved yet, so the default list).
pub fn decode(saved: Option<&str>) -> Recovered {
    let Some(text) = saved else {
        return Recovered { watchlist: Watchlist::default(), problems: Vec::new(), backup: false };
    };
    let mut problems = Vec::new();
    // Whether anything saved is not taken over (then the text is backed up).
    let mut lost = false;
    let entries: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(entries)) => {
            problems.push("your watchlist was saved by an older version of Tickerboard and has been upgraded".into());
            entries
        }
        Ok(Value::Object(mut fields)) => {
            match fields.remove("version").and_then(|v| v.as_u64()) {
                Some(SCHEMA_VERSION) => {}
                Some(newer) if newer > SCHEMA_VERSION => {
                    lost = true;
                    problems.push(format!(
                        "your watchlist was saved by a newer version of Tickerboard (schema {newer}); \
                         what this version can read is shown"
                    ));
                }
                other => problems.push(format!(
                    "the saved watchlist has {}; its symbols were read as well as possible",
                    other.map_or_else(|| "no schema version".to_owned(), |v| format!("an unknown schema version {v}"))
                )),
            }
            let symbols = fields.remove("symbols");
            let unknown: Vec<_> = fields.keys().cloned().collect();
            if !unknown.is_empty() {
                lost = true;
                problems.push(format!("ignored unknown fields in the saved watchlist: {}", unknown.join(", ")));
            }
            match symbols {
                Some(Value::Array(entries)) => entries,
                _ => {
                    lost = true;
                    problems.push("the saved watchlist has no list of symbols".into());
                    Vec::new()
                }
            }
        }
        Ok(_) | Err(_) => {
            lost = true;
            let salvaged = quoted_strings(text);
            problems.push(format!(
                "the saved watchlist was damaged and could not be read whole; {} symbol{} recovered from it, \
                 and a copy of it was kept",
                salvaged.len(),
                if salvaged.len() == 1 { " was" } else { "s were" }
            ));
            salvaged.into_iter().map(Value::String).collect()
        }
    };
    let mut watchlist = Watchlist::empty();
    let (mut rejected, mut over_cap) = (Vec::new(), 0usize);
    for entry in entries {
        match entry {
            Value::String(text) => match watchlist.add(&text) {
                Ok(_) | Err(AddError::Duplicate(_)) => {}
                Err(AddError::Full) => over_cap += 1,
                Err(AddError::Invalid(why)) => rejected.push(why.to_string()),
            },
            other => rejected.push(format!("{} is not a symbol", shorten(&other.to_string()))),
        }
    }
    if !rejected.is_empty() {
        problems.push(format!(
            "{} saved entr{} could not be used: {}",
            rejected.len(),
            plural_y(rejected.len()),
            rejected.join("; ")
        ));
    }
    if over_cap > 0 {
        problems.push(format!(
            "{over_cap} saved symbol{} past the limit of {MAX_SYMBOLS} {} not shown; a copy of the full list was kept",
            if over_cap == 1 { "" } else { "s" },
            if over_cap == 1 { "is" } else { "are" }
        ));
    }
    let backup = lost || !rejected.is_empty() || over_cap > 0;
    Recovered { watchlist, problems, backup }
}

/// Every whole `"…"` string in damaged JSON that reads as a symbol, in order
/// (one cut off by the damage is left out: it may be a symbol cut short).
fn quoted_strings(text: &str) -> Vec<String> {
    let mut segments: Vec<&str> = text.split('"').collect();
    if segments.len().is_multiple_of(2) {
        segments.pop();
    }
    segments
        .into_iter()
        .skip(1)
        .step_by(2)
        .filter(|s| !matches!(*s, "version" | "symbols") && Symbol::parse(s).is_ok())
        .map(str::to_owned)
        .collect()
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_owned()
    }
}

fn plural_y(n: usize) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(recovered: &Recovered) -> Vec<&str> {
        recovered.watchlist.symbols().iter().map(Symbol::as_str).collect()
    }

    #[test]
    fn a_saved_list_round_trips_cleanly() {
        let mut list = Watchlist::empty();
        for s in ["NVDA", "brk.b", "AAPL"] {
            list.add(s).unwrap();
        }
        let text = encode(&list);
        assert_eq!(text, r#"{"version":2,"symbols":["NVDA","BRK.B","AAPL"]}"#);
        let back = decode(Some(&text));
        assert_eq!(back.watchlist, list);
        assert!(back.problems.is_empty() && !back.backup);
    }

    #[test]
    fn nothing_saved_gives_the_default_list() {
        let fresh = decode(None);
        assert_eq!(names(&fresh), ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA"]);
        assert!(fresh.problems.is_empty());
    }

    #[test]
    fn invalid_json_keeps_what_it_can_and_says_so() {
        let damaged = decode(Some(r#"{"version":2,"symbols":["NVDA","AMD","TS"#));
        assert_eq!(names(&damaged), ["NVDA", "AMD"]);
        assert!(damaged.problems[0].contains("2 symbols were recovered"), "{:?}", damaged.problems);
        assert!(damaged.backup);
        let garbage = decode(Some("not json at all"));
        assert!(garbage.watchlist.is_empty());
        assert_eq!(garbage.problems.len(), 1);
    }

    #[test]
    fn the_old_schema_is_upgraded() {
        let old = decode(Some(r#"["msft", "NFLX"]"#));
        assert_eq!(names(&old), ["MSFT", "NFLX"]);
        assert!(old.problems[0].contains("older version"));
        assert!(!old.backup, "every entry was taken over");
    }

    #[test]
    fn unknown_fields_bad_entries_and_duplicates_are_reported_not_fatal() {
        let odd = decode(Some(r#"{"version":2,"symbols":["AAPL",42,"aapl","bad symbol",null],"theme":"dark"}"#));
        assert_eq!(names(&odd), ["AAPL"]);
        let all = odd.problems.join(" | ");
        assert!(all.contains("unknown fields in the saved watchlist: theme"), "{all}");
        assert!(all.contains("3 saved entries could not be used"), "{all}");
        assert!(all.contains("42 is not a symbol") && all.contains("null is not a symbol"), "{all}");
        assert!(odd.backup);
    }

    #[test]
    fn a_newer_or_missing_version_is_read_as_well_as_possible() {
        let newer = decode(Some(r#"{"version":9,"symbols":["AAPL"]}"#));
        assert_eq!(names(&newer), ["AAPL"]);
        assert!(newer.problems[0].contains("newer version"));
        let unversioned = decode(Some(r#"{"symbols":["AAPL"]}"#));
        assert!(unversioned.problems[0].contains("no schema version"));
        let wrong_shape = decode(Some(r#"{"version":2,"symbols":"AAPL"}"#));
        assert!(wrong_shape.problems.iter().any(|p| p.contains("no list of symbols")));
    }

    #[test]
    fn past_the_cap_is_reported_and_backed_up() {
        let many: Vec<String> = (0..MAX_SYMBOLS + 3).map(|i| format!("\"S{i}\"")).collect();
        let text = format!(r#"{{"version":2,"symbols":[{}]}}"#, many.join(","));
        let capped = decode(Some(&text));
        assert_eq!(capped.watchlist.len(), MAX_SYMBOLS);
        assert!(capped.problems[0].contains("3 saved symbols past the limit of 500 are not shown"));
        assert!(capped.backup);
    }
}
