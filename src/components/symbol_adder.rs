//! Adding a symbol: an input that suggests listed symbols as you type (from
//! `symbols?q=`), validates with the market's rules and says why a symbol was
//! refused.

use fanout::LatestWins;
use leptos::{prelude::*, task::spawn_local};
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
    let suggestions = RwSignal::new(Vec::<SymbolMatch>::new());
    // Typing fast starts many searches; only the newest may fill the list.
    let searches = StoredValue::new_local(LatestWins::<&'static str>::new());
    let settings = app.settings;
    let search = move |query: String| {
        let Some(slots) = searches.try_get_value() else { return };
        let ticket = slots.begin("search");
        let client = settings.with_untracked(crate::state::app::client_for);
        spawn_local(async move {
            let found = search_symbols(&client, &query).await;
            ticket.deliver(|| suggestions.try_set(found));
        });
    };
    let app_for_submit = app.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = text.get_untracked();
        match app_for_submit.add(&input) {
            Ok(symbol) => {
                message.set(Some((true, format!("{symbol} added"))));
                text.set(String::new());
                suggestions.set(Vec::new());
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
                    let value = event_target_value(&ev);
                    text.set(value.clone());
                    message.set(None);
                    if value.trim().is_empty() { suggestions.set(Vec::new()) } else { search(value) }
                }
            />
            <datalist id="symbol-suggestions" data-testid="suggestions">
                <For each=move || suggestions.get() key=|m| m.symbol.clone() let:m>
                    <option value=m.symbol.clone()>{format!("{} — {}", m.name, m.sector)}</option>
                </For>
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
