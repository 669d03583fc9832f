//! How far the refresh in flight has got: done / total requests.

use leptos::prelude::*;

use crate::state::DashboardState;

/// A progress bar shown while a refresh is in flight. It is built once and
/// hidden between refreshes: rebuilt by a `<Show>` at every refresh, its
/// reactive attributes kept ~260 bytes alive each time (found by the soak and
/// `tests/leaks.rs`).
#[component]
pub fn ProgressBar(
    /// The dashboard whose refresh is shown.
    state: DashboardState,
) -> impl IntoView {
    let (refreshing, progress) = (state.refreshing, state.progress);
    view! {
        <div class="progress" data-testid="progress" hidden=move || !refreshing.get()>
                <progress
                    max=move || progress.get().1.to_string()
                    value=move || progress.get().0.to_string()
                    aria-label="Refresh progress"
                ></progress>
                <span class="muted">{move || format!("{} / {}", progress.get().0, progress.get().1)}</span>
        </div>
    }
}
