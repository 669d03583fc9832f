//! The app's shared state, provided as context to every view: the settings,
//! the watchlist (saved on every change), the dashboard they drive, and the
//! notices the user should read (a recovered store, storage that failed).

use leptos::{prelude::*, task::spawn_local};
use market::Symbol;

use crate::{
    api::{ApiClient, Direct},
    state::{
        DashboardState,
        settings::{API_KEY_KEY, PROVIDER_KEY_KEY, SETTINGS_KEY, Settings},
        store::{self, BACKUP_KEY, WATCHLIST_KEY},
        watchlist::{AddError, Watchlist},
    },
    storage::{self, Area},
};

/// Everything the views share. Cheap to copy/clone: signals are handles.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The settings in force.
    pub settings: RwSignal<Settings>,
    /// The watchlist, in the user's order.
    pub watchlist: RwSignal<Watchlist>,
    /// Messages for the user that stay until dismissed.
    pub notices: RwSignal<Vec<String>>,
    /// Quotes, portfolio and the last refresh.
    pub dashboard: DashboardState,
}

/// The API client the settings describe (with the provider it calls
/// directly, if one is chosen).
pub fn client_for(settings: &Settings) -> ApiClient {
    let client = ApiClient::new(settings.api_base_url.clone(), settings.api_key.clone());
    match settings.provider_limits() {
        Some(limits) => client.with_direct(
            Direct::twelve_data(
                &settings.provider_url,
                &settings.provider_key,
                std::time::Duration::from_millis(settings.provider_minute_ms),
            )
            .with_limits(limits),
        ),
        None => client,
    }
}

impl AppState {
    /// Reads settings, key and watchlist from the browser's storage; whatever
    /// cannot be read is reported in `notices`, never fatal.
    pub fn load() -> Self {
        let mut notices = Vec::new();
        let mut read = |area, key| {
            storage::read(area, key).unwrap_or_else(|err| {
                notices.push(err.to_string());
                None
            })
        };
        let key = read(Area::Session, API_KEY_KEY).or_else(|| read(Area::Local, API_KEY_KEY));
        let provider_key = read(Area::Session, PROVIDER_KEY_KEY).or_else(|| read(Area::Local, PROVIDER_KEY_KEY));
        let saved_settings = read(Area::Local, SETTINGS_KEY);
        let saved_watchlist = read(Area::Local, WATCHLIST_KEY);
        notices.dedup();
        let (settings, note) = Settings::decode(saved_settings.as_deref(), key, provider_key);
        notices.extend(note);
        let recovered = store::decode(saved_watchlist.as_deref());
        // With no copy kept, the saved text is not rewritten either: what
        // this version could not take over stays until the user changes the list.
        let mut keep_original = false;
        if recovered.backup
            && let Some(text) = &saved_watchlist
        {
            match storage::write(Area::Local, BACKUP_KEY, text) {
                Ok(()) => {
                    notices.push(format!("the saved watchlist as it was is kept in localStorage[\"{BACKUP_KEY}\"]"))
                }
                Err(err) => {
                    keep_original = true;
                    notices.push(format!(
                        "a copy of the saved watchlist could not be kept ({err}), so it was left as it was; \
                         it will be replaced when you next change the watchlist"
                    ));
                }
            }
        }
        notices.extend(recovered.problems.iter().cloned());
        let dashboard =
            DashboardState::new(client_for(&settings), recovered.watchlist.symbols().to_vec(), settings.policy());
        let state = AppState {
            settings: RwSignal::new(settings),
            watchlist: RwSignal::new(recovered.watchlist),
            notices: RwSignal::new(notices),
            dashboard,
        };
        if !recovered.problems.is_empty() && !keep_original {
            state.save_watchlist();
        }
        state
    }

    /// Adds the symbol typed as `input`; its row appears and loads at once.
    pub fn add(&self, input: &str) -> Result<Symbol, AddError> {
        let mut list = self.watchlist.get_untracked();
        let symbol = list.add(input)?;
        self.set_watchlist(list);
        Ok(symbol)
    }

    /// Takes `symbol` off the watchlist.
    pub fn remove(&self, symbol: &Symbol) {
        let mut list = self.watchlist.get_untracked();
        if list.remove(symbol) {
            self.set_watchlist(list);
        }
    }

    /// Moves `symbol` up (-1) or down (+1).
    pub fn shift(&self, symbol: &Symbol, by: isize) {
        let mut list = self.watchlist.get_untracked();
        if list.shift(symbol, by) {
            self.set_watchlist(list);
        }
    }

    fn set_watchlist(&self, list: Watchlist) {
        let added = self.dashboard.set_symbols(list.symbols());
        self.watchlist.set(list);
        self.save_watchlist();
        let dashboard = self.dashboard.clone();
        spawn_local(async move { dashboard.load(added).await });
    }

    fn save_watchlist(&self) {
        let text = store::encode(&self.watchlist.get_untracked());
        if let Err(err) = storage::write(Area::Local, WATCHLIST_KEY, &text) {
            self.notify(format!("the watchlist could not be saved: {err}"));
        }
    }

    /// Puts `settings` in force and saves them: the key in `sessionStorage`,
    /// or `localStorage` if the user asked to be remembered (and then only
    /// there). Returns what could not be saved, if anything.
    pub fn apply_settings(&self, settings: Settings) -> Result<(), String> {
        let before = self.settings.get_untracked();
        // Only a new address, key or policy restarts the engine (and so
        // cancels a refresh in flight); a new interval does not.
        if client_for(&before) != client_for(&settings) || before.policy() != settings.policy() {
            self.dashboard.configure(client_for(&settings), settings.policy());
        }
        let (keep, drop) =
            if settings.remember_key { (Area::Local, Area::Session) } else { (Area::Session, Area::Local) };
        storage::remove(drop, API_KEY_KEY);
        storage::remove(drop, PROVIDER_KEY_KEY);
        let provider_key = || match settings.provider_key.as_str() {
            "" => {
                storage::remove(keep, PROVIDER_KEY_KEY);
                Ok(())
            }
            key => storage::write(keep, PROVIDER_KEY_KEY, key),
        };
        let saved = storage::write(keep, API_KEY_KEY, &settings.api_key)
            .and_then(|()| provider_key())
            .and_then(|()| storage::write(Area::Local, SETTINGS_KEY, &settings.encode()));
        self.settings.set(settings);
        saved.map_err(|err| format!("the settings are in force but were not saved: {err}"))
    }

    /// Adds a notice for the user.
    pub fn notify(&self, message: String) {
        self.notices.update(|notices| {
            if !notices.contains(&message) {
                notices.push(message);
            }
        });
    }
}
