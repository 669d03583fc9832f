//! `/settings`: the API's address and key, and how refreshes run. Every field
//! is validated with its own message; nothing is applied until all are valid.

use leptos::prelude::*;

use crate::state::{
    app::AppState,
    settings::{AutoRefresh, Field, MAX_CONCURRENCY, MAX_RETRIES, SettingsForm},
};

/// The settings view.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = expect_context::<AppState>();
    let form = RwSignal::new(SettingsForm::from(&app.settings.get_untracked()));
    let errors = RwSignal::new(Vec::<(Field, String)>::new());
    let saved = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.get_untracked().validate() {
            Ok(settings) => {
                errors.set(Vec::new());
                saved.set(Some(app.apply_settings(settings)));
            }
            Err(found) => {
                errors.set(found);
                saved.set(None);
            }
        }
    };
    let error_of = move |field: Field| errors.with(|all| all.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()));
    let text_field = move |field: Field,
                           id: &'static str,
                           label: &'static str,
                           hint: String,
                           kind: &'static str,
                           get: fn(&SettingsForm) -> &String,
                           set: fn(&mut SettingsForm, String)| {
        view! {
            <label for=id>
                <span>{label}</span>
                <input
                    id=id
                    data-testid=id
                    type=kind
                    autocomplete="off"
                    prop:value=move || form.with(|f| get(f).clone())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                    aria-invalid=move || error_of(field).is_some().to_string()
                    aria-describedby=format!("{id}-hint {id}-error")
                />
                <span class="hint" id=format!("{id}-hint")>{hint}</span>
                <p class="field-error" id=format!("{id}-error") data-testid=format!("{id}-error") aria-live="polite">
                    {move || error_of(field)}
                </p>
            </label>
        }
    };
    view! {
        <form class="settings" on:submit=submit novalidate=true data-testid="settings-form">
            <h2>"Settings"</h2>
            {text_field(Field::ApiBaseUrl, "api-base-url", "API address", "Empty: this site's own API. For example http://127.0.0.1:8787".to_owned(), "url", |f| &f.api_base_url, |f, v| f.api_base_url = v)}
            {text_field(Field::ApiKey, "api-key", "API key", "Sent only in the Authorization header, never in a URL.".to_owned(), "password", |f| &f.api_key, |f, v| f.api_key = v)}
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="remember-key"
                    prop:checked=move || form.with(|f| f.remember_key)
                    on:change=move |ev| form.update(|f| f.remember_key = event_target_checked(&ev))
                />
                "Remember the key on this device (otherwise it is forgotten when the tab closes)"
            </label>
            {text_field(Field::Concurrency, "concurrency", "Requests at once", format!("1 to {MAX_CONCURRENCY}; a browser sends at most 6 at once per host over HTTP/1.1"), "number", |f| &f.concurrency, |f, v| f.concurrency = v)}
            {text_field(Field::Timeout, "timeout", "Timeout per attempt (seconds)", "0.5 to 120".to_owned(), "number", |f| &f.timeout_seconds, |f, v| f.timeout_seconds = v)}
            {text_field(Field::Retries, "retries", "Retries", format!("0 to {MAX_RETRIES}; only network errors, time-outs, 5xx and 429 are retried"), "number", |f| &f.retries, |f, v| f.retries = v)}
            <label for="auto-refresh-setting">
                <span>"Auto-refresh"</span>
                <select
                    id="auto-refresh-setting"
                    data-testid="auto-refresh-setting"
                    prop:value=move || form.with(|f| f.auto_refresh.clone())
                    on:change=move |ev| form.update(|f| f.auto_refresh = event_target_value(&ev))
                >
                    {AutoRefresh::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{a.as_str()}</option> }).collect_view()}
                </select>
            </label>
            <div>
                <button type="submit" data-testid="save-settings">"Save"</button>
            </div>
            <p aria-live="polite" data-testid="settings-message">
                {move || match saved.get() {
                    Some(Ok(())) => view! { <span class="ok">"Saved; the next refresh uses these settings."</span> }.into_any(),
                    Some(Err(message)) => view! { <span class="error">{message}</span> }.into_any(),
                    None if !errors.with(Vec::is_empty) => view! { <span class="error">"Some fields need fixing; nothing was changed."</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
        </form>
    }
}
