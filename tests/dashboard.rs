//! The dashboard mounted in a real DOM against the running market API: rows
//! fill with prices, a failing symbol shows its own error, and a refresh
//! rewrites text in place.

mod support;

use std::time::Duration;

use leptos::prelude::*;
use market::Symbol;
use support::{all, api, container, is_price, one, text, wait_until};
use tickerboard::{components::Dashboard, state::watchlist::default_watchlist};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const PATIENCE: Duration = Duration::from_secs(8);

fn mount_dashboard(symbols: Vec<Symbol>) -> (Element, impl Drop) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(api());
        view! { <Dashboard symbols /> }
    });
    (root.into(), handle)
}

fn row(root: &Element, symbol: &str) -> Element {
    one(root, &format!("[data-testid=quote-row][data-symbol='{symbol}']"))
}

#[wasm_bindgen_test]
async fn five_rows_fill_with_prices_and_the_timing_line_shows_the_overlap() {
    let (root, _mounted) = mount_dashboard(default_watchlist());
    let rows = all(&root, "[data-testid=quote-row]");
    let symbols: Vec<_> = rows.iter().map(|r| r.get_attribute("data-symbol").unwrap()).collect();
    assert_eq!(symbols, ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA"]);

    wait_until(PATIENCE, "five prices", || {
        all(&root, "[data-testid=price]").iter().all(|p| is_price(&p.text_content().unwrap()))
    })
    .await;
    wait_until(PATIENCE, "the timing line", || root.query_selector("[data-testid=timing]").unwrap().is_some()).await;
    let wall: f64 = text(&root, "[data-testid=wall-seconds]").parse().unwrap();
    let sum: f64 = text(&root, "[data-testid=sum-seconds]").parse().unwrap();
    assert_eq!(text(&root, "[data-testid=request-count]"), "6", "five quotes and the portfolio");
    assert!(wall >= 1.0 && sum >= 5.4 && wall < sum / 2.0, "wall {wall} s, sum {sum} s");
    assert_eq!(text(&root, "[data-testid=cash]"), "10,000.00");
    assert!(is_price(&text(&root, "[data-testid=total-value]")));
}

#[wasm_bindgen_test]
async fn a_failing_symbol_shows_its_own_error_while_the_others_show_prices() {
    let symbols = ["AAPL", "NFLX", "MSFT"].map(|s| Symbol::parse(s).unwrap()).to_vec();
    let (root, _mounted) = mount_dashboard(symbols);
    wait_until(PATIENCE, "the refresh to finish", || root.query_selector("[data-testid=timing]").unwrap().is_some())
        .await;

    let nflx = row(&root, "NFLX");
    assert_eq!(nflx.class_name(), "quote-row failed");
    assert_eq!(text(&nflx, "[data-testid=status]"), "NFLX: server unavailable (503); try again shortly");
    assert!(nflx.query_selector("[role=alert]").unwrap().is_some(), "the error is announced");
    for ok in ["AAPL", "MSFT"] {
        let price = text(&row(&root, ok), "[data-testid=price]");
        assert!(is_price(&price), "{ok} shows {price:?}");
    }
    assert!(text(&root, "[data-testid=timing]").contains("1 request failed"));
}

#[wasm_bindgen_test]
async fn a_refresh_rewrites_the_text_of_the_same_nodes() {
    let (root, _mounted) = mount_dashboard(default_watchlist());
    wait_until(PATIENCE, "the first refresh", || root.query_selector("[data-testid=timing]").unwrap().is_some()).await;
    let aapl = row(&root, "AAPL");
    let (price_cell, as_of_cell) = (one(&aapl, "[data-testid=price]"), one(&aapl, "[data-testid=as-of]"));
    let first_as_of = as_of_cell.text_content().unwrap();
    assert!(is_price(&price_cell.text_content().unwrap()));

    one(&root, "[data-testid=refresh]").unchecked_into::<HtmlElement>().click();
    wait_until(PATIENCE, "a newer quote", || as_of_cell.text_content().unwrap() != first_as_of).await;

    let aapl_after = row(&root, "AAPL");
    assert!(aapl_after.is_same_node(Some(&aapl)), "the row was rebuilt");
    assert!(one(&aapl_after, "[data-testid=price]").is_same_node(Some(&price_cell)), "the price cell was rebuilt");
    assert!(is_price(&price_cell.text_content().unwrap()));
    assert_ne!(as_of_cell.text_content().unwrap(), first_as_of);
}
