//! One end-to-end trial: its name, whether it measures time (then it runs
//! alone on the machine), what the browser's console may hold after it, and
//! its check.

use anyhow::{Result, ensure};

use super::lanes::Lane;

/// Whether a trial may share the machine with another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Runs beside another trial (on the other lane).
    Shared,
    /// Measures time (a sweep, an overlap, frame times, the soak): runs
    /// with no other trial on the machine.
    Alone,
}

/// What the console may hold once the trial has run (entries logged during
/// the trial only: the lane empties the log before each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Console {
    /// Anything: the trial provokes errors on purpose or checks the log itself.
    Any,
    /// No SEVERE entry but Chromium's line about a 503 (the Retry check
    /// trips one on purpose).
    Clean,
    /// SEVERE entries only for failed loads (the faults provoke those).
    NetworkOnly,
}

impl Console {
    /// Checks the entries `(level, message)` logged during a trial.
    pub fn check(self, log: &[(String, String)]) -> Result<()> {
        let network = |m: &str| m.contains("Failed to load resource") || m.contains("net::ERR_");
        let allowed = |m: &str| match self {
            Console::Any => true,
            Console::Clean => m.contains("status of 503"),
            Console::NetworkOnly => network(m),
        };
        let bad: Vec<_> = log.iter().filter(|(level, m)| level == "SEVERE" && !allowed(m)).collect();
        ensure!(bad.is_empty(), "the console holds SEVERE entries ({self:?} allows none of these): {bad:?}");
        Ok(())
    }
}

/// A trial's check: runs on a lane (its browser and its seed server) and
/// says what it saw.
pub type Check = Box<dyn Fn(&Lane) -> Result<String> + Send + Sync>;

/// One trial of the e2e harness.
pub struct E2eTrial {
    /// Its name within its area (the harness prefixes the area).
    pub name: String,
    /// Whether it runs alone.
    pub pace: Pace,
    /// What the console may hold after it.
    pub console: Console,
    /// What it does.
    pub check: Check,
}

impl E2eTrial {
    /// A trial that shares the machine and leaves the console to itself.
    pub fn new(name: impl Into<String>, check: impl Fn(&Lane) -> Result<String> + Send + Sync + 'static) -> Self {
        E2eTrial { name: name.into(), pace: Pace::Shared, console: Console::Any, check: Box::new(check) }
    }

    /// This trial measures time: it runs alone.
    pub fn alone(self) -> Self {
        E2eTrial { pace: Pace::Alone, ..self }
    }

    /// What the console may hold after this trial.
    pub fn console(self, console: Console) -> Self {
        E2eTrial { console, ..self }
    }
}

/// A trial that runs `check(&browser, url)` on its lane's page:
/// `on_page!("name", check)`, where `check` is an `async fn(&Browser, &str)
/// -> Result<String>` (a macro: an async fn borrowing its arguments does not
/// coerce to one function type a method could take).
macro_rules! on_page {
    ($name:expr, $check:path) => {
        $crate::e2e::E2eTrial::new($name, |lane| lane.run($check(&lane.browser, &lane.url)))
    };
}
pub(crate) use on_page;

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: &str, message: &str) -> (String, String) {
        (level.to_owned(), message.to_owned())
    }

    #[test]
    fn the_console_policies_let_through_what_they_name_and_nothing_else() {
        let panic = [entry("SEVERE", "panicked at src/lib.rs"), entry("INFO", "hello")];
        let failed_load = [entry("SEVERE", "Failed to load resource: net::ERR_CONNECTION_REFUSED")];
        let busy = [entry("SEVERE", "the server responded with a status of 503 (Service Unavailable)")];
        assert!(Console::Any.check(&panic).is_ok());
        assert!(Console::Clean.check(&panic).is_err(), "a panic is never clean");
        assert!(Console::NetworkOnly.check(&panic).is_err());
        assert!(Console::NetworkOnly.check(&failed_load).is_ok());
        assert!(Console::Clean.check(&failed_load).is_err());
        assert!(Console::Clean.check(&busy).is_ok());
        assert!(Console::Clean.check(&[entry("INFO", "hello")]).is_ok());
    }
}
