//! The market API, as typed async functions: every byte the app sends or
//! receives goes through [`ApiClient`], and every failure is a [`FetchError`].

mod client;
pub mod day_budget;
mod direct;
pub mod early;
mod error;

pub use client::{ApiClient, Batch, DEMO_KEY, MAX_BODY_BYTES, PORTFOLIO_PATH, batch_path, checked, quote_path};
pub use direct::Direct;
pub use error::FetchError;
