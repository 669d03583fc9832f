//! The portfolio: cash and positions, valued from the rows' live quotes.

use leptos::prelude::*;
use market::Portfolio;

use crate::{
    format,
    state::{DashboardState, Loadable, valuation::value_portfolio},
};

/// Cash, positions and total value; the total appears once every position has
/// a price.
#[component]
pub fn PortfolioPanel(
    /// Where the portfolio and prices come from.
    state: DashboardState,
) -> impl IntoView {
    let portfolio = state.portfolio;
    view! {
        <section class="portfolio" data-testid="portfolio">
            <h2>"Portfolio"</h2>
            {move || match portfolio.get() {
                Loadable::Loading => view! { <p class="muted">"Loading the portfolio…"</p> }.into_any(),
                Loadable::Failed(err) => {
                    view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any()
                }
                Loadable::Ready(p) => positions_table(&p, &state).into_any(),
            }}
        </section>
    }
}

fn positions_table(portfolio: &Portfolio, state: &DashboardState) -> impl IntoView + use<> {
    let (valued, total) = value_portfolio(portfolio, |symbol| state.price_of(symbol));
    let dash = || "—".to_owned();
    let rows = valued
        .into_iter()
        .map(|v| {
            let profit_class = match v.profit() {
                Some(p) if p > 0.0 => "num up",
                Some(p) if p < 0.0 => "num down",
                _ => "num",
            };
            view! {
                <tr>
                    <th scope="row">{v.position.symbol.clone()}</th>
                    <td class="num">{v.position.quantity.to_string()}</td>
                    <td class="num">{format::money(v.position.average_cost)}</td>
                    <td class="num">{v.value().map_or_else(dash, format::money)}</td>
                    <td class=profit_class>{v.profit().map_or_else(dash, format::signed_money)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="positions">
            <thead>
                <tr>
                    <th scope="col">"Symbol"</th>
                    <th scope="col" class="num">"Shares"</th>
                    <th scope="col" class="num">"Avg cost"</th>
                    <th scope="col" class="num">"Value"</th>
                    <th scope="col" class="num">"P/L"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <dl class="totals">
            <dt>"Cash"</dt>
            <dd data-testid="cash">{format::money(portfolio.cash)}</dd>
            <dt>"Total value"</dt>
            <dd data-testid="total-value">{total.map_or_else(dash, format::money)}</dd>
        </dl>
    }
}
