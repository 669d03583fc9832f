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
        // Rows are laid out as grids (CSS) so the browser can skip off-screen
        // rows; the ARIA roles keep the table's semantics.
        <table class="quotes" class:editable=editable data-testid="quotes" role="table">
            <thead role="rowgroup">
                <tr role="row">
                    <th scope="col" role="columnheader">"Symbol"</th>
                    <th scope="col" role="columnheader" class="num">"Price"</th>
                    <th scope="col" role="columnheader" class="num narrow-hide">"Change"</th>
                    <th scope="col" role="columnheader" class="num">"Change %"</th>
                    <th scope="col" role="columnheader" class="num wide">"Volume"</th>
                    <th scope="col" role="columnheader" class="wide">"As of (UTC)"</th>
                    <th scope="col" role="columnheader">"Status"</th>
                    {editable.then(|| view! { <th scope="col" role="columnheader"><span class="visually-hidden">"Edit"</span></th> })}
                </tr>
            </thead>
            <tbody role="rowgroup">
                <For each=move || rows.get() key=|row| row.symbol.clone() let:row>
                    <QuoteRowView row actions now_ms stale_after_ms />
                </For>
            </tbody>
        </table>
        </div>
    }
}

/// The texts of a row's cells, computed together.
struct Cells {
    price: String,
    change: String,
    change_percent: String,
    volume: String,
    as_of: String,
    status: String,
    failed: bool,
}

impl Cells {
    fn of(quote: &Loadable<Quote>, stale: bool) -> Cells {
        let texts = |q: &Quote| {
            [
                format::money(q.price),
                format::signed(q.change),
                format::signed_percent(q.change_percent),
                format::volume(q.volume),
                format::time_of_day(&q.timestamp),
            ]
        };
        let (texts, status, failed) = match quote {
            Loadable::Ready(q) => (texts(q), if stale { "stale" } else { "ok" }.to_owned(), false),
            Loadable::Loading => (Default::default(), "loading…".to_owned(), false),
            Loadable::Failed(err) => (std::array::from_fn(|_| "—".to_owned()), err.to_string(), true),
        };
        let [price, change, change_percent, volume, as_of] = texts;
        Cells { price, change, change_percent, volume, as_of, status, failed }
    }
}

/// One symbol's row. Its cells come from one reactive closure: a new quote
/// re-renders the row once, and only the texts that changed touch the DOM
/// (a 500-row update stays within a frame; see `cargo xtask bench ui`).
#[component]
fn QuoteRowView(
    row: QuoteRow,
    actions: RowActions,
    now_ms: Option<Signal<f64>>,
    stale_after_ms: Option<Signal<f64>>,
) -> impl IntoView {
    let QuoteRow { symbol, quote, received_ms, pending, retry } = row;
    let stale = move || match (now_ms, stale_after_ms, received_ms.get()) {
        (Some(now), Some(limit), Some(at)) => now.get() - at > limit.get(),
        _ => false,
    };
    // The row's kind as a memo: its class changes only when the kind does.
    let kind = Memo::new(move |_| {
        quote.with(|q| match q {
            Loadable::Loading => "loading",
            Loadable::Failed(_) => "failed",
            Loadable::Ready(q) if q.change > 0.0 => "up",
            Loadable::Ready(q) if q.change < 0.0 => "down",
            Loadable::Ready(_) => "flat",
        })
    });
    let row_class = move || format!("quote-row {}{}", kind.get(), if stale() { " stale" } else { "" });
    // Built anew with the cells, so its `disabled` is a plain value read there:
    // a reactive attribute nested in a re-rendered view kept ~70 bytes per
    // render alive (found by `tests/leaks.rs`).
    let retry_button = {
        let symbol = symbol.clone();
        move |busy: bool| {
            actions.retry.map(|retry| {
                let symbol = symbol.clone();
                let label = format!("Retry {symbol}");
                view! {
                    <button
                        class="small"
                        data-testid="retry"
                        disabled=busy
                        on:click=move |_| retry.run(symbol.clone())
                        aria-label=label
                    >
                        "Retry"
                    </button>
                }
            })
        }
    };
    let cells = move || {
        let Cells { price, change, change_percent, volume, as_of, status, failed } =
            quote.with(|q| Cells::of(q, stale()));
        // While a retry is on its way, the row says why and when (ticking with
        // the page's clock, where it has one).
        let note = retry.get().map(|note| note.sentence(now_ms.map_or_else(js_sys::Date::now, |now| now.get())));
        let retrying = note.is_some();
        let status = note.unwrap_or(status);
        view! {
            // In a loading row, a skeleton bar (CSS) stands in for the price.
            <td role="cell" class="num price" data-testid="price">
                {price}
            </td>
            <td role="cell" class="num change narrow-hide">{change}</td>
            <td role="cell" class="num change">{change_percent}</td>
            <td role="cell" class="num wide">{volume}</td>
            <td role="cell" class="wide" data-testid="as-of">
                {as_of}
            </td>
            <td role="cell" class="status" data-testid="status">
                <span role=(failed || retrying).then_some("alert") class:retrying=retrying>{status}</span>
                {(failed && !retrying).then(|| retry_button(pending.get()))}
            </td>
        }
    };
    let link = format!("/t/{symbol}");
    let name = symbol.to_string();
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
            <td role="cell" class="edit">
                {button("Move up", "↑", "move-up", up)} {button("Move down", "↓", "move-down", down)}
                {button("Remove", "✕", "remove", actions.remove)}
            </td>
        }
    });
    view! {
        <tr role="row" class=row_class data-testid="quote-row" data-symbol=symbol.to_string() aria-busy=move || pending.get().to_string()>
            <th scope="row" role="rowheader">
                <a href=link>{name}</a>
            </th>
            {cells}
            {edit}
        </tr>
    }
}
