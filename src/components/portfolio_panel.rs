//! The portfolio: cash and positions, valued from live quotes; in full (the
//! portfolio view) also each position's day change and the allocation.

use leptos::prelude::*;

use crate::{
    format,
    state::{
        DashboardState, Loadable,
        valuation::{Valuation, value_portfolio},
    },
};

/// Cash, positions and total value; the total appears once every position has
/// a price.
#[component]
pub fn PortfolioPanel(
    /// Where the portfolio and prices come from.
    state: DashboardState,
    /// Also show day changes and the allocation.
    #[prop(optional)]
    detailed: bool,
    /// `Date.now()` in ms, ticking, for a retry's countdown.
    #[prop(optional, into)]
    now_ms: Option<Signal<f64>>,
) -> impl IntoView {
    let portfolio = state.portfolio;
    let retry = state.portfolio_retry;
    let retry_note = move || {
        retry.get().map(|note| {
            let sentence = note.sentence(now_ms.map_or_else(js_sys::Date::now, |now| now.get()));
            view! { <p class="retrying" role="alert" data-testid="portfolio-retry">{sentence}</p> }
        })
    };
    view! {
        <section class="portfolio" data-testid="portfolio">
            <h2>"Portfolio"</h2>
            {retry_note}
            {move || match portfolio.get() {
                Loadable::Loading => view! { <p class="muted">"Loading the portfolio…"</p> }.into_any(),
                Loadable::Failed(err) => {
                    view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any()
                }
                Loadable::Ready(p) => {
                    let valuation = value_portfolio(&p, |symbol| state.live_of(symbol));
                    positions_table(&valuation, p.cash, detailed).into_any()
                }
            }}
        </section>
    }
}

fn signed_class(value: Option<f64>) -> &'static str {
    match value {
        Some(v) if v > 0.0 => "num up",
        Some(v) if v < 0.0 => "num down",
        _ => "num",
    }
}

fn positions_table(valuation: &Valuation, cash: f64, detailed: bool) -> impl IntoView + use<> {
    let dash = || "—".to_owned();
    let rows = valuation
        .positions
        .iter()
        .map(|v| {
            let day = detailed.then(|| {
                view! { <td class=signed_class(v.day_change())>{v.day_change().map_or_else(dash, format::signed_money)}</td> }
            });
            view! {
                <tr data-testid="position" data-symbol=v.position.symbol.clone()>
                    <th scope="row">
                        <a href=format!("/t/{}", v.position.symbol)>{v.position.symbol.clone()}</a>
                    </th>
                    <td class="num">{format::quantity(v.position.quantity)}</td>
                    <td class="num wide">{format::money(v.position.average_cost)}</td>
                    <td class="num">{v.value().map_or_else(dash, format::money)}</td>
                    {day}
                    <td class=signed_class(v.profit())>{v.profit().map_or_else(dash, format::signed_money)}</td>
                </tr>
            }
        })
        .collect_view();
    let allocation = detailed.then(|| allocation_bar(valuation));
    let day_total = detailed.then(|| {
        view! {
            <dt>"Day change"</dt>
            <dd data-testid="day-change" class=signed_class(valuation.day_change)>
                {valuation.day_change.map_or_else(dash, format::signed_money)}
            </dd>
        }
    });
    view! {
        <div class="scroll">
            <table class="positions">
                <thead>
                    <tr>
                        <th scope="col">"Symbol"</th>
                        <th scope="col" class="num">"Shares"</th>
                        <th scope="col" class="num wide">"Avg cost"</th>
                        <th scope="col" class="num">"Value"</th>
                        {detailed.then(|| view! { <th scope="col" class="num">"Day"</th> })}
                        <th scope="col" class="num">"P/L"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {allocation}
        <dl class="totals">
            <dt>"Cash"</dt>
            <dd data-testid="cash">{format::money(cash)}</dd>
            {day_total}
            <dt>"Total value"</dt>
            <dd data-testid="total-value">{valuation.total.map_or_else(dash, format::money)}</dd>
        </dl>
    }
}

/// One bar split by each position's share of the invested value.
fn allocation_bar(valuation: &Valuation) -> impl IntoView + use<> {
    const COLOURS: [&str; 8] = ["#0ea5e9", "#22c55e", "#f59e0b", "#a855f7", "#ef4444", "#14b8a6", "#eab308", "#6366f1"];
    let Some(shares) = valuation.allocation() else {
        return view! { <p class="muted">"The allocation shows once every position has a price."</p> }.into_any();
    };
    let mut x = 0.0;
    let parts: Vec<_> = shares
        .iter()
        .enumerate()
        .map(|(i, (symbol, share))| {
            let part = (symbol.clone(), x, share * 100.0, COLOURS[i % COLOURS.len()]);
            x += share * 100.0;
            part
        })
        .collect();
    let legend = parts
        .iter()
        .map(|(symbol, _, width, colour)| {
            view! {
                <li>
                    <span class="swatch" style:background=*colour></span>
                    {format!("{symbol} {width:.1}%")}
                </li>
            }
        })
        .collect_view();
    let rects = parts
        .into_iter()
        .map(|(symbol, x, width, colour)| {
            view! {
                <rect x=x y="0" width=width height="10" fill=colour>
                    <title>{format!("{symbol}: {width:.1}%")}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <h3 class="sub">"Allocation"</h3>
        <svg class="allocation-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="Allocation by value" data-testid="allocation">
            {rects}
        </svg>
        <ul class="allocation-legend">{legend}</ul>
    }
    .into_any()
}
