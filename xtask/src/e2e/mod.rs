//! The end-to-end tier: the release build of the app, served by the market
//! API server on one origin, driven in headless Chromium over WebDriver.
//!
//! A libtest harness (`libtest-mimic`): `cargo xtask e2e [FILTER] [--list]
//! [--exact] [--skip S] [--test-threads N]` (or `cargo xtask test --tier e2e
//! -- …`) prints what `cargo test` prints, `test result:` line included.
//! Every trial is named `area::what_it_shows` and runs on a lane of its own
//! (`lanes`): two lanes side by side on two cores, the trials that measure
//! time alone.
//!
//! - `app`: the app under test and its servers; `page`: what trials do to a page;
//! - one module per area: `dashboard`, `views`, `lab`, `protocols`, `first_load`,
//!   `lazy`, `route`, `cancel`, `faults`, `keys`, `providers` (and `day_budget`),
//!   `security`; the soak's three minutes live in `crate::soak`.

pub mod app;
mod cancel;
mod dashboard;
mod day_budget;
mod faults;
mod first_load;
mod keys;
mod lab;
mod lanes;
mod lazy;
pub mod page;
mod protocols;
mod providers;
mod route;
mod security;
mod trial;
mod views;

use std::sync::Arc;

use anyhow::{Result, ensure};

use self::lanes::Lanes;
pub use self::{
    app::AppUnderTest,
    trial::{Console, E2eTrial},
};

/// Every area's trials. They start in this order, those that share the
/// machine first (the long ones first, so that the short ones fill the end),
/// then those that run alone.
fn areas() -> Vec<(&'static str, Vec<E2eTrial>)> {
    vec![
        // Three minutes against its own server, measuring memory and counts,
        // not time: it shares the machine, and starts first, so that the
        // other lane runs most of the rest beside it.
        (
            "soak",
            vec![E2eTrial::new("three_minutes_against_faults", |lane| {
                lane.run(crate::soak::three_minutes(&lane.browser))
            })],
        ),
        ("providers", providers::trials()),
        ("dashboard", dashboard::trials()),
        ("views", views::trials()),
        ("faults", faults::trials()),
        ("lab", lab::trials()),
        ("protocols", protocols::trials()),
        ("first_load", first_load::trials()),
        ("lazy", lazy::trials()),
        ("route", route::trials()),
        ("cancel", cancel::trials()),
        ("keys", keys::trials()),
        ("security", security::trials()),
    ]
}

/// The default number of lanes: one per core, at most two (a third browser
/// on two cores only queues).
fn default_lanes() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 2)
}

/// `cargo xtask e2e …`: runs the trials `args` select (libtest's arguments).
pub fn run(args: &[String]) -> Result<()> {
    let mut arguments =
        libtest_mimic::Arguments::from_iter(std::iter::once("cargo xtask e2e".to_owned()).chain(args.iter().cloned()));
    let count = *arguments.test_threads.get_or_insert_with(default_lanes);
    let lanes = Arc::new(Lanes::new(count));
    let mut named: Vec<(String, E2eTrial)> = areas()
        .into_iter()
        .flat_map(|(area, trials)| trials.into_iter().map(move |trial| (format!("{area}::{}", trial.name), trial)))
        .collect();
    // Those that run alone last: each would otherwise wait for the other
    // lane to finish, leaving it idle.
    named.sort_by_key(|(_, trial)| trial.pace == trial::Pace::Alone);
    let trials = named
        .into_iter()
        .map(|(name, trial)| {
            let lanes = Arc::clone(&lanes);
            let kind = if trial.pace == trial::Pace::Alone { "alone" } else { "" };
            libtest_mimic::Trial::test(name.clone(), move || lanes.run(&name, &trial).map_err(Into::into))
                .with_kind(kind)
        })
        .collect();
    let conclusion = libtest_mimic::run(&arguments, trials);
    lanes.close();
    faults::save_matrix();
    ensure!(!conclusion.has_failed(), "{} of the e2e trials failed", conclusion.num_failed);
    Ok(())
}
