//! Which view the address names, and moving between views without a reload.
//!
//! Written here rather than taken from `leptos_router`: the app has six
//! fixed routes, one path parameter and one query, and `leptos_router` is a
//! general router (nested and lazy routes, forms, transitions, a matcher
//! generic over every route's type) whose code was the largest crate in the
//! first screen's wasm (about 88 KB before optimisation, `twiggy`). What the
//! app needs of it is the History API, one signal and a click listener.

use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

/// A view of the app, as the address names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// `/`.
    Watchlist,
    /// `/t/:symbol`.
    Ticker,
    /// `/portfolio`.
    Portfolio,
    /// `/requests`.
    Requests,
    /// `/lab`.
    Lab,
    /// `/settings`.
    Settings,
    /// Any other path.
    Missing,
}

impl View {
    /// The view `path` names; one trailing slash is ignored (`/lab/` is the lab).
    pub fn of(path: &str) -> View {
        let path = if path.len() > 1 { path.strip_suffix('/').unwrap_or(path) } else { path };
        match path {
            "/" => View::Watchlist,
            "/portfolio" => View::Portfolio,
            "/requests" => View::Requests,
            "/lab" => View::Lab,
            "/settings" => View::Settings,
            _ if ticker_segment(path).is_some() => View::Ticker,
            _ => View::Missing,
        }
    }
}

/// The `:symbol` of a `/t/:symbol` path, as written (still percent-encoded).
fn ticker_segment(path: &str) -> Option<&str> {
    let path = path.strip_suffix('/').unwrap_or(path);
    path.strip_prefix("/t/").filter(|segment| !segment.is_empty() && !segment.contains('/'))
}

/// The address the app shows: its path and query, set on every navigation.
/// One per app, in the context ([`Location::install`]).
#[derive(Clone, Copy)]
pub struct Location {
    path: RwSignal<String>,
    search: RwSignal<String>,
}

impl Location {
    /// Reads the address, follows the browser's back and forward buttons and
    /// takes over clicks on the app's own links, and puts the location in the
    /// context. For the app's lifetime: the listeners are never removed.
    pub fn install() -> Location {
        let (path, search) = current();
        let location = Location { path: RwSignal::new(path), search: RwSignal::new(search) };
        window_event_listener(ev::popstate, move |_| {
            let (path, search) = current();
            location.set(path, search);
        });
        window_event_listener(ev::click, move |event| location.follow(&event));
        provide_context(location);
        location
    }

    /// The view the address names; changes only when the view does (a new
    /// symbol or query keeps the view mounted).
    pub fn view(self) -> Memo<View> {
        Memo::new(move |_| self.path.with(|path| View::of(path)))
    }

    /// The symbol of a `/t/:symbol` address, decoded; empty elsewhere.
    pub fn ticker_symbol(self) -> Memo<String> {
        Memo::new(move |_| {
            self.path.with(|path| {
                let segment = ticker_segment(path).unwrap_or_default();
                js_sys::decode_uri_component(segment).map(String::from).unwrap_or_else(|_| segment.to_owned())
            })
        })
    }

    /// The value of the query parameter `name`, as the address has it now.
    pub fn query(self, name: &str) -> Option<String> {
        web_sys::UrlSearchParams::new_with_str(&self.search.get_untracked()).ok()?.get(name)
    }

    /// Whether `href` (one of the app's paths) names the view shown now.
    pub fn shows(self, href: &str) -> bool {
        self.path.with(|path| View::of(path) == View::of(href))
    }

    fn set(self, path: String, search: String) {
        self.path.set(path);
        self.search.set(search);
    }

    /// A click on a link to another of the app's addresses shows it without a
    /// reload; any other click (a modifier key held, another window, a
    /// download, another origin, a place on this page) is the browser's.
    fn follow(self, event: &ev::MouseEvent) {
        if event.default_prevented()
            || event.button() != 0
            || event.meta_key()
            || event.alt_key()
            || event.ctrl_key()
            || event.shift_key()
        {
            return;
        }
        let anchor = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
        let Some(anchor) = anchor.and_then(|element| element.closest("a[href]").ok().flatten()) else { return };
        let elsewhere = anchor.get_attribute("target").is_some_and(|target| target != "_self");
        if elsewhere
            || anchor.has_attribute("download")
            || anchor.get_attribute("rel").is_some_and(|rel| rel.contains("external"))
        {
            return;
        }
        let here = window().location();
        let (Ok(base), Ok(origin), Some(href)) = (here.href(), here.origin(), anchor.get_attribute("href")) else {
            return;
        };
        let Ok(to) = web_sys::Url::new_with_base(&href, &base) else { return };
        let same_page =
            self.path.with_untracked(|p| *p == to.pathname()) && self.search.with_untracked(|s| *s == to.search());
        if to.origin() != origin || (same_page && !to.hash().is_empty()) {
            return;
        }
        event.prevent_default();
        let address = format!("{}{}{}", to.pathname(), to.search(), to.hash());
        match window()
            .history()
            .and_then(|history| history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address)))
        {
            Ok(()) => {
                self.set(to.pathname(), to.search());
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
            // No history to push to: the browser loads the address itself.
            Err(_) => drop(here.set_href(&address)),
        }
    }
}

/// The app's location (installed by the app at its start).
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// The path and query of the browser's address.
fn current() -> (String, String) {
    let location = window().location();
    (location.pathname().unwrap_or_else(|_| "/".to_owned()), location.search().unwrap_or_default())
}

/// A link in the navigation bar, marked `aria-current="page"` while its view
/// is shown.
#[component]
pub fn NavLink(
    /// The view's path.
    href: &'static str,
    /// The link's text.
    children: Children,
) -> impl IntoView {
    let location = use_location();
    let current = move || location.shows(href).then_some("page");
    view! { <a href=href aria-current=current>{children()}</a> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_names_its_view() {
        let cases = [
            ("/", View::Watchlist),
            ("/portfolio", View::Portfolio),
            ("/portfolio/", View::Portfolio),
            ("/requests", View::Requests),
            ("/lab", View::Lab),
            ("/settings", View::Settings),
            ("/t/AAPL", View::Ticker),
            ("/t/BRK.B/", View::Ticker),
            ("/t/", View::Missing),
            ("/t/AAPL/more", View::Missing),
            ("/portfolios", View::Missing),
            ("", View::Missing),
        ];
        for (path, view) in cases {
            assert_eq!(View::of(path), view, "{path:?}");
        }
        assert_eq!(ticker_segment("/t/BRK.B/"), Some("BRK.B"));
        assert_eq!(ticker_segment("/lab"), None);
    }
}
