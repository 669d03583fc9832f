//! What the server has seen: requests per endpoint, requests in flight (and
//! the most at once), and requests their clients abandoned.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use market::ServerStats;

use crate::latency::Endpoint;

/// Counters shared by every request.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    requests: [AtomicU64; Endpoint::ALL.len()],
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    aborted: AtomicU64,
}

impl Stats {
    /// Counts a request to `endpoint` as arrived and in flight until the
    /// returned guard is finished or dropped.
    pub(crate) fn arrive(self: &Arc<Self>, endpoint: Endpoint) -> InFlight {
        self.requests[endpoint as usize].fetch_add(1, Ordering::Relaxed);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight { stats: self.clone(), finished: false }
    }

    /// The counters now.
    pub(crate) fn snapshot(&self) -> ServerStats {
        let requests: BTreeMap<String, u64> = Endpoint::ALL
            .iter()
            .map(|e| (e.name().to_owned(), self.requests[*e as usize].load(Ordering::Relaxed)))
            .collect();
        ServerStats {
            requests,
            in_flight: self.in_flight.load(Ordering::SeqCst),
            max_in_flight: self.max_in_flight.load(Ordering::SeqCst),
            aborted: self.aborted.load(Ordering::Relaxed),
        }
    }

    /// Zeroes the counters; `max_in_flight` restarts from what is in flight now.
    pub(crate) fn reset(&self) {
        for counter in &self.requests {
            counter.store(0, Ordering::Relaxed);
        }
        self.max_in_flight.store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
        self.aborted.store(0, Ordering::Relaxed);
    }
}

/// One request in flight. Dropped before [`InFlight::finish`], it counts as
/// aborted: the client went away (or the connection broke) mid-answer.
#[derive(Debug)]
pub(crate) struct InFlight {
    stats: Arc<Stats>,
    finished: bool,
}

impl InFlight {
    /// Keeps the request in flight until `body` has been sent in full. The
    /// body keeps its size, so answers still carry `content-length`.
    pub(crate) fn until_sent(mut self, body: Body) -> Body {
        if http_body::Body::is_end_stream(&body) {
            self.finished = true;
        }
        Body::new(Tracked { inner: body, guard: Some(self) })
    }
}

/// A response body that finishes its request's [`InFlight`] when the last of
/// it has been handed to the connection.
struct Tracked {
    inner: Body,
    guard: Option<InFlight>,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let poll = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        let done = match &poll {
            std::task::Poll::Ready(None) => true,
            std::task::Poll::Ready(Some(Ok(_))) => self.inner.is_end_stream(),
            _ => false,
        };
        if done && let Some(mut guard) = self.guard.take() {
            guard.finished = true;
        }
        poll
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.stats.in_flight.fetch_sub(1, Ordering::SeqCst);
        if !self.finished {
            self.stats.aborted.fetch_add(1, Ordering::Relaxed);
        }
    }
}
