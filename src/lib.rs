//! Tickerboard placeholder.
use leptos::prelude::*;
/// The app.
#[component]
pub fn App() -> impl IntoView {
    view! { <p>"Tickerboard"</p> }
}
