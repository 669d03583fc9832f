//! `/`: the watchlist — add, remove, reorder — with live quotes, auto-refresh
//! and the portfolio beside it.

use leptos::prelude::*;

use crate::{
    components::{AutoRefreshControl, PortfolioPanel, ProgressBar, QuotesTable, RefreshBar, RowActions, SymbolAdder},
    state::app::AppState,
};

/// The home view.
#[component]
pub fn WatchlistPage() -> impl IntoView {
    let app = expect_context::<AppState>();
    let state = app.dashboard.clone();
    state.ensure_loaded();
    let now_ms = RwSignal::new(js_sys::Date::now());
    let settings = app.settings;
    let choice = Signal::derive(move || settings.get().auto_refresh);
    let stale_after = Signal::derive(move || settings.get().auto_refresh.stale_after().as_secs_f64() * 1e3);
    let on_choose = {
        let app = app.clone();
        Callback::new(move |auto_refresh| {
            let settings = crate::state::settings::Settings { auto_refresh, ..app.settings.get_untracked() };
            if let Err(message) = app.apply_settings(settings) {
                app.notify(message);
            }
        })
    };
    let actions = {
        let (retry_state, remove_app, shift_app) = (state.clone(), app.clone(), app.clone());
        RowActions {
            retry: Some(Callback::new(move |symbol| {
                let state = retry_state.clone();
                leptos::task::spawn_local(async move { state.load(vec![symbol]).await });
            })),
            remove: Some(Callback::new(move |symbol| remove_app.remove(&symbol))),
            shift: Some(Callback::new(move |(symbol, by)| shift_app.shift(&symbol, by))),
        }
    };
    let budget_app = app.clone();
    // A provider called directly: its budget, re-read with the page's clock.
    let budget = move || {
        now_ms.track();
        budget_app.dashboard.progress.track();
        budget_app.dashboard.last_refresh.track();
        crate::pages::settings::budget_line(&budget_app)
    };
    let count = move || app.watchlist.with(|w| w.len());
    view! {
        <section class="dashboard">
            <div class="toolbar">
                <RefreshBar state=state.clone() />
                <AutoRefreshControl state=state.clone() choice on_choose now_ms />
            </div>
            <ProgressBar state=state.clone() />
            <div class="panels">
                <div class="watchlist">
                    <SymbolAdder app=app.clone() />
                    <p class="muted count" data-testid="symbol-count">
                        {move || format!("{} of 500 symbols", count())}
                    </p>
                    <p class="muted count" data-testid="budget">{budget}</p>
                    <QuotesTable rows=state.rows actions now_ms=Signal::from(now_ms) stale_after_ms=stale_after />
                </div>
                <PortfolioPanel state now_ms=Signal::from(now_ms) />
            </div>
        </section>
    }
}
