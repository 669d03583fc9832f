//! The quotes table: one row per symbol, each with its own loading, value or
//! error, updated in place.

use leptos::prelude::*;
use market::Quote;

use crate::{
    format,
    state::{Loadable, QuoteRow},
};

/// One row per symbol. Each cell's text is bound to its row's signal, so a
/// refresh rewrites text in place and never rebuilds the table.
#[component]
pub fn QuotesTable(
    /// The rows, in display order.
    rows: Vec<QuoteRow>,
) -> impl IntoView {
    view! {
        <table class="quotes" data-testid="quotes">
            <thead>
                <tr>
                    <th scope="col">"Symbol"</th>
                    <th scope="col" class="num">"Price"</th>
                    <th scope="col" class="num">"Change"</th>
                    <th scope="col" class="num">"Change %"</th>
                    <th scope="col" class="num">"Volume"</th>
                    <th scope="col">"As of (UTC)"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(|row| view! { <QuoteRowView row /> }).collect_view()}</tbody>
        </table>
    }
}

/// One symbol's row.
#[component]
fn QuoteRowView(row: QuoteRow) -> impl IntoView {
    let quote = row.quote;
    // A cell's text: from the quote when there is one, a dash otherwise.
    let cell = move |text: fn(&Quote) -> String| {
        move || {
            quote.with(|q| match q {
                Loadable::Ready(q) => text(q),
                Loadable::Loading => "…".to_owned(),
                Loadable::Failed(_) => "—".to_owned(),
            })
        }
    };
    let row_class = move || {
        quote.with(|q| match q {
            Loadable::Loading => "quote-row loading",
            Loadable::Failed(_) => "quote-row failed",
            Loadable::Ready(q) if q.change > 0.0 => "quote-row up",
            Loadable::Ready(q) if q.change < 0.0 => "quote-row down",
            Loadable::Ready(_) => "quote-row",
        })
    };
    let status = move || {
        quote.with(|q| match q {
            Loadable::Loading => "loading…".to_owned(),
            Loadable::Ready(_) => "ok".to_owned(),
            Loadable::Failed(err) => err.to_string(),
        })
    };
    let failed = move || quote.with(|q| matches!(q, Loadable::Failed(_)));
    view! {
        <tr class=row_class data-testid="quote-row" data-symbol=row.symbol.to_string()>
            <th scope="row">{row.symbol.to_string()}</th>
            <td class="num price" data-testid="price">{cell(|q| format::money(q.price))}</td>
            <td class="num change">{cell(|q| format::signed(q.change))}</td>
            <td class="num change">{cell(|q| format::signed_percent(q.change_percent))}</td>
            <td class="num">{cell(|q| format::volume(q.volume))}</td>
            <td data-testid="as-of">{cell(|q| format::time_of_day(&q.timestamp))}</td>
            <td class="status" data-testid="status" role=move || failed().then_some("alert")>{status}</td>
        </tr>
    }
}
