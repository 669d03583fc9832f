//! Messages the user should read (a recovered watchlist, storage that
//! failed), announced and kept until dismissed.

use leptos::prelude::*;

/// The notices, each with a Dismiss button.
#[component]
pub fn Notices(
    /// The messages.
    notices: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <div class="notices" role="status" aria-live="polite" data-testid="notices">
            <For each=move || notices.get() key=|text| text.clone() let:text>
                <p class="notice">
                    <span>{text.clone()}</span>
                    <button
                        class="small secondary"
                        aria-label="Dismiss"
                        on:click=move |_| notices.update(|all| all.retain(|t| t != &text))
                    >
                        "Dismiss"
                    </button>
                </p>
            </For>
        </div>
    }
}
