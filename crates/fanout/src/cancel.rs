//! Cancellation: a token shared by every request of a batch. Cancelling stops
//! what is in flight (its future is dropped, which aborts a browser fetch) and
//! starts nothing more; each request reports `Cancelled`.
//!
//! Written by hand: it must wake many single-threaded (non-`Send`) futures at
//! once and be checked without waiting; `futures`' `AbortHandle` cancels one
//! future, and a dropped sender would cancel a batch whose handle was simply
//! not kept.

use std::{
    cell::{Cell, RefCell},
    future::Future,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll, Waker},
};

/// Cancels a batch. Clones share one state.
///
/// ```
/// use fanout::CancelToken;
/// let token = CancelToken::new();
/// let same = token.clone();
/// token.cancel();
/// assert!(same.is_cancelled());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    state: Rc<CancelState>,
}

#[derive(Debug, Default)]
struct CancelState {
    cancelled: Cell<bool>,
    waiting: RefCell<Vec<Waker>>,
}

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Cancels: wakes everything waiting on [`CancelToken::cancelled`].
    pub fn cancel(&self) {
        self.state.cancelled.set(true);
        for waker in self.state.waiting.borrow_mut().drain(..) {
            waker.wake();
        }
    }

    /// Whether [`CancelToken::cancel`] has been called.
    pub fn is_cancelled(&self) -> bool {
        self.state.cancelled.get()
    }

    /// Completes once the token is cancelled.
    pub fn cancelled(&self) -> Cancelled {
        Cancelled { state: self.state.clone() }
    }
}

/// The future of [`CancelToken::cancelled`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Cancelled {
    state: Rc<CancelState>,
}

impl Future for Cancelled {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.cancelled.get() {
            return Poll::Ready(());
        }
        // One waker per task: a future polled again must not grow the list
        // (a batch's token lives as long as the batch; a page's, for hours).
        let mut waiting = self.state.waiting.borrow_mut();
        if !waiting.iter().any(|w| w.will_wake(cx.waker())) {
            waiting.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use std::{future::Future, pin::pin, task::Context};

    use super::*;

    #[test]
    fn polling_again_keeps_one_waker_per_task_and_cancel_wakes_it() {
        let token = CancelToken::new();
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut first = pin!(token.cancelled());
        let mut second = pin!(token.cancelled());
        for _ in 0..1000 {
            assert!(first.as_mut().poll(&mut cx).is_pending());
            assert!(second.as_mut().poll(&mut cx).is_pending());
        }
        assert_eq!(token.state.waiting.borrow().len(), 1, "a thousand polls by one task, one waker");
        token.cancel();
        assert!(first.as_mut().poll(&mut cx).is_ready());
        assert!(token.state.waiting.borrow().is_empty());
    }
}
