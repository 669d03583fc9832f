//! What an attempt of the engine waits for, and what may cut the wait short:
//! a token of the rate limit, room in the credit budget, and any wait bounded
//! by the attempt's timeout, the batch's deadline and cancellation.

use std::{future::Future, pin::pin, time::Duration};

use futures::{
    FutureExt,
    future::{Either, select},
};

use super::Engine;
use crate::{CancelToken, Failure, Observer, Timer};

/// What interrupted a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Interrupt {
    TimedOut,
    Deadline,
    Cancelled,
}

impl<T: Timer> Engine<T> {
    /// Waits for a token of the rate limit, if there is one.
    pub(super) async fn admit(&self, deadline_at: Option<Duration>, cancel: &CancelToken) -> Result<(), Interrupt> {
        let Some(bucket) = &self.bucket else { return Ok(()) };
        loop {
            let taken = bucket.borrow_mut().take(self.timer.now());
            match taken {
                Ok(()) => return Ok(()),
                Err(wait) => self.bounded(self.timer.sleep(wait), None, deadline_at, cancel).await?,
            }
        }
    }

    /// Spends request `index`'s cost from the credit budget, if there is one,
    /// waiting (and saying so) until the window has room.
    pub(super) async fn spend<E>(
        &self,
        index: usize,
        observer: &dyn Observer<E>,
        deadline_at: Option<Duration>,
        cancel: &CancelToken,
    ) -> Result<(), Interrupt> {
        let Some(ledger) = &self.ledger else { return Ok(()) };
        let cost = observer.cost(index);
        loop {
            let spent = ledger.borrow_mut().spend(cost, self.timer.now());
            match spent {
                Ok(()) => return Ok(()),
                Err(wait) => {
                    observer.waiting_for_credits(index, wait);
                    self.bounded(self.timer.sleep(wait), None, deadline_at, cancel).await?;
                }
            }
        }
    }

    /// Awaits `future` unless the timeout, the deadline or cancellation comes first.
    pub(super) async fn bounded<Fut: Future>(
        &self,
        future: Fut,
        timeout: Option<Duration>,
        deadline_at: Option<Duration>,
        cancel: &CancelToken,
    ) -> Result<Fut::Output, Interrupt> {
        if cancel.is_cancelled() {
            return Err(Interrupt::Cancelled);
        }
        let now = self.timer.now();
        let by_deadline = deadline_at.map(|at| (at.saturating_sub(now), Interrupt::Deadline));
        let by_timeout = timeout.map(|t| (t, Interrupt::TimedOut));
        // The deadline wins a tie: it is the stricter reason.
        let first = [by_deadline, by_timeout].into_iter().flatten().min_by_key(|(wait, _)| *wait);
        let limit = match first {
            Some((wait, why)) => self.timer.sleep(wait).map(move |()| why).boxed_local(),
            None => futures::future::pending().boxed_local(),
        };
        let stop = select(limit, cancel.cancelled().map(|()| Interrupt::Cancelled));
        match select(pin!(future), stop).await {
            Either::Left((output, _)) => Ok(output),
            Either::Right((Either::Left((why, _)) | Either::Right((why, _)), _)) => Err(why),
        }
    }
}

pub(super) fn interrupted<E>(why: Interrupt) -> Failure<E> {
    match why {
        Interrupt::TimedOut => Failure::TimedOut,
        Interrupt::Deadline => Failure::DeadlineExceeded,
        Interrupt::Cancelled => Failure::Cancelled,
    }
}
