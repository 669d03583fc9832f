//! The report's plan and its arithmetic: which cases run (N quotes at latency
//! L), how many times, and each client's ideal wall time — the critical path,
//! ceil(N / at once) · L, with "at once" the browser's streams per host or the
//! peer's own limit.

use std::{fmt, time::Duration};

use serde::{Deserialize, Serialize};

/// Quotes per call of the batch endpoint.
pub const BATCH: usize = 100;
/// aiohttp's default connection limit.
pub const AIOHTTP_LIMIT: usize = 100;

/// The protocols a case runs over, named as the report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(rename = "HTTP/1.1")]
    Http1,
    #[serde(rename = "HTTP/2")]
    Http2,
}

impl Protocol {
    /// `HTTP/1.1` or `HTTP/2`, as the lab and the report name it.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Http1 => "HTTP/1.1",
            Protocol::Http2 => "HTTP/2",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// Which cases to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Each case's N (quotes) and L (latency, ms).
    pub cases: Vec<(usize, u64)>,
    /// Runs longer than this (by their ideal) are skipped.
    pub max_ideal: Duration,
    /// Runs per case, when not chosen by the case's ideal.
    runs: Option<usize>,
}

impl Plan {
    /// N ∈ {5, 100, 1000} × L ∈ {0, 200 ms, 1 s}; nothing whose ideal is
    /// over a minute (sequential only where N·L ≤ 60 s).
    pub fn full() -> Plan {
        let cases = [5, 100, 1000].into_iter().flat_map(|n| [0, 200, 1000].map(|l| (n, l))).collect();
        Plan { cases, max_ideal: Duration::from_secs(60), runs: None }
    }

    /// The article's 5 × 1 s and N = 100 at 200 ms, nothing over 6 s, one
    /// run each: under three minutes.
    pub fn quick() -> Plan {
        Plan { cases: vec![(5, 1000), (100, 200)], max_ideal: Duration::from_secs(6), runs: Some(1) }
    }

    /// The plan's runs per case, or the median of three when a run's ideal
    /// is at most 5 s, else one.
    pub fn runs(&self, ideal_ms: f64) -> usize {
        self.runs.unwrap_or(if ideal_ms <= 5000.0 { 3 } else { 1 })
    }
}

/// ceil(a / b) · latency, in ms.
pub fn rounds(requests: usize, at_once: usize, latency_ms: u64) -> f64 {
    (requests.div_ceil(at_once.max(1)) as u64 * latency_ms) as f64
}

/// Streams one host carries at once over `protocol`.
pub fn in_flight(protocol: Protocol) -> usize {
    if protocol == Protocol::Http2 { 256 } else { 6 }
}

/// Calls the dashboard's refresh makes for `n` quotes: one per quote up to
/// six, else six even batches (of at most 100).
pub fn refresh_calls(n: usize) -> usize {
    n.div_ceil(n.div_ceil(6).clamp(1, BATCH))
}

/// The app's lab strategy's ideal.
pub fn lab_ideal(strategy: &str, n: usize, latency_ms: u64, protocol: Protocol) -> f64 {
    match strategy {
        "sequential" => rounds(n, 1, latency_ms),
        "batched" => rounds(n.div_ceil(BATCH), in_flight(protocol), latency_ms),
        "refresh" => rounds(refresh_calls(n), in_flight(protocol), latency_ms),
        _ => rounds(n, in_flight(protocol), latency_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::{Protocol::*, *};

    #[test]
    fn ideals_follow_the_browsers_limits() {
        assert_eq!(lab_ideal("join_all", 100, 200, Http1), 3400.0);
        assert_eq!(lab_ideal("join_all", 100, 200, Http2), 200.0);
        assert_eq!(lab_ideal("batched", 1000, 200, Http2), 200.0);
        assert_eq!(lab_ideal("batched", 1000, 200, Http1), 400.0);
        assert_eq!(lab_ideal("sequential", 5, 1000, Http2), 5000.0);
        assert_eq!(rounds(1000, AIOHTTP_LIMIT, 200), 2000.0);
        assert_eq!(lab_ideal("refresh", 5, 200, Http1), 200.0);
        assert_eq!(lab_ideal("refresh", 100, 200, Http1), 200.0, "six calls of 17");
        assert_eq!(lab_ideal("refresh", 1000, 200, Http1), 400.0, "ten calls of 100");
        assert_eq!(lab_ideal("refresh", 1000, 200, Http2), 200.0);
    }

    #[test]
    fn the_full_plan_skips_runs_over_a_minute() {
        let plan = Plan::full();
        assert_eq!(plan.cases.len(), 9);
        let fits = |ms: f64| ms <= plan.max_ideal.as_secs_f64() * 1e3;
        assert!(fits(lab_ideal("sequential", 100, 200, Http1)), "20 s sequential runs");
        assert!(!fits(lab_ideal("sequential", 1000, 200, Http1)), "200 s does not");
        assert!(!fits(lab_ideal("join_all", 1000, 1000, Http1)), "167 rounds of 1 s do not");
        assert_eq!(plan.runs(200.0), 3);
        assert_eq!(plan.runs(20_000.0), 1);
        assert_eq!(Plan::quick().runs(200.0), 1, "quick: one run each");
    }
}
