//! Three ways to run the CPU-heavy [`job`](crate::lab::job) from a page:
//! inline (the event loop freezes until it ends), in slices that yield to
//! the event loop between them, and in a Web Worker (the browser's
//! `asyncio.to_thread`: Rust compiled to a second wasm module that trunk
//! builds from `src/bin/worker.rs`).

use std::{fmt, time::Duration};

use gloo_worker::{Spawnable, oneshot::oneshot};

use crate::lab::job::{self, JobSpec, JobSummary};

/// Where the worker's script lives (trunk's `data-type="worker"` output).
pub const WORKER_SCRIPT: &str = "/worker.js";
/// How long a slice may run before it yields to the event loop: well under
/// a frame's 16 ms, so frames keep coming.
pub const SLICE: Duration = Duration::from_millis(8);

/// How the job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// On the event loop in one go.
    Inline,
    /// On the event loop, yielding every [`SLICE`].
    Sliced,
    /// In a Web Worker.
    Worker,
}

impl Mode {
    /// Every mode, in the order the lab shows them.
    pub const ALL: [Mode; 3] = [Mode::Inline, Mode::Sliced, Mode::Worker];

    /// A short name for buttons, tables and test ids.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Inline => "inline",
            Mode::Sliced => "sliced",
            Mode::Worker => "worker",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The worker: the job, off the page's thread.
#[oneshot]
pub async fn IndicatorWorker(spec: JobSpec) -> JobSummary {
    job::run(&spec)
}

/// Why the job could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OffloadError {
    /// The browser refused to start the worker (no worker support, or a
    /// Content-Security-Policy without `worker-src 'self' blob:`).
    #[error("the browser would not start the worker ({0}); the job can still run inline or in slices")]
    WorkerRefused(String),
}

/// Runs the job in `mode` and returns its summary.
pub async fn run(mode: Mode, spec: JobSpec) -> Result<JobSummary, OffloadError> {
    match mode {
        Mode::Inline => Ok(job::run(&spec)),
        Mode::Sliced => Ok(sliced(spec).await),
        Mode::Worker => {
            can_start_a_worker().map_err(|e| OffloadError::WorkerRefused(format!("{e:?}")))?;
            let mut bridge = IndicatorWorker::spawner().as_module(false).spawn(WORKER_SCRIPT);
            Ok(bridge.run(spec).await)
        }
    }
}

/// gloo-worker panics when `new Worker` throws, so first start (and stop) an
/// empty worker the same way it does: from a `blob:` URL.
fn can_start_a_worker() -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&"".into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let worker = web_sys::Worker::new(&url);
    let _ = web_sys::Url::revoke_object_url(&url);
    worker?.terminate();
    Ok(())
}

/// The job in slices of about [`SLICE`], yielding to the event loop between
/// them (a `setTimeout(0)`: the browser draws and handles input meanwhile).
async fn sliced(spec: JobSpec) -> JobSummary {
    let mut facts = Vec::with_capacity(spec.symbols);
    let mut slice_start = web_time::Instant::now();
    for index in 0..spec.symbols {
        facts.push(job::analyse(&spec, index));
        if slice_start.elapsed() >= SLICE {
            gloo_timers::future::TimeoutFuture::new(0).await;
            slice_start = web_time::Instant::now();
        }
    }
    job::summarise(&spec, &facts)
}
