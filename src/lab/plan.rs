//! What the lab runs and what it should cost: strategies, cases, and the
//! ideal wall time (the critical path) each one is measured against. Pure,
//! so it is tested natively.

use std::{fmt, str::FromStr, time::Duration};

use crate::state::batching::{CALLS_PER_ROUND, MAX_BATCH};

/// At most this many symbols per call of the batch endpoint (the API's limit).
pub const BATCH_SIZE: usize = MAX_BATCH;
/// Connections a browser opens to one host over HTTP/1.1.
pub const HTTP1_CONNECTIONS: usize = 6;
/// Streams Chromium keeps in flight on one HTTP/2 connection.
pub const HTTP2_STREAMS: usize = 256;
/// The most requests one lab case may send.
pub const MAX_N: usize = 1000;

/// How the lab sends N quote requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// One after another (the article's `requests` loop).
    Sequential,
    /// All at once: `join_all` (the article's `asyncio.gather`).
    JoinAll,
    /// At most k in flight (the article's `Semaphore(k)`).
    Bounded(usize),
    /// The batch endpoint, up to [`BATCH_SIZE`] symbols a call, all calls at once.
    Batched,
    /// The dashboard's refresh: up to six quotes one by one, more in calls
    /// of the batch endpoint sized to fly in one round
    /// ([`crate::state::batching`]), through its engine and policy.
    Refresh,
}

impl Strategy {
    /// Every kind, with k = 6 for the bounded one.
    pub const ALL: [Strategy; 5] =
        [Strategy::Sequential, Strategy::JoinAll, Strategy::Bounded(6), Strategy::Batched, Strategy::Refresh];

    /// How many HTTP requests it sends for `n` quotes.
    pub fn requests(self, n: usize) -> usize {
        match self {
            Strategy::Batched => n.div_ceil(BATCH_SIZE),
            Strategy::Refresh => n.div_ceil(n.div_ceil(CALLS_PER_ROUND).clamp(1, MAX_BATCH)),
            _ => n,
        }
    }

    /// Whether it may run `n` requests of `latency` in a minute (sequential
    /// runs are skipped past that, as the benchmark does).
    pub fn fits_a_minute(self, n: usize, latency: Duration) -> bool {
        self != Strategy::Sequential || latency.saturating_mul(n as u32) <= Duration::from_secs(60)
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::Sequential => f.write_str("sequential"),
            Strategy::JoinAll => f.write_str("join_all"),
            Strategy::Bounded(k) => write!(f, "bounded({k})"),
            Strategy::Batched => f.write_str("batched"),
            Strategy::Refresh => f.write_str("refresh"),
        }
    }
}

/// A strategy name the lab does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown strategy {0:?}: use sequential, join_all, bounded(k) with k ≥ 1, or batched")]
pub struct UnknownStrategy(pub String);

impl FromStr for Strategy {
    type Err = UnknownStrategy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim().to_ascii_lowercase();
        let bounded = name.strip_prefix("bounded(").and_then(|rest| rest.strip_suffix(')'));
        match (name.as_str(), bounded) {
            ("sequential", _) => Ok(Strategy::Sequential),
            ("join_all" | "joinall", _) => Ok(Strategy::JoinAll),
            ("batched", _) => Ok(Strategy::Batched),
            ("refresh", _) => Ok(Strategy::Refresh),
            (_, Some(k)) => match k.trim().parse::<usize>() {
                Ok(k) if k >= 1 => Ok(Strategy::Bounded(k)),
                _ => Err(UnknownStrategy(s.to_owned())),
            },
            _ => Err(UnknownStrategy(s.to_owned())),
        }
    }
}

/// The protocol the browser used, as resource timing's `nextHopProtocol` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `http/1.1` (or `http/1.0`): six connections per host.
    Http1,
    /// `h2` or `h3`: one connection, many streams.
    Http2,
}

impl Protocol {
    /// From a `nextHopProtocol` value (`None` for an empty or unknown one).
    pub fn from_next_hop(value: &str) -> Option<Protocol> {
        match value {
            "h2" | "h3" => Some(Protocol::Http2),
            v if v.starts_with("http/1") => Some(Protocol::Http1),
            _ => None,
        }
    }

    /// Requests one host carries at once over this protocol.
    pub fn in_flight(self) -> usize {
        match self {
            Protocol::Http1 => HTTP1_CONNECTIONS,
            Protocol::Http2 => HTTP2_STREAMS,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Http1 => "HTTP/1.1",
            Protocol::Http2 => "HTTP/2",
        })
    }
}

/// What one lab run asks the server for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// N quotes, each answered after `latency`.
    Quotes {
        /// How many quotes.
        n: usize,
        /// The server's latency per request.
        latency: Duration,
    },
    /// N quotes, each answered after the server's own latency profile
    /// (`--profile`: `realistic` is log-normal, median 80 ms, p99 800 ms):
    /// no ideal to compare with, only the wall time and the spread.
    Profile {
        /// How many quotes.
        n: usize,
    },
    /// The article's `APIBroker`: a history (1.5 s) and the portfolio (0.5 s).
    Broker,
}

impl Workload {
    /// How many quotes (or broker requests) it fetches.
    pub fn items(self) -> usize {
        match self {
            Workload::Quotes { n, .. } | Workload::Profile { n } => n,
            Workload::Broker => 2,
        }
    }
}

/// The broker's history latency (the article's 1.5 s).
pub const BROKER_HISTORY: Duration = Duration::from_millis(1500);
/// The broker's portfolio latency (the article's 0.5 s).
pub const BROKER_PORTFOLIO: Duration = Duration::from_millis(500);

/// One strategy over one workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    /// What is fetched.
    pub workload: Workload,
    /// How.
    pub strategy: Strategy,
}

impl Case {
    /// The shortest wall time physics allows under `protocol`: every round of
    /// requests the browser can carry at once costs one latency.
    ///
    /// - sequential: N · L;
    /// - `join_all`: ceil(N / c) · L, c = 6 over HTTP/1.1, 256 over HTTP/2;
    /// - bounded(k): ceil(N / min(k, c)) · L;
    /// - batched: ceil(ceil(N / 100) / c) · L (L for up to 100 · c quotes).
    ///
    /// The broker's two requests cost their sum one after another and the
    /// longer one together. Under the server's profile the latencies are
    /// drawn, so there is no ideal: zero.
    pub fn ideal(&self, protocol: Protocol) -> Duration {
        let (n, latency) = match self.workload {
            Workload::Profile { .. } => return Duration::ZERO,
            Workload::Broker => {
                return match self.strategy {
                    Strategy::Sequential | Strategy::Bounded(1) => BROKER_HISTORY + BROKER_PORTFOLIO,
                    _ => BROKER_HISTORY.max(BROKER_PORTFOLIO),
                };
            }
            Workload::Quotes { n, latency } => (n, latency),
        };
        let in_flight = match self.strategy {
            Strategy::Sequential => 1,
            Strategy::Bounded(k) => k.min(protocol.in_flight()),
            Strategy::JoinAll | Strategy::Batched | Strategy::Refresh => protocol.in_flight(),
        };
        let rounds = self.strategy.requests(n).div_ceil(in_flight.max(1));
        latency.saturating_mul(rounds as u32)
    }
}

/// One finished run of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// What ran.
    pub case: Case,
    /// The protocol the browser used (`None` if it could not tell).
    pub protocol: Option<Protocol>,
    /// From the first request to the last answer.
    pub wall: Duration,
    /// Quotes (or broker requests) that failed.
    pub errors: usize,
    /// HTTP requests sent.
    pub requests: usize,
}

impl Measurement {
    /// The ideal wall time under the protocol used (HTTP/1.1 if unknown: the
    /// slower assumption, so a ratio is never flattered).
    pub fn ideal(&self) -> Duration {
        self.case.ideal(self.protocol.unwrap_or(Protocol::Http1))
    }

    /// Wall time over the ideal: 1.0 is the physical limit (NaN without one).
    pub fn over_ideal(&self) -> f64 {
        let ideal = self.ideal().as_secs_f64();
        if ideal > 0.0 { self.wall.as_secs_f64() / ideal } else { f64::NAN }
    }

    /// Quotes (or broker requests) answered per second.
    pub fn per_second(&self) -> f64 {
        let items = self.case.workload.items();
        let wall = self.wall.as_secs_f64();
        if wall > 0.0 { items as f64 / wall } else { f64::INFINITY }
    }
}

/// A named starting point: the article's two experiments.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// What the button says.
    pub name: &'static str,
    /// The workload.
    pub workload: Workload,
    /// The strategies compared.
    pub strategies: Vec<Strategy>,
}

/// The article's experiments: five tickers at 1 s each (5 s one after another,
/// 1 s together) and the broker (2.0 s one after another, 1.5 s together).
pub fn presets() -> Vec<Preset> {
    vec![
        Preset {
            name: "5 tickers × 1 s",
            workload: Workload::Quotes { n: 5, latency: Duration::from_secs(1) },
            strategies: vec![Strategy::Sequential, Strategy::JoinAll],
        },
        Preset {
            name: "history 1.5 s + portfolio 0.5 s",
            workload: Workload::Broker,
            strategies: vec![Strategy::Sequential, Strategy::JoinAll],
        },
    ]
}

/// The N of a sweep, capped at `max`: enough points for a curve on a log axis.
pub fn sweep(max: usize) -> Vec<usize> {
    let max = max.clamp(1, MAX_N);
    let mut ns: Vec<usize> = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].into_iter().filter(|&n| n < max).collect();
    ns.push(max);
    ns
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Duration = Duration::from_millis(200);

    fn quotes(n: usize, strategy: Strategy) -> Case {
        Case { workload: Workload::Quotes { n, latency: L }, strategy }
    }

    #[test]
    fn the_ideals_are_the_critical_paths_of_the_issue() {
        use Protocol::*;
        assert_eq!(quotes(100, Strategy::Sequential).ideal(Http2), L * 100);
        assert_eq!(quotes(100, Strategy::JoinAll).ideal(Http1), L * 17, "ceil(100 / 6) rounds");
        assert_eq!(quotes(100, Strategy::JoinAll).ideal(Http2), L);
        assert_eq!(quotes(1000, Strategy::JoinAll).ideal(Http2), L * 4, "256 streams at once");
        assert_eq!(quotes(100, Strategy::Bounded(10)).ideal(Http2), L * 10);
        assert_eq!(quotes(100, Strategy::Bounded(10)).ideal(Http1), L * 17, "k is capped by 6 connections");
        assert_eq!(quotes(1000, Strategy::Batched).ideal(Http2), L, "ten calls at once");
        assert_eq!(quotes(1000, Strategy::Batched).ideal(Http1), L * 2, "ten calls over six connections");
        assert_eq!(quotes(5, Strategy::Refresh).ideal(Http1), L, "five quotes, one by one, in one round");
        assert_eq!(quotes(100, Strategy::Refresh).ideal(Http1), L, "six calls of 17 or fewer");
        assert_eq!(quotes(1000, Strategy::Refresh).ideal(Http2), L);
        assert_eq!(Strategy::Refresh.requests(5), 5);
        assert_eq!(Strategy::Refresh.requests(100), 6);
        assert_eq!(Strategy::Refresh.requests(1000), 10);
        let broker = |strategy| Case { workload: Workload::Broker, strategy };
        assert_eq!(broker(Strategy::Sequential).ideal(Http1), Duration::from_millis(2000));
        assert_eq!(broker(Strategy::JoinAll).ideal(Http1), Duration::from_millis(1500));
        let profile = Case { workload: Workload::Profile { n: 100 }, strategy: Strategy::JoinAll };
        assert_eq!(profile.ideal(Http2), Duration::ZERO, "drawn latencies: no ideal");
        let measured = Measurement { case: profile, protocol: None, wall: L, errors: 0, requests: 100 };
        assert!(measured.over_ideal().is_nan());
        assert_eq!(profile.workload.items(), 100);
    }

    #[test]
    fn a_measurement_reports_its_ratio_and_rate() {
        let m = Measurement {
            case: quotes(100, Strategy::JoinAll),
            protocol: Some(Protocol::Http2),
            wall: Duration::from_millis(230),
            errors: 0,
            requests: 100,
        };
        assert!((m.over_ideal() - 1.15).abs() < 1e-9);
        assert!((m.per_second() - 100.0 / 0.23).abs() < 1e-6);
        let unknown = Measurement { protocol: None, ..m };
        assert_eq!(unknown.ideal(), L * 17, "an unknown protocol is taken as HTTP/1.1");
    }

    #[test]
    fn strategies_round_trip_through_their_names() {
        for strategy in
            [Strategy::Sequential, Strategy::JoinAll, Strategy::Bounded(12), Strategy::Batched, Strategy::Refresh]
        {
            assert_eq!(strategy.to_string().parse::<Strategy>(), Ok(strategy));
        }
        assert!("bounded(0)".parse::<Strategy>().is_err());
        assert!("bounded(x)".parse::<Strategy>().is_err());
        assert!("fast".parse::<Strategy>().is_err());
    }

    #[test]
    fn sequential_runs_past_a_minute_are_skipped() {
        assert!(Strategy::Sequential.fits_a_minute(100, L));
        assert!(!Strategy::Sequential.fits_a_minute(1000, L));
        assert!(Strategy::JoinAll.fits_a_minute(1000, Duration::from_secs(1)));
    }

    #[test]
    fn a_sweep_ends_at_its_maximum() {
        assert_eq!(sweep(100), [1, 2, 5, 10, 20, 50, 100]);
        assert_eq!(sweep(7), [1, 2, 5, 7]);
        assert_eq!(*sweep(5000).last().unwrap(), MAX_N);
        assert_eq!(Protocol::from_next_hop("h2"), Some(Protocol::Http2));
        assert_eq!(Protocol::from_next_hop("http/1.1"), Some(Protocol::Http1));
        assert_eq!(Protocol::from_next_hop(""), None);
    }
}
