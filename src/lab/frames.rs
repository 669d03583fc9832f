//! A live frame-time meter: the time between animation frames (a frozen
//! event loop shows as one long frame) and the browser's long tasks (over
//! 50 ms, from a `PerformanceObserver`).
//!
//! Written over web-sys by hand: leptos-use's `use_raf_fn` would pull the
//! whole leptos-use crate into the bundle, and no crate observes long tasks.

use std::{cell::RefCell, rc::Rc};

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};

/// What the meter saw over a stretch of time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FrameStats {
    /// Frames drawn.
    pub frames: u32,
    /// The longest gap between two frames, in ms.
    pub longest_frame_ms: f64,
    /// Long tasks the browser reported.
    pub long_tasks: u32,
    /// The longest of them, in ms.
    pub longest_task_ms: f64,
}

impl FrameStats {
    fn frame(&mut self, ms: f64) {
        self.frames += 1;
        self.longest_frame_ms = self.longest_frame_ms.max(ms);
    }

    fn long_task(&mut self, ms: f64) {
        self.long_tasks += 1;
        self.longest_task_ms = self.longest_task_ms.max(ms);
    }
}

/// The long-task observer and the callback it calls (kept alive together).
type LongTaskObserver = (web_sys::PerformanceObserver, Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>);

#[derive(Default)]
struct Inner {
    last_frame: Option<f64>,
    /// Since the last `mark`.
    window: FrameStats,
    /// The current second, shown live.
    second: FrameStats,
    second_started: f64,
    raf_id: Option<i32>,
    raf: Option<Closure<dyn FnMut(f64)>>,
    observer: Option<LongTaskObserver>,
}

/// The meter. Cheap to copy; it stops when its owner (the view) is cleaned up.
#[derive(Clone, Copy)]
pub struct FrameMeter {
    /// The last full second: frames, longest frame, long tasks.
    pub live: RwSignal<FrameStats>,
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
}

impl FrameMeter {
    /// Starts measuring now, until the current reactive owner is cleaned up.
    pub fn start() -> FrameMeter {
        let meter =
            FrameMeter { live: RwSignal::new(FrameStats::default()), inner: StoredValue::new_local(Rc::default()) };
        let inner = meter.inner.get_value();
        let live = meter.live;
        let for_frames = Rc::downgrade(&inner);
        let raf = Closure::<dyn FnMut(f64)>::new(move |now: f64| {
            let Some(inner) = for_frames.upgrade() else { return };
            let mut state = inner.borrow_mut();
            if let Some(last) = state.last_frame {
                state.window.frame(now - last);
                state.second.frame(now - last);
            }
            state.last_frame = Some(now);
            if now - state.second_started >= 1000.0 {
                live.try_set(state.second);
                state.second = FrameStats::default();
                state.second_started = now;
            }
            state.raf_id = state.raf.as_ref().and_then(request_frame);
        });
        {
            let mut state = inner.borrow_mut();
            state.raf_id = request_frame(&raf);
            state.raf = Some(raf);
            state.observer = observe_long_tasks(&inner);
        }
        on_cleanup(move || meter.stop());
        meter
    }

    /// Starts a new window of statistics (for one run of the job).
    pub fn mark(&self) {
        // The frame in progress keeps its start: a freeze right after the
        // mark still counts in full.
        self.with(|state| state.window = FrameStats::default());
    }

    /// What was seen since the last [`FrameMeter::mark`].
    pub fn since_mark(&self) -> FrameStats {
        self.with(|state| state.window).unwrap_or_default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> Option<T> {
        self.inner.try_with_value(|inner| f(&mut inner.borrow_mut()))
    }

    fn stop(&self) {
        self.with(|state| {
            if let (Some(id), Some(window)) = (state.raf_id.take(), web_sys::window()) {
                let _ = window.cancel_animation_frame(id);
            }
            state.raf = None;
            if let Some((observer, _)) = state.observer.take() {
                observer.disconnect();
            }
        });
    }
}

fn request_frame(callback: &Closure<dyn FnMut(f64)>) -> Option<i32> {
    web_sys::window()?.request_animation_frame(callback.as_ref().unchecked_ref()).ok()
}

/// Counts the browser's long tasks into the meter (browsers without the
/// `longtask` entry type just report none).
fn observe_long_tasks(inner: &Rc<RefCell<Inner>>) -> Option<LongTaskObserver> {
    let weak = Rc::downgrade(inner);
    let callback = Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList)>::new(
        move |list: web_sys::PerformanceObserverEntryList| {
            let Some(inner) = weak.upgrade() else { return };
            let mut state = inner.borrow_mut();
            for entry in list.get_entries().iter() {
                if let Ok(entry) = entry.dyn_into::<web_sys::PerformanceEntry>() {
                    state.window.long_task(entry.duration());
                    state.second.long_task(entry.duration());
                }
            }
        },
    );
    let observer = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let options = web_sys::PerformanceObserverInit::new(&js_sys::Array::of1(&"longtask".into()));
    observer.observe(&options);
    Some((observer, callback))
}
