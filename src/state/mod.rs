//! The dashboard's model: what the views show, and the refresh that fills it.
//!
//! Views only read signals; everything that talks to the network lives in
//! [`dashboard::DashboardState::refresh`].

pub mod app;
pub mod batching;
pub mod chart;
pub mod dashboard;
pub mod detail;
pub mod retrying;
pub mod settings;
pub mod store;
pub mod valuation;
pub mod watchlist;
pub mod waterfall;

pub use dashboard::{DashboardState, Loadable, QuoteRow, RefreshSummary};
