//! The market API server: `/api/v1` over a deterministic simulated market.
//!
//! [`app`] builds the whole service as an axum [`Router`](axum::Router) from a
//! [`Config`], with no socket, so tests drive it with `oneshot`; `main.rs` only
//! parses flags, binds and serves.
//!
//! - [`config`]: latency profiles, failing symbols, API keys, the built app to serve.
//! - `routes`: one handler per resource (quotes, history, portfolio).
//! - `auth`: Bearer keys. `error`: JSON errors with the right status.

mod auth;
pub mod config;
mod error;
mod routes;

pub use config::{Config, Endpoint, LatencyProfile};
pub use routes::app;
