//! The first screen's requests, sent before the app's code has arrived.
//!
//! `web/start.js` runs as soon as the HTML is parsed, long before the wasm
//! has downloaded and started, and sends the requests of the first refresh
//! at once (no more than the settings' concurrency allows): the paths the
//! app's last refresh asked for ([`remember`], in
//! `localStorage["tickerboard.early"]`, kept only while the saved watchlist
//! and settings are those it was made from), or on a first visit the default
//! watchlist's (`state::dashboard::first_visit_paths`; a test holds start.js
//! to them). It
//! keeps each as `window.tickerboardEarly[url]`. When the app asks for the
//! same URL with the same key, [`take`] hands it the request in flight (once):
//! the answer is read as every other (the size cap, the checks), and the app
//! waits for `max(code, data)`, not their sum. Nothing is sent early for a
//! provider called directly (its credit budget decides), under a rate limit,
//! nor when the saved settings have no plan.

use serde::{Deserialize, Serialize};

use crate::storage::{self, Area};

/// Where the next page load finds the first refresh's requests.
pub const EARLY_KEY: &str = "tickerboard.early";

/// The first refresh's requests, as start.js reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The API's address ("" for the page's own origin).
    pub base: String,
    /// One path per request.
    pub paths: Vec<String>,
    /// The most that may be in flight at once (the settings' concurrency;
    /// none: no limit): start.js sends no more than that.
    pub at_most: Option<usize>,
    /// The saved watchlist and settings (their text) the plan was made
    /// from: changed since (another tab, a test), the plan is not sent.
    pub watchlist: Option<String>,
    /// See [`Plan::watchlist`].
    pub settings: Option<String>,
}

impl Plan {
    /// The plan for `paths` under `at_most`, made from what storage holds now.
    pub fn from_storage(base: String, paths: Vec<String>, at_most: Option<usize>) -> Plan {
        let saved = |key| storage::read(Area::Local, key).ok().flatten();
        Plan {
            base,
            paths,
            at_most,
            watchlist: saved(crate::state::store::WATCHLIST_KEY),
            settings: saved(crate::state::settings::SETTINGS_KEY),
        }
    }
}

thread_local! {
    static REMEMBERED: std::cell::RefCell<Option<Plan>> = const { std::cell::RefCell::new(None) };
}

/// Keeps `plan` for the next page load (written only when it changed; a
/// storage that refuses it only costs the next load its head start).
pub fn remember(plan: Plan) {
    let changed = REMEMBERED.with(|last| last.borrow().as_ref() != Some(&plan));
    if !changed {
        return;
    }
    if let Ok(text) = serde_json::to_string(&plan) {
        let _ = storage::write(Area::Local, EARLY_KEY, &text);
    }
    REMEMBERED.with(|last| *last.borrow_mut() = Some(plan));
}

/// Sends nothing early on the next page load (a provider called directly).
pub fn forget() {
    storage::remove(Area::Local, EARLY_KEY);
    REMEMBERED.with(|last| *last.borrow_mut() = None);
}

thread_local! {
    static CLAIMED: std::cell::RefCell<std::collections::HashMap<String, f64>> = std::cell::RefCell::default();
    /// Set once the first refresh has gone out: nothing is left to take, so
    /// later requests do not look.
    static DRAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a refresh took any request over that it has not yet timed.
pub fn any_claimed() -> bool {
    CLAIMED.with(|claimed| !claimed.borrow().is_empty())
}

/// When start.js sent the request for `url` that [`take`] handed over
/// (`performance.now()`, in ms), asked once: the refresh that took it counts
/// its time from then, so its waterfall and timing line tell the truth.
pub fn claimed_start(url: &str) -> Option<f64> {
    CLAIMED.with(|claimed| claimed.borrow_mut().remove(url))
}

/// A request start.js sent, handed over.
pub(crate) struct Early {
    /// `fetch`'s promise of the response.
    pub(crate) response: js_sys::Promise,
    /// Aborts it (the app's Cancel, a refresh superseded).
    pub(crate) controller: Option<web_sys::AbortController>,
}

fn sent() -> Option<js_sys::Map> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"tickerboardEarly".into()).ok()?.dyn_into::<js_sys::Map>().ok()
}

fn field<T: wasm_bindgen::JsCast>(entry: &wasm_bindgen::JsValue, name: &str) -> Option<T> {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(entry, &name.into()).ok()?.dyn_into::<T>().ok()
}

/// Takes start.js's request for `url` if it was sent with `authorization`;
/// each is taken once (a second ask sends a request of its own).
pub(crate) fn take(url: &str, authorization: &str) -> Option<Early> {
    if DRAINED.with(std::cell::Cell::get) {
        return None;
    }
    let map = sent()?;
    let entry = map.get(&url.into());
    if entry.is_undefined() {
        return None;
    }
    map.delete(&url.into());
    let controller = field::<web_sys::AbortController>(&entry, "controller");
    let same_key =
        js_sys::Reflect::get(&entry, &"authorization".into()).ok()?.as_string().as_deref() == Some(authorization);
    if !same_key {
        // The key changed since the page started: that answer is not ours.
        if let Some(controller) = controller {
            controller.abort();
        }
        return None;
    }
    let response = field::<js_sys::Promise>(&entry, "response")?;
    let started = js_sys::Reflect::get(&entry, &"started".into()).ok().and_then(|s| s.as_f64());
    if let Some(started) = started {
        CLAIMED.with(|claimed| claimed.borrow_mut().insert(url.to_owned(), started));
    }
    Some(Early { response, controller })
}

/// Aborts what start.js sent and the app did not ask for (the plan changed
/// since it was saved), once the first refresh has gone out.
pub fn discard_unclaimed() {
    if DRAINED.with(|drained| drained.replace(true)) {
        return;
    }
    let Some(map) = sent() else { return };
    map.for_each(&mut |entry, _url| {
        if let Some(controller) = field::<web_sys::AbortController>(&entry, "controller") {
            controller.abort();
        }
    });
    map.clear();
}

/// The words of a failed early fetch (a `TypeError` from `fetch`).
pub(crate) fn describe(error: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "the request failed".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_js_sends_the_first_visit_plan_and_reads_the_app_s_keys() {
        let start = include_str!("../../web/start.js");
        let paths = crate::state::dashboard::first_visit_paths();
        assert_eq!(paths.len(), 6, "five quotes and the portfolio: {paths:?}");
        let listed = format!("[{}]", paths.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", "));
        assert!(start.contains(&listed), "web/start.js must send the first visit's plan {listed}");
        for name in [
            EARLY_KEY,
            crate::state::settings::API_KEY_KEY,
            crate::state::settings::SETTINGS_KEY,
            crate::state::store::WATCHLIST_KEY,
        ] {
            assert!(start.contains(&format!("\"{name}\"")), "web/start.js must read {name}");
        }
        assert!(start.contains(&format!("\"{}\"", crate::api::DEMO_KEY)), "the demo key");
    }

    #[test]
    fn a_plan_is_written_as_start_js_reads_it() {
        let plan = Plan {
            base: String::new(),
            paths: vec!["/api/v1/portfolio".to_owned()],
            at_most: Some(2),
            watchlist: None,
            settings: None,
        };
        let text = serde_json::to_string(&plan).unwrap();
        assert_eq!(text, r#"{"base":"","paths":["/api/v1/portfolio"],"at_most":2,"watchlist":null,"settings":null}"#);
    }
}
