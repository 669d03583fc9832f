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
pub mod security;
pub mod state;
pub mod storage;

use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};

use crate::{
    components::Notices,
    lazy::{LAB, LazyView, REQUESTS, SETTINGS, TICKER},
    pages::{PortfolioPage, WatchlistPage},
    state::app::AppState,
};

/// The whole app: shared state from the browser's storage, a navigation bar,
/// and one view per URL.
#[component]
pub fn App() -> impl IntoView {
    let app = AppState::load();
    provide_context(app.clone());
    view! {
        <Router>
            <header class="masthead">
                <h1>"Tickerboard"</h1>
                <nav aria-label="Views">
                    <A href="/" exact=true>"Watchlist"</A>
                    <A href="/portfolio">"Portfolio"</A>
                    <A href="/requests">"Requests"</A>
                    <A href="/lab">"Lab"</A>
                    <A href="/settings">"Settings"</A>
                </nav>
            </header>
            <Notices notices=app.notices />
            <main>
                <Routes fallback=|| view! { <p class="error">"There is no such page. "<a href="/">"Back to the watchlist"</a></p> }>
                    <Route path=path!("/") view=WatchlistPage />
                    <Route path=path!("/t/:symbol") view=|| view! { <LazyView what=TICKER.0 load=TICKER.1 /> } />
                    <Route path=path!("/portfolio") view=PortfolioPage />
                    <Route path=path!("/requests") view=|| view! { <LazyView what=REQUESTS.0 load=REQUESTS.1 /> } />
                    <Route path=path!("/lab") view=|| view! { <LazyView what=LAB.0 load=LAB.1 /> } />
                    <Route path=path!("/settings") view=|| view! { <LazyView what=SETTINGS.0 load=SETTINGS.1 /> } />
                </Routes>
            </main>
        </Router>
    }
}
