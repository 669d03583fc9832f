//! Bounded fuzzing of every reader: any status and any text, or a documented
//! answer cut short or with a byte changed, is read or refused — never a panic.

use std::time::Duration;

use proptest::prelude::*;
use providers::{alpaca, twelvedata};

const CLOCK: twelvedata::Clock = twelvedata::Clock { now_ms: 1_795_789_805_000, minute: Duration::from_secs(60) };

fn read_all(status: u16, body: &str) {
    let symbols: Vec<String> = ["AAPL", "MSFT"].map(String::from).to_vec();
    for asked in [&symbols[..1], &symbols[..]] {
        let _ = twelvedata::read_quotes(status, body, asked, CLOCK);
        let _ = twelvedata::read_history(status, body, asked, CLOCK);
        let answer = alpaca::Answer { status, body, ratelimit_reset: Some(u64::MAX), now_ms: u64::MAX };
        let _ = alpaca::read_snapshots(answer, asked);
        let _ = alpaca::read_bars(answer, asked);
    }
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_status_and_text_is_read_or_refused(status in 0u16..700, body in any::<String>()) {
        read_all(status, &body);
    }

    #[test]
    fn a_documented_answer_cut_or_changed_is_read_or_refused(
        which in 0usize..4, cut in 0usize..2000, at in 0usize..2000, byte in any::<u8>(),
    ) {
        let text = fixture(["twelvedata/quote_batch_unknown.json", "twelvedata/time_series.json",
            "alpaca/snapshots.json", "alpaca/bars_page1.json"][which]);
        let mut bytes = text.into_bytes();
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(cut % (bytes.len() + 1));
        read_all(200, &String::from_utf8_lossy(&bytes));
    }
}
