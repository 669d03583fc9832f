//! Why a request of an engine batch has no value: its own error after any
//! retries, or the engine's reason (time, deadline, cancellation).

use std::fmt;

/// Why a request of an engine batch has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure<E> {
    /// The request's own error, after any retries.
    Request(E),
    /// Every attempt ran out of time.
    TimedOut,
    /// The batch's deadline passed first.
    DeadlineExceeded,
    /// The batch was cancelled.
    Cancelled,
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Request(err) => err.fmt(f),
            Failure::TimedOut => f.write_str("timed out"),
            Failure::DeadlineExceeded => f.write_str("gave up: the refresh took too long"),
            Failure::Cancelled => f.write_str("cancelled"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Failure<E> {}
