//! The concurrency lab: the article's experiments, run for real against the
//! market API and measured against their ideal wall time, plus its cardinal
//! sin — a CPU-heavy job on the event loop — and its remedies.
//!
//! - [`plan`]: strategies, cases, ideal wall times (pure);
//! - [`runner`]: one case through fanout's strategies, in the browser;
//! - [`job`]: the CPU-heavy job (pure);
//! - [`offload`]: running it inline, in slices between yields, or in a worker;
//! - [`frames`]: the frame-time and long-task meter.

pub mod frames;
pub mod job;
pub mod offload;
pub mod plan;
pub mod runner;
