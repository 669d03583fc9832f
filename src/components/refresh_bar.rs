//! The Refresh button and the timing line: wall time against the sum of the
//! requests' own durations.

use leptos::{prelude::*, task::spawn_local};

use crate::{format, state::DashboardState};

/// Starts a refresh on click and says how long the last one took.
#[component]
pub fn RefreshBar(
    /// The dashboard to refresh.
    state: DashboardState,
) -> impl IntoView {
    let (refreshing, last) = (state.refreshing, state.last_refresh);
    let dashboard = StoredValue::new(state);
    let refresh = move |_| {
        if let Some(state) = dashboard.try_get_value() {
            spawn_local(async move {
                state.refresh().await;
            });
        }
    };
    let cancel = move |_| {
        if let Some(state) = dashboard.try_get_value() {
            state.cancel();
        }
    };
    let count = move || last.get().map_or(0, |s| s.requests);
    let wall = move || last.get().map(|s| format::seconds(s.wall)).unwrap_or_default();
    let sum = move || last.get().map(|s| format::seconds(s.sum)).unwrap_or_default();
    let speedup = move || {
        last.get()
            .filter(|s| !s.wall.is_zero())
            .map(|s| format!("{:.1}×", s.sum.as_secs_f64() / s.wall.as_secs_f64()))
            .unwrap_or_default()
    };
    let failures = move || match last.get().map_or(0, |s| s.failures) {
        0 => String::new(),
        1 => " · 1 request failed".to_owned(),
        n => format!(" · {n} requests failed"),
    };
    view! {
        <div class="refresh-bar">
            <button data-testid="refresh" on:click=refresh class:busy=move || refreshing.get()>
                {move || if refreshing.get() { "Refreshing…" } else { "Refresh" }}
            </button>
            <button data-testid="cancel" class="secondary" on:click=cancel disabled=move || !refreshing.get()>
                "Cancel"
            </button>
            <Show
                when=move || last.get().is_some()
                fallback=|| view! { <p class="timing muted">"Fetching quotes and portfolio, all at once…"</p> }
            >
                <p class="timing" data-testid="timing">
                    "Fetched " <span data-testid="request-count">{count}</span> " requests at once in "
                    <strong data-testid="wall-seconds">{wall}</strong> " s — one after another: "
                    <strong data-testid="sum-seconds">{sum}</strong> " s ("
                    <span data-testid="speedup">{speedup}</span> " faster)"
                    <span class="failures">{failures}</span>
                </p>
            </Show>
        </div>
    }
}
