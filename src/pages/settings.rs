//! `/settings`: the API's address and key, and how refreshes run. Every field
//! is validated with its own message; nothing is applied until all are valid.

use leptos::prelude::*;

use crate::state::{
    app::AppState,
    settings::{AutoRefresh, Field, MAX_CONCURRENCY, MAX_RETRIES, SettingsForm, Source},
};

/// The settings view.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = expect_context::<AppState>();
    let budget_app = app.clone();
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
            <label for="source">
                <span>"Data source"</span>
                <select
                    id="source"
                    data-testid="source"
                    prop:value=move || form.with(|f| f.source.clone())
                    on:change=move |ev| form.update(|f| f.source = event_target_value(&ev))
                >
                    {Source::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
                <span class="hint">"Twelve Data's free plan: 8 credits a minute, 800 a day, a symbol a credit. Alpaca: run the server with "<code>"cargo xtask serve --provider alpaca"</code>" and keep the Tickerboard API."</span>
            </label>
            {move || (form.with(|f| f.source == Source::TwelveData.as_str())).then(|| {
                let app = budget_app.clone();
                view! {
                <fieldset class="provider">
                    <legend>"Twelve Data"</legend>
                    {text_field(Field::ProviderUrl, "provider-url", "Twelve Data address", "https://api.twelvedata.com (or an emulator's address)".to_owned(), "url", |f| &f.provider_url, |f, v| f.provider_url = v)}
                    {text_field(Field::ProviderKey, "provider-key", "Twelve Data key", "Sent only in the Authorization header; kept like the API key.".to_owned(), "password", |f| &f.provider_key, |f, v| f.provider_key = v)}
                    {text_field(Field::ProviderMinute, "provider-minute", "Budget minute (seconds)", "60 for the real service; an emulator's minute can be shorter".to_owned(), "number", |f| &f.provider_minute_seconds, |f, v| f.provider_minute_seconds = v)}
                    {text_field(Field::ProviderPerMinute, "provider-per-minute", "Credits a minute", "Your plan's: 8 on the free plan".to_owned(), "number", |f| &f.provider_per_minute, |f, v| f.provider_per_minute = v)}
                    {text_field(Field::ProviderPerDay, "provider-per-day", "Credits a day", "800 on the free plan; 0 if your plan counts no days. This browser stops asking once they are spent.".to_owned(), "number", |f| &f.provider_per_day, |f, v| f.provider_per_day = v)}
                    <p class="muted" data-testid="budget">{move || budget_line(&app)}</p>
                </fieldset>
                }
            })}
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

/// "5 of 8 credits left this minute; 795 of 800 today" for the provider
/// called directly.
pub fn budget_line(app: &AppState) -> String {
    let settings = app.settings.get();
    match (settings.direct_provider(), app.dashboard.credits_left()) {
        (Some(provider), Some(left)) => {
            let minute =
                format!("{provider} budget: {left} of {} credits left this minute", settings.provider_per_minute);
            match app.dashboard.day_credits_left() {
                Some((left, limit)) => format!("{minute}; {left} of {limit} left today"),
                None => minute,
            }
        }
        (Some(provider), None) => format!("{provider}: save to start counting its budget"),
        (None, _) => String::new(),
    }
}
