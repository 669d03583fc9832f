//! The market API server: `/api/v1` over a deterministic simulated market,
//! with latency profiles and fault injection.
//!
//! [`app`] builds the whole service as an axum [`Router`](axum::Router) from a
//! [`Config`], with no socket, so tests drive it with `oneshot`; `main.rs` only
//! parses flags, binds and serves: HTTP/1.1, and with [`tls`] HTTP/2 over TLS.
//!
//! - [`config`]: what the server is told at start.
//! - [`latency`]: endpoints and their latency profiles.
//! - `emulate`: Twelve Data and Alpaca emulated under `/emulate`, in their
//!   own formats, with their own keys and budgets ([`EmulatorStats`]).
//! - `provider`: provider mode, quotes and history from Twelve Data or
//!   Alpaca ([`ProviderConfig`]) under one shared budget, cached.
//! - [`faults`]: the faults it can inject, by header or at a rate;
//!   [`data_faults`]: those that spoil the data of a successful answer.
//! - `routes`: one handler module per resource; `simulate`: latency and faults
//!   per request; `state`: what they all share; `auth`: Bearer keys; `rate_limit`: a token bucket per key;
//!   `stats`: `_stats` counters; `error`: JSON errors with the right status,
//!   and `extract`: axum's extractors refusing in the same JSON;
//!   `limits`: the largest URI and body a request may have; `app_files`: the
//!   built app (`--dist`) served as in production (precompressed, cached by
//!   content hash, `index.html` only for the app's own routes).

mod app_files;
mod auth;
pub mod config;
pub mod data_faults;
mod emulate;
mod error;
mod extract;
pub mod faults;
pub mod latency;
mod limits;
mod provider;
pub mod rate_limit;
mod routes;
mod simulate;
mod state;
mod stats;
pub mod tls;

pub use config::{Config, DEMO_KEY, EmulateConfig, ProviderConfig, ProviderKeys};
pub use data_faults::DataFault;
pub use emulate::{EmulatorStats, ProviderStats, WindowStats};
pub use faults::{Fault, FaultPlan};
pub use latency::{Endpoint, Latency, LatencyProfile};
pub use rate_limit::RateLimit;
pub use routes::{CONTENT_SECURITY_POLICY, app};
