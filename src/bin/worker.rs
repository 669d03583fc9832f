//! The lab's Web Worker: registers the CPU-heavy job so the page can hand it
//! off (`tickerboard::lab::offload`). trunk builds it from `index.html`'s
//! `data-type="worker"` link into `worker.js` and `worker_bg.wasm`.

use gloo_worker::Registrable;
use tickerboard::lab::offload::IndicatorWorker;

fn main() {
    console_error_panic_hook::set_once();
    IndicatorWorker::registrar().register();
}
