//! The quotes table's speed at the watchlist's cap, run by `cargo xtask bench
//! ui` (it measures and prints; `cargo xtask test` leaves it out through the
//! `browser-bench` feature): 500 rows — time to the first full render, and
//! time to apply one price update to every row, each until the DOM shows it
//! and layout is done, with the app's stylesheet. Goal: an update of all rows
//! in ≤ 16 ms.

#![allow(missing_docs)]

mod support;

use leptos::prelude::*;
use market::{Quote, Symbol};
use support::{all, container, text};
use tickerboard::{
    components::QuotesTable,
    state::{Loadable, QuoteRow, watchlist::MAX_SYMBOLS},
};
use wasm_bindgen_test::*;
use web_time::Instant;

wasm_bindgen_test_configure!(run_in_browser);

const ROUNDS: usize = 15;

fn quote(i: usize, price: f64) -> Quote {
    Quote {
        symbol: format!("S{i}"),
        price,
        change: if i.is_multiple_of(2) { 1.25 } else { -0.75 },
        change_percent: 0.5,
        volume: 1_000_000 + i as u64,
        timestamp: "2026-11-26T14:30:05Z".into(),
    }
}

/// Forces style and layout, so a timing includes them.
fn layout() -> f64 {
    let body = web_sys::window().unwrap().document().unwrap().body().unwrap();
    f64::from(body.offset_height())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The app's stylesheet, as the real page has it (layout costs depend on it).
fn add_app_stylesheet() {
    let document = web_sys::window().unwrap().document().unwrap();
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(include_str!("../style/main.css")));
    document.head().unwrap().append_child(&style).unwrap();
}

#[wasm_bindgen_test]
async fn five_hundred_rows_render_and_update() {
    add_app_stylesheet();
    let (mut first_render, mut update) = (Vec::new(), Vec::new());
    let (mut writes, mut dom, mut layouts) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let rows: Vec<QuoteRow> =
            (0..MAX_SYMBOLS).map(|i| QuoteRow::new(Symbol::parse(&format!("S{i}")).unwrap())).collect();
        for (i, row) in rows.iter().enumerate() {
            row.quote.set(Loadable::Ready(quote(i, 100.0 + i as f64)));
        }
        let root = container();
        let start = Instant::now();
        let table_rows = rows.clone();
        let mounted = leptos::mount::mount_to(root.clone(), move || view! { <QuotesTable rows=table_rows /> });
        layout();
        first_render.push(start.elapsed().as_secs_f64() * 1e3);
        let root: web_sys::Element = root.into();
        assert_eq!(all(&root, "[data-testid=quote-row]").len(), MAX_SYMBOLS);

        let new_price = 200.0 + round as f64;
        let start = Instant::now();
        for (i, row) in rows.iter().enumerate() {
            row.quote.set(Loadable::Ready(quote(i, new_price + i as f64 / 100.0)));
        }
        let written = start.elapsed().as_secs_f64() * 1e3;
        // Leptos writes the DOM on the next turn; wait until the last row shows it.
        let last = format!("[data-symbol=S{}] [data-testid=price]", MAX_SYMBOLS - 1);
        let expected = tickerboard::format::money(new_price + (MAX_SYMBOLS - 1) as f64 / 100.0);
        while text(&root, &last) != expected {
            leptos::task::tick().await;
        }
        let in_dom = start.elapsed().as_secs_f64() * 1e3;
        layout();
        let total = start.elapsed().as_secs_f64() * 1e3;
        update.push(total);
        writes.push(written);
        dom.push(in_dom - written);
        layouts.push(total - in_dom);
        assert_eq!(text(&root, "[data-symbol=S0] [data-testid=price]"), tickerboard::format::money(new_price));
        drop(mounted);
        root.remove();
    }
    console_log!(
        "quotes table, {MAX_SYMBOLS} rows, median of {ROUNDS} rounds in headless Chromium\n\
         first full render:          {:>8.1} ms\n\
         one price update, all rows: {:>8.1} ms (goal ≤ 16 ms)\n\
         \x20 of which: signals written {:.1} ms, DOM updated {:.1} ms, style and layout {:.1} ms",
        median(first_render),
        median(update),
        median(writes),
        median(dom),
        median(layouts)
    );
}
