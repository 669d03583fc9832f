//! The browser's `localStorage` and `sessionStorage`, with their failures as
//! typed errors. Written by hand over web-sys: `gloo-storage` panics when the
//! storage is unavailable (private mode, disabled cookies), and the app must
//! keep working then, only without saving.

use wasm_bindgen::JsValue;

/// Which storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Kept across sessions on this device.
    Local,
    /// Kept until the tab closes.
    Session,
}

/// Why something could not be read or saved, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// No storage at all (disabled, or a private window that refuses it).
    #[error(
        "this browser does not let the page save anything here (storage is off or blocked), so changes last only until the page closes"
    )]
    Unavailable,
    /// The storage quota is used up.
    #[error("the browser's storage for this site is full, so the change was not saved; free some space and try again")]
    Full,
}

fn area(which: Area) -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or(StorageError::Unavailable)?;
    let storage = match which {
        Area::Local => window.local_storage(),
        Area::Session => window.session_storage(),
    };
    storage.ok().flatten().ok_or(StorageError::Unavailable)
}

/// The text saved under `key`, if any.
pub fn read(which: Area, key: &str) -> Result<Option<String>, StorageError> {
    area(which)?.get_item(key).map_err(|_| StorageError::Unavailable)
}

/// Saves `value` under `key`.
pub fn write(which: Area, key: &str, value: &str) -> Result<(), StorageError> {
    area(which)?
        .set_item(key, value)
        .map_err(|err| if is_quota(&err) { StorageError::Full } else { StorageError::Unavailable })
}

/// Removes `key` (nothing happens if storage is unavailable).
pub fn remove(which: Area, key: &str) {
    if let Ok(storage) = area(which) {
        let _ = storage.remove_item(key);
    }
}

fn is_quota(err: &JsValue) -> bool {
    let name = js_sys::Reflect::get(err, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    name.is_some_and(|n| n.contains("Quota"))
}
