//! Helpers shared by the browser tests: the API under test, a DOM container,
//! and waiting for the page to reach a state.

#![allow(dead_code, missing_docs)]

use std::time::Duration;

use tickerboard::api::{ApiClient, DEMO_KEY};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The market API these tests call: its URL is baked in at compile time by
/// `cargo xtask test`, which starts it with the seed profile and `--fail NFLX`.
pub fn api() -> ApiClient {
    match option_env!("TICKERBOARD_TEST_API") {
        Some(url) => ApiClient::new(url, DEMO_KEY),
        None => {
            panic!("TICKERBOARD_TEST_API is not set: run the browser tests with `cargo xtask test`")
        }
    }
}

/// A fresh `<div>` attached to the page's body.
pub fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

/// Every element under `root` matching `selector`.
pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
}

/// The one element under `root` matching `selector`.
pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// The text of the first element under `root` matching `selector`.
pub fn text(root: &Element, selector: &str) -> String {
    one(root, selector).text_content().unwrap_or_default()
}

/// Waits until `done` holds, checking every 20 ms; fails after `limit`.
pub async fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = web_time::Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
}

/// Whether `text` reads as a price, e.g. `1,234.56`.
pub fn is_price(text: &str) -> bool {
    text.replace(',', "").parse::<f64>().is_ok_and(|p| p > 0.0)
}

/// Types `typed` into the symbol adder under `root` and submits it; returns
/// the message shown once the view has caught up (Leptos renders on the next turn).
pub async fn add_symbol(root: &Element, typed: &str) -> String {
    let input: web_sys::HtmlInputElement = one(root, "[data-testid=add-symbol]").unchecked_into();
    input.set_value(typed);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    one(root, "[data-testid=add]").unchecked_into::<HtmlElement>().click();
    gloo_timers::future::TimeoutFuture::new(0).await;
    text(root, "[data-testid=add-message]")
}
