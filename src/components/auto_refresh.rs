//! Auto-refresh: off / 1 s / 5 s / 15 s / 60 s, with a countdown; paused while the
//! tab is hidden, and a refresh at once when it shows again.

use leptos::{prelude::*, task::spawn_local};
use leptos_use_document_visibility::use_document_visibility;
use leptos_use_interval_fn::use_interval_fn;
use web_sys::VisibilityState;

use crate::{
    diagnostics::{Kind, Registered},
    state::{DashboardState, settings::AutoRefresh},
};

/// The interval menu and the countdown; drives `state`'s refreshes.
#[component]
pub fn AutoRefreshControl(
    /// The dashboard to refresh.
    state: DashboardState,
    /// The chosen interval.
    #[prop(into)]
    choice: Signal<AutoRefresh>,
    /// Called when the user picks another interval.
    on_choose: Callback<AutoRefresh>,
    /// `Date.now()` in ms; this control moves it on once a second.
    now_ms: RwSignal<f64>,
) -> impl IntoView {
    let visibility = use_document_visibility();
    // The visibility listener and the tick below, in the app's registry for
    // as long as this control is mounted.
    let listener = Registered::new(Kind::Listener);
    let interval = Registered::new(Kind::Interval);
    on_cleanup(move || drop((listener, interval)));
    let visible = move || visibility.get() != VisibilityState::Hidden;
    // When the next automatic refresh is due (ms), if one is.
    let next_at = RwSignal::new(None::<f64>);
    let schedule = move || {
        next_at.set(choice.get_untracked().interval().map(|i| js_sys::Date::now() + i.as_secs_f64() * 1e3));
    };
    let refresh = {
        let state = state.clone();
        move || {
            let state = state.clone();
            spawn_local(async move {
                state.refresh().await;
            });
        }
    };
    // Each refresh that ends (finished or cancelled, manual or not) restarts
    // the countdown.
    let (last, busy) = (state.last_refresh, state.refreshing);
    Effect::new(move |_| {
        last.track();
        choice.track();
        if !busy.get() {
            schedule();
        }
    });
    // Hidden: the tick does nothing. Shown again: refresh at once.
    let on_show = refresh.clone();
    Effect::new(move |was_visible: Option<bool>| {
        let now_visible = visible();
        if was_visible == Some(false) && now_visible && choice.get_untracked().interval().is_some() {
            on_show();
        }
        now_visible
    });
    let refreshing = state.refreshing;
    use_interval_fn(
        move || {
            let now = js_sys::Date::now();
            // The countdown and the stale marker need whole seconds: writing
            // the clock once a second spares every row a re-check 4 times a second.
            if (now / 1e3).floor() != (now_ms.get_untracked() / 1e3).floor() {
                now_ms.set(now);
            }
            let due = next_at.get_untracked().is_some_and(|at| now >= at);
            if due && visible() && !refreshing.get_untracked() {
                next_at.set(None);
                refresh();
            }
        },
        250,
    );
    let countdown = move || match (choice.get().interval(), next_at.get()) {
        (None, _) => String::new(),
        (Some(_), _) if !visible() => "paused while the tab is hidden".to_owned(),
        (Some(_), None) => "refreshing…".to_owned(),
        (Some(_), Some(at)) => format!("next in {} s", ((at - now_ms.get()) / 1e3).ceil().max(0.0)),
    };
    view! {
        <label class="auto-refresh">
            "Auto-refresh "
            <select
                data-testid="auto-refresh"
                on:change=move |ev| {
                    if let Some(choice) = AutoRefresh::parse(&event_target_value(&ev)) {
                        on_choose.run(choice);
                    }
                }
                prop:value=move || choice.get().as_str()
            >
                {AutoRefresh::ALL
                    .into_iter()
                    .map(|a| view! { <option value=a.as_str()>{a.as_str()}</option> })
                    .collect_view()}
            </select>
        </label>
        <span class="countdown muted" data-testid="countdown" aria-live="off">
            {countdown}
        </span>
    }
}
