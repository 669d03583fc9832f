//! Bad input in a real browser (issue 8): what a user types, what is found in
//! `localStorage` (huge, full, or no storage at all), and what the settings
//! form is given. Each gets its own message, nothing crashes, and nothing the
//! user had is lost.

mod support;

use leptos::prelude::*;
use market::Symbol;
use support::{add_symbol as add, container, one, text};
use tickerboard::{
    components::SymbolAdder,
    pages::SettingsPage,
    state::{
        app::AppState,
        settings::SETTINGS_KEY,
        store::{BACKUP_KEY, WATCHLIST_KEY},
        watchlist::MAX_SYMBOLS,
    },
};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn symbols(state: &AppState) -> Vec<String> {
    state.watchlist.get_untracked().symbols().iter().map(Symbol::to_string).collect()
}

/// A saved watchlist of `n` distinct symbols (`S0`, `S1`, …).
fn saved_list(n: usize) -> String {
    let names: Vec<String> = (0..n).map(|i| format!("\"S{i}\"")).collect();
    format!(r#"{{"version":2,"symbols":[{}]}}"#, names.join(","))
}

fn load() -> (Owner, AppState) {
    let owner = Owner::new();
    let state = owner.with(AppState::load);
    (owner, state)
}

/// Fills `localStorage` until it refuses, in halving pieces; returns the
/// filler keys (to remove afterwards).
fn fill_storage() -> Vec<String> {
    let mut keys = Vec::new();
    let mut piece = 1 << 20;
    while piece >= 16 {
        let key = format!("test.filler.{}", keys.len());
        if local().set_item(&key, &"x".repeat(piece)).is_ok() {
            keys.push(key);
        } else {
            piece /= 2;
        }
    }
    keys
}

#[wasm_bindgen_test]
async fn unicode_lower_case_and_one_past_the_cap_get_their_own_messages() {
    local().clear().unwrap();
    local().set_item(WATCHLIST_KEY, &saved_list(MAX_SYMBOLS - 1)).unwrap();
    let (owner, state) = load();
    let root = container();
    let app = state.clone();
    let _mounted = owner.with(|| leptos::mount::mount_to(root.clone(), move || view! { <SymbolAdder app /> }));
    let root: web_sys::Element = root.into();
    for unicode in ["ÄPFEL", "株式", "AAPL\u{200b}"] {
        let said = add(&root, unicode).await;
        assert!(said.contains("contains") || said.contains("letters"), "{unicode:?}: {said}");
    }
    assert_eq!(add(&root, "   ").await, "enter a ticker symbol, for example AAPL");
    assert_eq!(add(&root, " nvda ").await, "NVDA added", "the last place left");
    assert_eq!(state.watchlist.get_untracked().len(), MAX_SYMBOLS);
    let full = add(&root, "AMD").await;
    assert_eq!(full, format!("the watchlist is full: it holds at most {MAX_SYMBOLS} symbols; remove one first"));
    assert_eq!(symbols(&state).last().map(String::as_str), Some("NVDA"), "nothing was pushed out");
    let saved = local().get_item(WATCHLIST_KEY).unwrap().unwrap();
    assert!(saved.ends_with(r#""NVDA"]}"#) && !saved.contains("AMD"), "the saved list is the shown list");
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn a_huge_saved_watchlist_loads_capped_with_the_original_kept() {
    local().clear().unwrap();
    let huge = saved_list(100_000);
    assert!(huge.len() > 800_000, "{} bytes", huge.len());
    local().set_item(WATCHLIST_KEY, &huge).unwrap();
    let started = web_time::Instant::now();
    let (_owner, state) = load();
    let took = started.elapsed();
    assert_eq!(state.watchlist.get_untracked().len(), MAX_SYMBOLS);
    assert!(took.as_secs_f64() < 2.0, "loading took {took:?}");
    let notices = state.notices.get_untracked().join(" | ");
    assert!(notices.contains(&format!("{} saved symbols past the limit", 100_000 - MAX_SYMBOLS)), "{notices}");
    assert_eq!(local().get_item(BACKUP_KEY).unwrap().as_deref(), Some(huge.as_str()), "the whole list is kept");
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn full_storage_is_said_and_nothing_saved_is_lost() {
    local().clear().unwrap();
    local().set_item(WATCHLIST_KEY, r#"{"version":2,"symbols":["AAPL","MSFT"]}"#).unwrap();
    let filler = fill_storage();
    assert!(!filler.is_empty(), "the storage took some filler before it was full");
    let (_owner, state) = load();
    assert_eq!(symbols(&state), ["AAPL", "MSFT"]);
    // A change is kept on the page, and the user is told it was not saved.
    state.add("NVDA").unwrap();
    assert_eq!(symbols(&state), ["AAPL", "MSFT", "NVDA"]);
    let notices = state.notices.get_untracked().join(" | ");
    assert!(notices.contains("the watchlist could not be saved") && notices.contains("full"), "{notices}");
    assert_eq!(
        local().get_item(WATCHLIST_KEY).unwrap().as_deref(),
        Some(r#"{"version":2,"symbols":["AAPL","MSFT"]}"#),
        "the saved list is the last one that fitted, whole"
    );

    // A store that needs a copy kept, with no room for one: left as it was.
    let odd = r#"{"version":2,"symbols":["AAPL",42]}"#;
    for key in &filler {
        local().remove_item(key).unwrap();
    }
    local().set_item(WATCHLIST_KEY, odd).unwrap();
    let filler = fill_storage();
    let (_owner, state) = load();
    assert_eq!(symbols(&state), ["AAPL"]);
    let notices = state.notices.get_untracked().join(" | ");
    assert!(notices.contains("could not be kept") && notices.contains("left as it was"), "{notices}");
    assert_eq!(local().get_item(WATCHLIST_KEY).unwrap().as_deref(), Some(odd), "not overwritten without a copy");
    for key in &filler {
        local().remove_item(key).unwrap();
    }
    local().clear().unwrap();
}

#[wasm_bindgen_test]
fn no_storage_at_all_the_app_works_and_says_changes_last_until_the_page_closes() {
    local().clear().unwrap();
    let window: js_sys::Object = web_sys::window().unwrap().unchecked_into();
    let name = JsValue::from_str("localStorage");
    let original = js_sys::Object::get_own_property_descriptor(&window, &name);
    assert!(!original.is_undefined(), "localStorage is an own property of window here");
    // As in a browser with storage blocked: reading `localStorage` throws.
    let refuse = Closure::<dyn Fn() -> Result<JsValue, JsValue>>::new(|| {
        let error = js_sys::Error::new("storage is blocked");
        error.set_name("SecurityError");
        Err(error.into())
    });
    let blocked = js_sys::Object::new();
    js_sys::Reflect::set(&blocked, &"get".into(), refuse.as_ref()).unwrap();
    js_sys::Reflect::set(&blocked, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&window, &name, &blocked);
    assert!(web_sys::window().unwrap().local_storage().is_err(), "the positive control: storage now refuses");

    let (_owner, state) = load();
    let default_list = symbols(&state);
    assert!(!default_list.is_empty(), "the default watchlist is shown");
    let notices = state.notices.get_untracked().join(" | ");
    assert!(notices.contains("does not let the page save anything"), "{notices}");
    state.add("NVDA").unwrap();
    assert!(symbols(&state).contains(&"NVDA".to_owned()), "changes work on the page");

    js_sys::Object::define_property(&window, &name, original.unchecked_ref());
    assert!(web_sys::window().unwrap().local_storage().is_ok(), "storage is back for the other tests");
    local().clear().unwrap();
}

/// Puts `value` into the settings field `id`.
fn type_setting(root: &web_sys::Element, id: &str, value: &str) {
    let input: HtmlInputElement = one(root, &format!("[data-testid={id}]")).unchecked_into();
    input.set_value(value);
    input.dispatch_event(&Event::new("input").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn bad_settings_are_refused_field_by_field_and_nothing_changes() {
    local().clear().unwrap();
    let (owner, state) = load();
    let before = state.settings.get_untracked();
    let root = container();
    let app = state.clone();
    let _mounted = owner.with(|| {
        provide_context(app);
        leptos::mount::mount_to(root.clone(), SettingsPage)
    });
    let root: web_sys::Element = root.into();
    let cases = [
        ("api-base-url", "ftp://example.com", "starting with http:// or https://"),
        ("api-base-url", "javascript:alert(1)", "starting with http:// or https://"),
        ("concurrency", "0", "from 1 to"),
        ("concurrency", "-3", "from 1 to"),
        ("concurrency", "100000000000000000000", "from 1 to"),
        ("timeout", "0", "from 0.5 to 120"),
        ("retries", "-1", "from 0 to"),
        ("api-key", "two words", "without spaces"),
    ];
    for (id, value, message) in cases {
        let input: HtmlInputElement = one(&root, &format!("[data-testid={id}]")).unchecked_into();
        let kept = input.value();
        type_setting(&root, id, value);
        one(&root, "[data-testid=save-settings]").unchecked_into::<HtmlElement>().click();
        gloo_timers::future::TimeoutFuture::new(0).await;
        let said = text(&root, &format!("[data-testid={id}-error]"));
        assert!(said.contains(message), "{id} = {value:?}: {said:?}");
        assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert!(text(&root, "[data-testid=settings-message]").contains("nothing was changed"));
        assert_eq!(state.settings.get_untracked(), before, "{id} = {value:?} changed the settings in force");
        type_setting(&root, id, &kept);
    }
    assert_eq!(local().get_item(SETTINGS_KEY).unwrap(), None, "nothing was saved");
    // The positive control: a good value is taken.
    type_setting(&root, "concurrency", "4");
    one(&root, "[data-testid=save-settings]").unchecked_into::<HtmlElement>().click();
    gloo_timers::future::TimeoutFuture::new(0).await;
    assert_eq!(state.settings.get_untracked().concurrency, 4);
    assert!(text(&root, "[data-testid=settings-message]").starts_with("Saved"));
    local().clear().unwrap();
    web_sys::window().unwrap().session_storage().unwrap().unwrap().clear().unwrap();
}
