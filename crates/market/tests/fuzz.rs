//! Bounded fuzzing of what the app reads from people and from the network:
//! symbol input and the API's JSON bodies. Whatever arrives — any text, a
//! valid answer cut short, bytes flipped, numbers out of range — is either
//! accepted and well-formed, or refused with an error. Never a panic.

use market::{BatchQuotes, History, Portfolio, Quote, Symbol, symbol::MAX_SYMBOL_LEN};
use proptest::prelude::*;

const QUOTE: &str = r#"{"symbol":"AAPL","price":212.4,"change":-1.25,"change_percent":-0.58,"volume":51234000,"timestamp":"2026-11-26T15:30:00Z"}"#;

/// Decodes `text` as every body the app reads; only `Err` may come back for junk.
fn decode_all(text: &str) {
    let _ = serde_json::from_str::<Quote>(text);
    let _ = serde_json::from_str::<BatchQuotes>(text);
    let _ = serde_json::from_str::<History>(text);
    let _ = serde_json::from_str::<Portfolio>(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_a_symbol_or_a_reason(input in any::<String>()) {
        match Symbol::parse(&input) {
            Ok(symbol) => {
                let text = symbol.as_str();
                prop_assert!(!text.is_empty() && text.chars().count() <= MAX_SYMBOL_LEN);
                prop_assert!(text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-'));
                let again = Symbol::parse(text);
                prop_assert_eq!(again.as_ref(), Ok(&symbol), "normalising twice changes nothing");
            }
            Err(error) => prop_assert!(error.to_string().chars().count() < 200, "the message stays short: {}", error),
        }
    }

    #[test]
    fn symbol_like_text_is_accepted_in_any_case_and_padding(symbol in "[A-Za-z0-9.-]{1,10}", pad in " {0,3}") {
        let parsed = Symbol::parse(&format!("{pad}{symbol}{pad}"));
        prop_assert_eq!(parsed.map(|s| s.as_str().to_owned()), Ok(symbol.to_uppercase()));
    }

    #[test]
    fn any_text_decodes_or_is_refused(text in any::<String>()) {
        decode_all(&text);
    }

    #[test]
    fn a_valid_answer_cut_short_or_bit_flipped_decodes_or_is_refused(cut in 0..QUOTE.len(), at in 0..QUOTE.len(), byte in any::<u8>()) {
        decode_all(&QUOTE[..cut]);
        let mut bytes = QUOTE.as_bytes().to_vec();
        bytes[at] = byte;
        if let Ok(text) = std::str::from_utf8(&bytes) {
            decode_all(text);
        }
    }

    #[test]
    fn numbers_out_of_range_are_refused_or_finite(number in prop_oneof![
        Just("1e999".to_owned()), Just("-1e999".to_owned()), Just("NaN".to_owned()), Just("Infinity".to_owned()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
    ]) {
        let text = QUOTE.replace("212.4", &number);
        if let Ok(quote) = serde_json::from_str::<Quote>(&text) {
            prop_assert!(quote.price.is_finite(), "a quote decoded with price {}", quote.price);
        }
    }
}

#[test]
fn the_sample_answer_decodes() {
    let quote: Quote = serde_json::from_str(QUOTE).expect("the sample is a valid quote");
    assert_eq!(quote.symbol, "AAPL");
}
