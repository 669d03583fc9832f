//! The dashboard's parts in a real DOM: the watchlist store recovered from a
//! damaged `localStorage`, the symbol input's normalisation and refusals, and
//! every state a quote row can be in.

mod support;

use leptos::prelude::*;
use market::{Quote, Symbol};
use support::{add_symbol as add, all, container, one, text};
use tickerboard::{
    api::FetchError,
    components::{QuotesTable, RowActions, SymbolAdder},
    state::{
        Loadable, QuoteRow,
        app::AppState,
        store::{BACKUP_KEY, WATCHLIST_KEY},
    },
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Loads the app's state from a `localStorage` holding `saved`.
fn load_with(saved: &str) -> (Owner, AppState) {
    local().clear().unwrap();
    local().set_item(WATCHLIST_KEY, saved).unwrap();
    let owner = Owner::new();
    let state = owner.with(AppState::load);
    (owner, state)
}

fn symbols(state: &AppState) -> Vec<String> {
    state.watchlist.get_untracked().symbols().iter().map(Symbol::to_string).collect()
}

#[wasm_bindgen_test]
fn a_damaged_store_keeps_what_it_can_reports_the_rest_and_backs_it_up() {
    let damaged = r#"{"version":2,"symbols":["NVDA","AMD","TS"#;
    let (_owner, state) = load_with(damaged);
    assert_eq!(symbols(&state), ["NVDA", "AMD"]);
    let notices = state.notices.get_untracked().join(" | ");
    assert!(notices.contains("damaged") && notices.contains("2 symbols were recovered"), "{notices}");
    assert_eq!(local().get_item(BACKUP_KEY).unwrap().as_deref(), Some(damaged), "the damaged text is kept");
    let rewritten = local().get_item(WATCHLIST_KEY).unwrap().unwrap();
    assert_eq!(rewritten, r#"{"version":2,"symbols":["NVDA","AMD"]}"#);
    // Loading again is clean: nothing more to report.
    let owner = Owner::new();
    let again = owner.with(AppState::load);
    assert!(again.notices.get_untracked().is_empty(), "{:?}", again.notices.get_untracked());
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn an_old_schema_is_upgraded_and_unknown_fields_are_reported() {
    let (_owner, old) = load_with(r#"["msft", "brk.b"]"#);
    assert_eq!(symbols(&old), ["MSFT", "BRK.B"]);
    assert!(old.notices.get_untracked()[0].contains("older version"));
    assert_eq!(local().get_item(BACKUP_KEY).unwrap(), None, "nothing was lost, so no backup");

    let (_owner, odd) = load_with(r#"{"version":2,"symbols":["AAPL",7],"colour":"red"}"#);
    assert_eq!(symbols(&odd), ["AAPL"]);
    let notices = odd.notices.get_untracked().join(" | ");
    assert!(notices.contains("unknown fields in the saved watchlist: colour"), "{notices}");
    assert!(notices.contains("7 is not a symbol"), "{notices}");
    local().clear().unwrap();
}

#[wasm_bindgen_test]
async fn the_symbol_input_normalises_and_says_why_it_refuses() {
    let (owner, state) = load_with(r#"{"version":2,"symbols":["AAPL"]}"#);
    let root = container();
    let app = state.clone();
    let _mounted = owner.with(|| leptos::mount::mount_to(root.clone(), move || view! { <SymbolAdder app /> }));
    let root: web_sys::Element = root.into();
    assert_eq!(add(&root, "  brk.b ").await, "BRK.B added");
    assert_eq!(add(&root, "BRK.B").await, "BRK.B is already on the watchlist");
    assert_eq!(add(&root, "").await, "enter a ticker symbol, for example AAPL");
    let refused = add(&root, "<img src=x onerror=alert(1)>").await;
    assert!(refused.contains("contains '<'"), "{refused}");
    // A whole tag in the message stays text: were it parsed as HTML, a <b> would appear.
    let tagged = add(&root, "<b>x</b>").await;
    assert!(tagged.contains("<B>X</B>"), "{tagged}");
    assert!(all(&root, "b").is_empty() && all(&root, "img").is_empty(), "the text was never rendered as HTML");
    assert!(add(&root, &"X".repeat(1000)).await.contains("too long"));
    assert_eq!(symbols(&state), ["AAPL", "BRK.B"]);
    assert_eq!(local().get_item(WATCHLIST_KEY).unwrap().unwrap(), r#"{"version":2,"symbols":["AAPL","BRK.B"]}"#);
    local().clear().unwrap();
}

fn quote(symbol: &str, price: f64, change: f64) -> Quote {
    Quote {
        symbol: symbol.into(),
        price,
        change,
        change_percent: change / price * 100.0,
        volume: 1_234_567,
        timestamp: "2026-11-26T14:30:05Z".into(),
    }
}

#[wasm_bindgen_test]
fn every_row_state_renders_as_itself() {
    let root = container();
    let rows = RwSignal::new(Vec::<QuoteRow>::new());
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        let row = |symbol: &str, state: Loadable<Quote>, received: Option<f64>| {
            let row = QuoteRow::new(Symbol::parse(symbol).unwrap());
            row.quote.set(state);
            row.received_ms.set(received);
            row
        };
        rows.set(vec![
            row("LOAD", Loadable::Loading, None),
            row("UP", Loadable::Ready(quote("UP", 1234.5, 2.0)), Some(10_000.0)),
            row("DOWN", Loadable::Ready(quote("DOWN", 50.0, -1.0)), Some(10_000.0)),
            row("FAIL", Loadable::Failed(FetchError::UnknownSymbol("FAIL".into())), None),
            row("OLD", Loadable::Ready(quote("OLD", 10.0, 0.0)), Some(1_000.0)),
        ]);
        let actions = RowActions { retry: Some(Callback::new(|_| {})), ..RowActions::default() };
        view! { <QuotesTable rows actions now_ms=Signal::stored(12_000.0) stale_after_ms=Signal::stored(5_000.0) /> }
    });
    let root: web_sys::Element = root.into();
    let row = |symbol: &str| one(&root, &format!("[data-symbol='{symbol}']"));
    let class = |symbol: &str| row(symbol).get_attribute("class").unwrap_or_default();
    let cell = |symbol: &str, testid: &str| text(&row(symbol), &format!("[data-testid={testid}]"));

    assert!(class("LOAD").contains("loading"));
    assert_eq!(cell("LOAD", "status"), "loading…");

    assert!(class("UP").contains("up") && !class("UP").contains("stale"), "{}", class("UP"));
    assert_eq!(cell("UP", "price"), "1,234.50");
    assert!(class("DOWN").contains("down"));

    assert!(class("FAIL").contains("failed"));
    assert!(cell("FAIL", "status").starts_with("FAIL is not a listed symbol"));
    assert_eq!(all(&row("FAIL"), "[role=alert]").len(), 1, "the error is announced");
    assert_eq!(all(&row("FAIL"), "[data-testid=retry]").len(), 1, "a failed row offers Retry");
    assert!(all(&row("UP"), "[data-testid=retry]").is_empty(), "a good row does not");

    assert!(class("OLD").contains("stale"), "11 s old with a 5 s limit: {}", class("OLD"));
    assert!(cell("OLD", "status").starts_with("stale"));
}
