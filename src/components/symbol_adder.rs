//! Adding a symbol: an input that suggests listed symbols as you type (from
//! `symbols?q=`), validates with the market's rules and says why a symbol was
//! refused.

use leptos::prelude::*;
use market::SymbolMatch;

use crate::{api::ApiClient, state::app::AppState};

/// The add form of the watchlist.
#[component]
pub fn SymbolAdder(
    /// Where the watchlist lives.
    app: AppState,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    // Suggestions follow the text: a resource re-fetches as it changes and
    // keeps only the answer for the newest text.
    let settings = app.settings;
    let suggestions = LocalResource::new(move || {
        let query = text.get();
        let client = settings.with_untracked(crate::state::app::client_for);
        async move { if query.trim().is_empty() { Vec::new() } else { search_symbols(&client, &query).await } }
    });
    let app_for_submit = app.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = text.get_untracked();
        match app_for_submit.add(&input) {
            Ok(symbol) => {
                message.set(Some((true, format!("{symbol} added"))));
                text.set(String::new());
            }
            Err(err) => message.set(Some((false, err.to_string()))),
        }
    };
    view! {
        <form class="adder" on:submit=submit data-testid="add-form">
            <label for="add-symbol">"Add a symbol"</label>
            <input
                id="add-symbol"
                data-testid="add-symbol"
                list="symbol-suggestions"
                autocomplete="off"
                spellcheck="false"
                maxlength="200"
                placeholder="e.g. NVDA or Apple"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    message.set(None);
                }
            />
            <datalist id="symbol-suggestions" data-testid="suggestions">
                // The last suggestions stay while the next ones load.
                <Transition fallback=|| ()>
                    {move || {
                        suggestions
                            .get()
                            .map(|found| {
                                found
                                    .into_iter()
                                    .map(|m| {
                                        let label = format!("{} — {}", m.name, m.sector);
                                        view! { <option value=m.symbol>{label}</option> }
                                    })
                                    .collect_view()
                            })
                    }}
                </Transition>
            </datalist>
            <button type="submit" data-testid="add">"Add"</button>
            <p class="message" aria-live="polite" data-testid="add-message">
                {move || {
                    message
                        .get()
                        .map(|(ok, text)| {
                            view! { <span class:error=!ok class:ok=ok>{text}</span> }
                        })
                }}
            </p>
        </form>
    }
}

/// The matches for `query`; none if the search fails (it only helps typing).
async fn search_symbols(client: &ApiClient, query: &str) -> Vec<SymbolMatch> {
    client.search(query).await.map(|found| found.results).unwrap_or_default()
}
