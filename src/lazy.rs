//! Views loaded on first use. The first screen (the watchlist and the
//! portfolio) ships alone; the lab, the settings form, the requests
//! waterfall and the ticker view each live in a wasm chunk of their own that
//! the browser fetches the first time the view is shown.
//!
//! The release build (`cargo xtask build`, with the `split` feature) cuts the
//! wasm at the functions marked `#[wasm_split]` here (`wasm_split_helpers`,
//! the crate behind Leptos' own `#[lazy]`); every other build compiles the
//! same views in, and [`LazyView`] shows them at once. Leptos' `#[lazy]`
//! panics when a chunk cannot be fetched, which aborts the whole app, so the
//! views are split with `wasm_split`'s `fallible` option instead and a failed
//! load is shown with a Retry button.

use std::{future::Future, pin::Pin};

use leptos::{prelude::*, task::spawn_local_scoped};

/// A chunk of the app could not be fetched or started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("its code did not arrive (the network failed, or the server no longer has this version of Tickerboard)")]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// How a lazily loaded view is built once its chunk is there.
pub type LoadView = fn() -> Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>>>>;

/// Where a lazily loaded view stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Loading,
    Failed(String),
    Ready,
}

/// Declares `$name`, an async function that fetches chunk `$chunk` (in the
/// split build) and builds `$view` from it.
macro_rules! lazy_view {
    ($(#[$doc:meta])* $name:ident, $chunk:ident, $view:expr) => {
        $(#[$doc])*
        #[cfg_attr(feature = "split", wasm_split_helpers::wasm_split($chunk, fallible))]
        fn $name() -> Result<AnyView, ChunkError> {
            Ok($view.into_any())
        }
    };
}

lazy_view!(
    /// The lab: strategies, the plot, the event-loop job and its worker.
    lab_view,
    lab,
    view! { <crate::pages::LabPage /> }
);
lazy_view!(
    /// The settings form and its validation.
    settings_view,
    settings,
    view! { <crate::pages::SettingsPage /> }
);
lazy_view!(
    /// The waterfall of the last refresh.
    requests_view,
    requests,
    view! { <crate::pages::RequestsPage /> }
);
lazy_view!(
    /// The ticker view: history, the chart, the position.
    ticker_view,
    ticker,
    view! { <crate::pages::TickerPage /> }
);

/// Boxes a view builder, async in the split build and immediate otherwise.
macro_rules! boxed {
    ($name:ident) => {
        || {
            #[cfg(feature = "split")]
            let built = Box::pin($name());
            #[cfg(not(feature = "split"))]
            let built = Box::pin(std::future::ready($name()));
            built
        }
    };
}

/// The lab, loaded on first use.
pub const LAB: (&str, LoadView) = ("the lab", boxed!(lab_view));
/// The settings form, loaded on first use.
pub const SETTINGS: (&str, LoadView) = ("the settings", boxed!(settings_view));
/// The requests waterfall, loaded on first use.
pub const REQUESTS: (&str, LoadView) = ("the requests view", boxed!(requests_view));
/// The ticker view, loaded on first use.
pub const TICKER: (&str, LoadView) = ("the ticker view", boxed!(ticker_view));

/// Shows the view `load` builds: a line while its chunk arrives, then the
/// view; if the chunk cannot be fetched, a sentence and a Retry button (a
/// failed fetch is not remembered, so Retry fetches it afresh).
#[component]
pub fn LazyView(
    /// What the view is, for people: "the lab".
    what: &'static str,
    /// Builds the view.
    load: LoadView,
) -> impl IntoView {
    let stage = RwSignal::new(Stage::Loading);
    let built = StoredValue::new_local(None::<AnyView>);
    // The view is built inside this component's owner (a Retry click has
    // none of its own), so it finds the app's context and goes with the route.
    let owner = Owner::current();
    let start = Callback::new(move |()| {
        stage.set(Stage::Loading);
        let task = async move {
            match load().await {
                Ok(view) => {
                    built.try_set_value(Some(view));
                    stage.try_set(Stage::Ready);
                }
                Err(err) => {
                    stage.try_set(Stage::Failed(format!("Tickerboard could not load {what}: {err}.")));
                }
            }
        };
        match &owner {
            Some(owner) => owner.with(|| spawn_local_scoped(task)),
            None => spawn_local_scoped(task),
        }
    });
    start.run(());
    move || match stage.get() {
        Stage::Loading => view! {
            <p class="muted lazy-loading" data-testid="view-loading" aria-busy="true">{format!("Loading {what}…")}</p>
        }
        .into_any(),
        Stage::Failed(sentence) => view! {
            <div class="error lazy-failed" role="alert" data-testid="view-failed">
                <p>{sentence}</p>
                <button type="button" data-testid="view-retry" on:click=move |_| start.run(())>"Retry"</button>
            </div>
        }
        .into_any(),
        Stage::Ready => built.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
    }
}
