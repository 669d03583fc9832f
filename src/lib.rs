//! Tickerboard: a market dashboard that runs in the browser.
//!
//! The app is a library (so browser tests can mount its parts) with a thin
//! `main.rs`. Its layers point one way:
//!
//! - [`api`]: the typed client for the market API, one function per endpoint;
//! - [`state`]: the dashboard's model — rows, portfolio, the last refresh — and
//!   the refresh itself, which fans every request out at once through `fanout`;
//! - [`components`]: views over that state;
//! - [`format`]: how numbers are written for people.

pub mod api;
pub mod components;
pub mod format;
pub mod state;

use leptos::prelude::*;

use crate::{api::ApiClient, components::Dashboard, state::watchlist::default_watchlist};

/// The whole app: the API client for this origin and the dashboard.
#[component]
pub fn App() -> impl IntoView {
    provide_context(ApiClient::same_origin());
    view! {
        <header class="masthead">
            <h1>"Tickerboard"</h1>
            <p class="tagline">"Every quote fetched at once, shown as it lands."</p>
        </header>
        <main>
            <Dashboard symbols=default_watchlist() />
        </main>
    }
}
