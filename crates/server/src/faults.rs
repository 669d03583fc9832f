//! Faults the server injects on purpose, so every failure path of a client can
//! be shown and tested: by header on one request, or at a rate by flag.

use std::{fmt, str::FromStr};

use crate::data_faults::DataFault;

/// Request header that forces a fault on this request (e.g. `hang`).
pub const FAULT_HEADER: &str = "x-tickerboard-fault";
/// Request header that sets this request's latency in milliseconds.
pub const LATENCY_HEADER: &str = "x-tickerboard-latency-ms";

/// One way to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// 500 Internal Server Error.
    Internal,
    /// 503 Service Unavailable.
    Unavailable,
    /// Never answer (until the client gives up).
    Hang,
    /// 429 Too Many Requests with `Retry-After`.
    RateLimited,
    /// 200 with a body cut off in the middle of the JSON.
    Malformed,
    /// 200 with valid JSON of the wrong shape.
    WrongShape,
    /// 200 whose body trickles out over about two seconds.
    Drip,
    /// The connection drops halfway through the body.
    Drop,
    /// 401: the key is refused (as if it had been revoked).
    Unauthorized,
    /// 200 with the answer's data spoiled (see [`DataFault`]).
    Data(DataFault),
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 15] = [
        Fault::Internal,
        Fault::Unavailable,
        Fault::Hang,
        Fault::RateLimited,
        Fault::Malformed,
        Fault::WrongShape,
        Fault::Drip,
        Fault::Drop,
        Fault::Unauthorized,
        Fault::Data(DataFault::Nan),
        Fault::Data(DataFault::Infinity),
        Fault::Data(DataFault::Negative),
        Fault::Data(DataFault::NoPrice),
        Fault::Data(DataFault::ExtraFields),
        Fault::Data(DataFault::Huge),
    ];

    /// The fault's name in headers and flags.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Internal => "500",
            Fault::Unavailable => "503",
            Fault::Hang => "hang",
            Fault::RateLimited => "429",
            Fault::Malformed => "malformed",
            Fault::WrongShape => "wrong-shape",
            Fault::Drip => "drip",
            Fault::Drop => "drop",
            Fault::Unauthorized => "401",
            Fault::Data(data) => data.name(),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fault name that is not one of [`Fault::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown fault {0:?}: use one of 500, 503, hang, 429, malformed, wrong-shape, drip, drop, 401, \
     nan, infinity, negative, no-price, extra-fields, huge"
)]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;

    /// By name, trimmed, in any case (flags); the API takes [`Fault::named`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::named(&s.trim().to_ascii_lowercase())
    }
}

impl Fault {
    /// The fault named exactly `name`, as the API's schema lists them.
    pub fn named(name: &str) -> Result<Fault, UnknownFault> {
        Fault::ALL.into_iter().find(|f| f.name() == name).ok_or_else(|| UnknownFault(name.to_owned()))
    }
}

/// Faults injected at random: each request draws once, and the first fault
/// whose share covers the draw happens. Same seed and order, same faults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    shares: Vec<(Fault, f64)>,
}

/// A `--fault` flag that does not read `KIND=RATE` with a rate in 0..=1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadFaultRate(String);

impl FaultPlan {
    /// Adds `fault` for a `rate` (0 to 1) of requests.
    pub fn with(mut self, fault: Fault, rate: f64) -> Self {
        self.shares.push((fault, rate.clamp(0.0, 1.0)));
        self
    }

    /// Parses `KIND=RATE` (e.g. `hang=0.05`) and adds it.
    pub fn with_flag(self, flag: &str) -> Result<Self, BadFaultRate> {
        let (kind, rate) = flag
            .split_once('=')
            .ok_or_else(|| BadFaultRate(format!("--fault {flag:?}: write KIND=RATE, e.g. 503=0.1")))?;
        let fault = kind.parse::<Fault>().map_err(|e| BadFaultRate(e.to_string()))?;
        let rate = rate
            .parse::<f64>()
            .ok()
            .filter(|r| (0.0..=1.0).contains(r))
            .ok_or_else(|| BadFaultRate(format!("--fault {flag:?}: the rate is a number from 0 to 1")))?;
        Ok(self.with(fault, rate))
    }

    /// The fault for a request whose draw (uniform in 0..1) is `unit`, if any.
    pub fn pick(&self, unit: f64) -> Option<Fault> {
        let mut edge = 0.0;
        for &(fault, share) in &self.shares {
            edge += share;
            if unit < edge {
                return Some(fault);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_named_as_in_headers_and_flags() {
        for fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>(), Ok(fault));
        }
        assert_eq!(" Hang ".parse::<Fault>(), Ok(Fault::Hang));
        assert_eq!("No-Price".parse::<Fault>(), Ok(Fault::Data(DataFault::NoPrice)));
        let unknown = "teapot".parse::<Fault>().unwrap_err().to_string();
        for fault in Fault::ALL {
            assert!(unknown.contains(&format!(" {fault},")) || unknown.ends_with(&format!(" {fault}")), "{unknown}");
        }
    }

    #[test]
    fn a_plan_hands_out_each_fault_for_its_share_of_draws() {
        let plan = FaultPlan::default().with_flag("503=0.1").unwrap().with_flag("hang=0.05").unwrap();
        let picks: Vec<_> = (0..1000).map(|i| plan.pick((f64::from(i) + 0.5) / 1000.0)).collect();
        assert_eq!(picks.iter().filter(|p| **p == Some(Fault::Unavailable)).count(), 100);
        assert_eq!(picks.iter().filter(|p| **p == Some(Fault::Hang)).count(), 50);
        assert_eq!(picks.iter().filter(|p| p.is_none()).count(), 850);
        assert!(FaultPlan::default().with_flag("503").is_err());
        assert!(FaultPlan::default().with_flag("503=2").is_err());
        assert_eq!(FaultPlan::default().pick(0.0), None);
    }
}
