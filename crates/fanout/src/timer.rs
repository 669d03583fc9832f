//! Sleeping, injected: the engine waits only through a [`Timer`], so tests run
//! on a [`VirtualTimer`] and never sleep for real.

use std::{
    cell::RefCell,
    future::Future,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll, Waker},
    time::Duration,
};

use futures::{
    executor::LocalPool,
    future::{FutureExt, LocalBoxFuture},
    task::LocalSpawnExt,
};

use crate::Clock;

/// A clock that can also wait.
pub trait Timer: Clock {
    /// Completes once `duration` has passed on this timer's clock.
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()>;
}

impl<T: Timer + ?Sized> Timer for &T {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        (**self).sleep(duration)
    }
}

/// Virtual time for tests: it stands still until [`VirtualTimer::advance`]
/// moves it, and [`VirtualTimer::run`] drives a future to completion by jumping
/// to each next deadline whenever nothing else can make progress.
///
/// ```
/// use std::time::Duration;
/// use fanout::{Clock, Timer, VirtualTimer};
/// let timer = VirtualTimer::new();
/// let t = timer.clone();
/// let waited = timer.run(async move {
///     t.sleep(Duration::from_secs(3)).await;
///     t.now()
/// });
/// assert_eq!(waited, Duration::from_secs(3));
/// ```
#[derive(Debug, Clone, Default)]
pub struct VirtualTimer {
    state: Rc<RefCell<VirtualState>>,
}

#[derive(Debug, Default)]
struct VirtualState {
    now: Duration,
    /// Pending sleeps: deadline and the waker of the task waiting on it.
    sleepers: Vec<(Duration, Waker)>,
}

impl VirtualTimer {
    /// A timer standing at zero.
    pub fn new() -> Self {
        VirtualTimer::default()
    }

    /// Moves time forward by `by`, waking every sleep that is due.
    pub fn advance(&self, by: Duration) {
        let due: Vec<Waker> = {
            let mut state = self.state.borrow_mut();
            state.now += by;
            let now = state.now;
            let (due, later) = std::mem::take(&mut state.sleepers).into_iter().partition(|(at, _)| *at <= now);
            state.sleepers = later;
            due.into_iter().map(|(_, waker)| waker).collect()
        };
        due.into_iter().for_each(Waker::wake);
    }

    /// The earliest pending deadline, if any task sleeps.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.state.borrow().sleepers.iter().map(|(at, _)| *at).min()
    }

    /// Runs `future` on a single-threaded executor; whenever it stalls, jumps
    /// to the next deadline. Panics if it stalls with nothing asleep (a
    /// deadlock in virtual time).
    pub fn run<T: 'static>(&self, future: impl Future<Output = T> + 'static) -> T {
        let mut pool = LocalPool::new();
        let output = Rc::new(RefCell::new(None));
        let slot = output.clone();
        pool.spawner()
            .spawn_local(future.map(move |value| *slot.borrow_mut() = Some(value)))
            .expect("a fresh local pool accepts tasks");
        loop {
            pool.run_until_stalled();
            if let Some(value) = output.borrow_mut().take() {
                return value;
            }
            let next = self.next_deadline().expect("stalled with nothing asleep: a deadlock");
            let now = self.now();
            self.advance(next.saturating_sub(now));
        }
    }
}

impl Clock for VirtualTimer {
    fn now(&self) -> Duration {
        self.state.borrow().now
    }
}

impl Timer for VirtualTimer {
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        let deadline = self.now() + duration;
        VirtualSleep { deadline, state: self.state.clone() }.boxed_local()
    }
}

/// One virtual sleep.
struct VirtualSleep {
    deadline: Duration,
    state: Rc<RefCell<VirtualState>>,
}

impl Future for VirtualSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        if state.now >= self.deadline {
            return Poll::Ready(());
        }
        state.sleepers.push((self.deadline, cx.waker().clone()));
        Poll::Pending
    }
}
