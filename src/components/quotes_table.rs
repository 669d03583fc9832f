//! The quotes table: one row per symbol, each with its own loading, value or
//! error (and a Retry button), updated in place. Rows are keyed by symbol, so
//! adding, removing or moving one leaves the others' DOM alone.

use leptos::prelude::*;
use market::{Quote, Symbol};

use crate::{
    format,
    state::{Loadable, QuoteRow},
};

/// What a row's buttons do; each is optional (a read-only table has none).
#[derive(Clone, Copy, Default)]
pub struct RowActions {
    /// Fetch this row again.
    pub retry: Option<Callback<Symbol>>,
    /// Take the symbol off the watchlist.
    pub remove: Option<Callback<Symbol>>,
    /// Move the symbol up (-1) or down (+1).
    pub shift: Option<Callback<(Symbol, isize)>>,
}

/// One row per symbol. Each cell's text is bound to its row's signal, so a
/// refresh rewrites text in place and never rebuilds the table.
#[component]
pub fn QuotesTable(
    /// The rows, in display order.
    #[prop(into)]
    rows: Signal<Vec<QuoteRow>>,
    /// Row buttons.
    #[prop(optional)]
    actions: RowActions,
    /// `Date.now()` in ms, ticking; rows older than `stale_after_ms` are marked.
    #[prop(optional, into)]
    now_ms: Option<Signal<f64>>,
    /// How old a quote may get before it is marked stale.
    #[prop(optional, into)]
    stale_after_ms: Option<Signal<f64>>,
) -> impl IntoView {
    let editable = actions.remove.is_some() || actions.shift.is_some();
    view! {
        <div class="scroll">
        <table class="quotes" data-testid="quotes">
            <thead>
                <tr>
                    <th scope="col">"Symbol"</th>
                    <th scope="col" class="num">"Price"</th>
                    <th scope="col" class="num">"Change"</th>
                    <th scope="col" class="num">"Change %"</th>
                    <th scope="col" class="num wide">"Volume"</th>
                    <th scope="col" class="wide">"As of (UTC)"</th>
                    <th scope="col">"Status"</th>
                    {editable.then(|| view! { <th scope="col"><span class="visually-hidden">"Edit"</span></th> })}
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|row| row.symbol.clone() let:row>
                    <QuoteRowView row actions now_ms stale_after_ms />
                </For>
            </tbody>
        </table>
        </div>
    }
}

/// One symbol's row.
#[component]
fn QuoteRowView(
    row: QuoteRow,
    actions: RowActions,
    now_ms: Option<Signal<f64>>,
    stale_after_ms: Option<Signal<f64>>,
) -> impl IntoView {
    let QuoteRow { symbol, quote, received_ms, pending } = row;
    // A cell's text: from the quote when there is one, a dash otherwise.
    let cell = move |text: fn(&Quote) -> String| {
        move || {
            quote.with(|q| match q {
                Loadable::Ready(q) => text(q),
                Loadable::Loading => String::new(),
                Loadable::Failed(_) => "—".to_owned(),
            })
        }
    };
    let stale = move || match (now_ms, stale_after_ms, received_ms.get()) {
        (Some(now), Some(limit), Some(at)) => now.get() - at > limit.get(),
        _ => false,
    };
    let row_class = move || {
        let state = quote.with(|q| match q {
            Loadable::Loading => "loading",
            Loadable::Failed(_) => "failed",
            Loadable::Ready(q) if q.change > 0.0 => "up",
            Loadable::Ready(q) if q.change < 0.0 => "down",
            Loadable::Ready(_) => "flat",
        });
        format!("quote-row {state}{}", if stale() { " stale" } else { "" })
    };
    let status = move || {
        quote.with(|q| match q {
            Loadable::Loading => "loading…".to_owned(),
            Loadable::Ready(_) if stale() => "stale".to_owned(),
            Loadable::Ready(_) => "ok".to_owned(),
            Loadable::Failed(err) => err.to_string(),
        })
    };
    let failed = move || quote.with(|q| matches!(q, Loadable::Failed(_)));
    let link = format!("/t/{symbol}");
    let name = symbol.to_string();
    let retry = actions.retry.map(|retry| {
        let symbol = symbol.clone();
        view! {
            <Show when=failed>
                <button
                    class="small"
                    data-testid="retry"
                    disabled=move || pending.get()
                    on:click={
                        let symbol = symbol.clone();
                        move |_| retry.run(symbol.clone())
                    }
                    aria-label=format!("Retry {symbol}")
                >
                    "Retry"
                </button>
            </Show>
        }
    });
    let edit = (actions.remove.is_some() || actions.shift.is_some()).then(|| {
        let button =
            |label: &'static str, text: &'static str, testid: &'static str, action: Option<Callback<Symbol>>| {
                action.map(|action| {
                    let symbol = symbol.clone();
                    view! {
                        <button
                            class="small icon"
                            data-testid=testid
                            aria-label=format!("{label} {symbol}")
                            title=format!("{label} {symbol}")
                            on:click=move |_| action.run(symbol.clone())
                        >
                            {text}
                        </button>
                    }
                })
            };
        let up = actions.shift.map(|shift| Callback::new(move |s: Symbol| shift.run((s, -1))));
        let down = actions.shift.map(|shift| Callback::new(move |s: Symbol| shift.run((s, 1))));
        view! {
            <td class="edit">
                {button("Move up", "↑", "move-up", up)} {button("Move down", "↓", "move-down", down)}
                {button("Remove", "✕", "remove", actions.remove)}
            </td>
        }
    });
    view! {
        <tr class=row_class data-testid="quote-row" data-symbol=symbol.to_string() aria-busy=move || pending.get().to_string()>
            <th scope="row">
                <a href=link>{name}</a>
            </th>
            // A skeleton bar (CSS) stands in for the price until the first one lands.
            <td
                class="num price"
                class:skeleton=move || quote.with(|q| matches!(q, Loadable::Loading))
                data-testid="price"
            >
                {cell(|q| format::money(q.price))}
            </td>
            <td class="num change">{cell(|q| format::signed(q.change))}</td>
            <td class="num change">{cell(|q| format::signed_percent(q.change_percent))}</td>
            <td class="num wide">{cell(|q| format::volume(q.volume))}</td>
            <td class="wide" data-testid="as-of">{cell(|q| format::time_of_day(&q.timestamp))}</td>
            <td class="status" data-testid="status">
                <span role=move || failed().then_some("alert")>{status}</span>
                {retry}
            </td>
            {edit}
        </tr>
    }
}
