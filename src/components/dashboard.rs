//! The dashboard's body — refresh bar, progress, quotes table and portfolio —
//! over a [`DashboardState`]; and [`Dashboard`], the same filled by one refresh
//! on mount, for a fixed list of symbols (embedding and browser tests).

use fanout::Policy;
use leptos::{prelude::*, task::spawn_local};
use market::Symbol;

use crate::{
    api::ApiClient,
    components::{PortfolioPanel, ProgressBar, QuotesTable, RefreshBar},
    state::{DashboardState, dashboard::default_policy},
};

/// Quotes for `symbols` and the portfolio, requested all at once on mount.
/// Uses the [`ApiClient`] from context, or the page's own origin.
#[component]
pub fn Dashboard(
    /// The symbols to show, one row each, in this order.
    symbols: Vec<Symbol>,
    /// How refreshes run (concurrency, timeouts, retries); the default if absent.
    #[prop(optional)]
    policy: Option<Policy>,
) -> impl IntoView {
    let client = use_context::<ApiClient>().unwrap_or_else(ApiClient::same_origin);
    let state = DashboardState::new(client, symbols, policy.unwrap_or_else(default_policy));
    let first = state.clone();
    spawn_local(async move {
        first.refresh().await;
    });
    view! {
        <section class="dashboard">
            <RefreshBar state=state.clone() />
            <ProgressBar state=state.clone() />
            <div class="panels">
                <QuotesTable rows=state.rows />
                <PortfolioPanel state />
            </div>
        </section>
    }
}
