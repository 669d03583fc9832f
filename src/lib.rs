//! Tickerboard: a market dashboard that runs in the browser.
//!
//! The app is a library (so browser tests can mount its parts) with a thin
//! `main.rs`. Its layers point one way:
//!
//! - [`api`]: the typed client for the market API, one function per endpoint;
//! - [`state`]: the model — watchlist, settings, rows, portfolio, the last
//!   refresh — and the refresh itself, which fans every request out through
//!   `fanout`; the pure parts are tested natively;
//! - [`storage`]: `localStorage` / `sessionStorage` with typed failures;
//! - [`components`]: views over that state; [`pages`]: one per route;
//! - [`format`]: how numbers are written for people.

pub mod api;
pub mod components;
pub mod diagnostics;
pub mod format;
pub mod lab;
pub mod lazy;
pub mod pages;
pub mod route;
pub mod security;
pub mod state;
pub mod storage;

use leptos::prelude::*;

use crate::{
    components::Notices,
    lazy::{LAB, LazyView, REQUESTS, SETTINGS, TICKER},
    pages::{PortfolioPage, WatchlistPage},
    route::{Location, NavLink, View},
    state::app::AppState,
};

/// The whole app: shared state from the browser's storage, a navigation bar,
/// and one view per URL.
#[component]
pub fn App() -> impl IntoView {
    let app = AppState::load();
    provide_context(app.clone());
    let view = Location::install().view();
    view! {
        <header class="masthead">
            <h1>"Tickerboard"</h1>
            <nav aria-label="Views">
                <NavLink href="/">"Watchlist"</NavLink>
                <NavLink href="/portfolio">"Portfolio"</NavLink>
                <NavLink href="/requests">"Requests"</NavLink>
                <NavLink href="/lab">"Lab"</NavLink>
                <NavLink href="/settings">"Settings"</NavLink>
            </nav>
        </header>
        <Notices notices=app.notices />
        <main>
            {move || match view.get() {
                View::Watchlist => view! { <WatchlistPage /> }.into_any(),
                View::Ticker => view! { <LazyView what=TICKER.0 load=TICKER.1 /> }.into_any(),
                View::Portfolio => view! { <PortfolioPage /> }.into_any(),
                View::Requests => view! { <LazyView what=REQUESTS.0 load=REQUESTS.1 /> }.into_any(),
                View::Lab => view! { <LazyView what=LAB.0 load=LAB.1 /> }.into_any(),
                View::Settings => view! { <LazyView what=SETTINGS.0 load=SETTINGS.1 /> }.into_any(),
                View::Missing => {
                    view! { <p class="error">"There is no such page. "<a href="/">"Back to the watchlist"</a></p> }.into_any()
                }
            }}
        </main>
    }
}
