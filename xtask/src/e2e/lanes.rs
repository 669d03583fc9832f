//! Lanes: a browser and the app served by its own seed server, one per test
//! thread. A trial takes a free lane and gives it back; a trial that
//! measures time also takes the machine (every other lane waits), so the two
//! lanes never disturb a measurement.
//!
//! Each lane has its own server, so a trial's faults and counters
//! (`_faults`, `_stats`) are its own; the lanes start on the first trial that
//! runs (`--list`, or a filter that selects nothing, starts nothing).

use std::{
    future::Future,
    sync::{Condvar, LazyLock, Mutex, MutexGuard, PoisonError, RwLock},
    time::Instant,
};

use anyhow::{Context, Result};

use super::{
    app::AppUnderTest,
    trial::{E2eTrial, Pace},
};
use crate::webdriver::Browser;

/// The runtime every trial's browser session lives on: fantoccini's session
/// task runs on its workers, so each test thread can drive its lane.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime for the e2e trials")
});

/// A browser and the seed server it tests.
pub struct Lane {
    /// Which lane (0, 1, …), for the log.
    pub index: usize,
    /// The browser session.
    pub browser: Browser,
    /// The app's address on this lane's server.
    pub url: String,
    _app: AppUnderTest,
}

impl Lane {
    /// Runs `future` (a check on this lane's browser) to its end.
    pub fn run<F: Future>(&self, future: F) -> F::Output {
        RUNTIME.block_on(future)
    }

    /// Runs `trial`: an empty console log first, its check, then its console
    /// policy, then the page left with nothing stored, on `about:blank`.
    fn attempt(&self, trial: &E2eTrial) -> Result<String> {
        self.run(self.browser.console_log()).context("emptying the console log before the trial")?;
        let outcome = (trial.check)(self);
        let console = self.run(self.browser.console_log()).and_then(|log| trial.console.check(&log));
        self.run(self.reset());
        let detail = outcome?;
        console?;
        Ok(detail)
    }

    /// Forgets what the trial stored and leaves its page, so the next trial
    /// on this lane starts from nothing (and the page stops calling the
    /// server).
    async fn reset(&self) {
        let _ = self.browser.eval("localStorage.clear(); sessionStorage.clear(); return true;").await;
        let _ = self.browser.client.goto("about:blank").await;
        let _ = self.browser.client.set_window_size(1280, 800).await;
    }
}

/// The lanes, handed out to the test threads.
pub struct Lanes {
    count: usize,
    state: Mutex<State>,
    returned: Condvar,
    /// Shared by trials that share the machine, taken whole by one that runs alone.
    machine: RwLock<()>,
}

#[derive(Default)]
struct State {
    /// `None` until the first trial starts the lanes; the error, if they could not start.
    started: Option<Result<(), String>>,
    free: Vec<Lane>,
}

impl Lanes {
    /// `count` lanes, started on first use.
    pub fn new(count: usize) -> Lanes {
        Lanes { count, state: Mutex::default(), returned: Condvar::new(), machine: RwLock::new(()) }
    }

    /// Runs `trial` on a free lane (alone on the machine if it measures
    /// time), printing what it saw and how long it took.
    pub fn run(&self, name: &str, trial: &E2eTrial) -> Result<(), String> {
        // What the trial holds of the machine while it runs.
        let (_shared, _whole) = match trial.pace {
            Pace::Alone => (None, Some(self.machine.write().unwrap_or_else(PoisonError::into_inner))),
            Pace::Shared => (Some(self.machine.read().unwrap_or_else(PoisonError::into_inner)), None),
        };
        let lease = self.take()?;
        let start = Instant::now();
        let lane = lease.lane.as_ref().expect("a leased lane");
        let result = lane.attempt(trial);
        let took = start.elapsed().as_secs_f64();
        match result {
            Ok(detail) => {
                println!("    {name} (lane {}, {took:.1} s): {detail}", lane.index);
                Ok(())
            }
            Err(err) => Err(format!("{err:#} (lane {}, after {took:.1} s)", lane.index)),
        }
    }

    /// Waits for a free lane; the first call starts them all.
    fn take(&self) -> Result<Lease<'_>, String> {
        let mut state = self.lock();
        if state.started.is_none() {
            let started = start(self.count);
            state.started = Some(started.as_ref().map(|_| ()).map_err(|err| format!("{err:#}")));
            state.free = started.unwrap_or_default();
        }
        if let Some(Err(err)) = &state.started {
            return Err(format!("the lanes could not start: {err}"));
        }
        loop {
            if let Some(lane) = state.free.pop() {
                return Ok(Lease { lanes: self, lane: Some(lane) });
            }
            state = self.returned.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Closes every browser and stops every server.
    pub fn close(&self) {
        let lanes = std::mem::take(&mut self.lock().free);
        for lane in lanes {
            let Lane { browser, _app, .. } = lane;
            if let Err(err) = RUNTIME.block_on(browser.close()) {
                eprintln!("e2e: {err:#}");
            }
        }
    }
}

/// The app built once, then `count` lanes: each its own seed server and browser.
fn start(count: usize) -> Result<Vec<Lane>> {
    AppUnderTest::build()?;
    (0..count)
        .map(|index| {
            let app = AppUnderTest::serve(&["--profile", "seed"], &format!("api-lane-{index}.log"))?;
            let browser = RUNTIME.block_on(Browser::start())?;
            println!("e2e: lane {index}: Chromium against {}", app.url);
            Ok(Lane { index, browser, url: app.url.clone(), _app: app })
        })
        .collect()
}

/// A lane taken by a trial: given back when dropped, even if the trial panicked.
struct Lease<'a> {
    lanes: &'a Lanes,
    lane: Option<Lane>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(lane) = self.lane.take() {
            self.lanes.lock().free.push(lane);
            self.lanes.returned.notify_one();
        }
    }
}
