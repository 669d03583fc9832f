//! `/portfolio`: positions valued from live quotes, day change, totals and
//! the allocation.

use leptos::prelude::*;

use crate::{
    components::{PortfolioPanel, RefreshBar},
    state::app::AppState,
};

/// The portfolio view.
#[component]
pub fn PortfolioPage() -> impl IntoView {
    let state = expect_context::<AppState>().dashboard;
    state.ensure_loaded();
    view! {
        <section class="portfolio-page">
            <div class="toolbar">
                <RefreshBar state=state.clone() />
            </div>
            <PortfolioPanel state detailed=true />
        </section>
    }
}
