//! What a refresh's rows hear from the engine while they wait (a retry, the
//! provider's budget), and what each request costs that budget.

use std::time::Duration;

use fanout::CancelToken;

use super::{DashboardState, targets::Target};
use crate::{api::FetchError, state::retrying::RetryNote};

/// What a refresh's rows hear from the engine while they wait, and what
/// each request costs a provider called directly (its symbols; the
/// portfolio, from our API, nothing).
pub(super) struct Watcher<'a> {
    pub(super) state: &'a DashboardState,
    pub(super) targets: &'a [Target],
    pub(super) token: &'a CancelToken,
    pub(super) direct: Option<providers::ProviderId>,
}

impl fanout::Observer<FetchError> for Watcher<'_> {
    fn retrying(&self, index: usize, retry: fanout::Retry<'_, FetchError>) {
        if !self.token.is_cancelled() {
            let now = js_sys::Date::now();
            self.state.note_wait(&self.targets[index], |what| RetryNote::new(what, &retry, now));
        }
    }

    fn waiting_for_credits(&self, index: usize, wait: Duration) {
        if let (false, Some(provider)) = (self.token.is_cancelled(), self.direct) {
            let now = js_sys::Date::now();
            self.state.note_wait(&self.targets[index], |what| RetryNote::budget(what, provider, wait, now));
        }
    }

    fn cost(&self, index: usize) -> u32 {
        let symbols = match &self.targets[index] {
            Target::Portfolio => return 0,
            target => target.symbols().len() as u32,
        };
        // A call the day's budget has no room for is refused before it is
        // sent: it takes nothing from the minute's.
        match self.state.day_credits_left() {
            Some((left, _)) if left < symbols => 0,
            _ => symbols,
        }
    }
}
