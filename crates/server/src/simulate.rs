//! Per-request latency and fault injection, chosen by header or drawn from the
//! server's settings, deterministically by seed and request order.

use std::{sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures::stream;
use market::sim::splitmix;

use crate::{
    data_faults::DataFault,
    error::ApiError,
    faults::{FAULT_HEADER, Fault, LATENCY_HEADER},
    latency::Endpoint,
    state::{AppState, SwitchedFault, mentions},
};

/// The longest latency a header may ask for.
const MAX_HEADER_LATENCY: Duration = Duration::from_secs(120);
/// How long a dripping body takes to trickle out, in pieces.
const DRIP_PIECES: u32 = 20;
const DRIP_PAUSE: Duration = Duration::from_millis(100);
/// `Retry-After` of an injected 429.
const INJECTED_RETRY_AFTER: Duration = Duration::from_secs(2);

/// A number unique to each request, from the seed and the request's order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Draw(pub(crate) u64);

impl Draw {
    /// A uniform number in `0..1` for `purpose`, independent of other purposes.
    fn unit(self, purpose: u64) -> f64 {
        (splitmix(self.0 ^ splitmix(purpose)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Waits the request's latency, then answers normally or with its fault.
pub(crate) async fn simulate(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (Some(&endpoint), Some(&draw)) = (request.extensions().get::<Endpoint>(), request.extensions().get::<Draw>())
    else {
        return Ok(next.run(request).await);
    };
    let latency = match header_value(request.headers(), LATENCY_HEADER) {
        Some(ms) => {
            // Digits only, as the schema's integer: `u64::from_str` would take "+5".
            let digits = !ms.is_empty() && ms.bytes().all(|b| b.is_ascii_digit());
            let ms = if digits { ms.parse::<u64>().ok() } else { None };
            ms.map(Duration::from_millis).filter(|d| *d <= MAX_HEADER_LATENCY).ok_or_else(|| {
                ApiError::BadRequest(format!("{LATENCY_HEADER}: give whole milliseconds up to 120000"))
            })?
        }
        None => state.config.latency.sample(endpoint, draw.0),
    };
    // A data fault switched on for one symbol spoils only that symbol's data.
    let (fault, only) = match header_value(request.headers(), FAULT_HEADER) {
        Some(name) => (Some(Fault::named(name).map_err(|e| ApiError::BadRequest(e.to_string()))?), None),
        None => match switched_fault(&state, endpoint, request.uri()) {
            Some((fault, only)) => (Some(fault), only),
            None => (state.config.faults.pick(draw.unit(1)), None),
        },
    };
    tokio::time::sleep(latency).await;
    let Some(fault) = fault else {
        return Ok(next.run(request).await);
    };
    tracing::info!(%fault, endpoint = endpoint.name(), "injecting a fault");
    match fault {
        Fault::Internal => Err(ApiError::Internal),
        Fault::Unavailable => Err(ApiError::Unavailable),
        Fault::RateLimited => Err(ApiError::RateLimited(INJECTED_RETRY_AFTER)),
        Fault::Unauthorized => Err(ApiError::Unauthorized),
        Fault::Hang => std::future::pending().await,
        Fault::Malformed | Fault::WrongShape | Fault::Drip | Fault::Drop => {
            let response = next.run(request).await;
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| ApiError::Internal)?;
            let body = match fault {
                Fault::Malformed => Body::from(bytes.slice(..bytes.len() / 2)),
                Fault::WrongShape => Body::from([&b"{\"result\":"[..], &bytes, b"}"].concat()),
                Fault::Drip => drip(bytes),
                _ => dropped_halfway(bytes),
            };
            let mut response = Response::from_parts(parts, body);
            response.headers_mut().remove(header::CONTENT_LENGTH);
            response.headers_mut().insert("x-tickerboard-injected", HeaderValue::from_static(fault.name()));
            Ok(response.into_response())
        }
        Fault::Data(data) => spoiled(next.run(request).await, data, only.as_deref()).await,
    }
}

/// A successful answer with `data` applied (only to `only`'s part, if given),
/// sized; any other answer, or one the fault finds nothing to change in, as is.
async fn spoiled(response: Response, data: DataFault, only: Option<&str>) -> Result<Response, ApiError> {
    if !response.status().is_success() {
        return Ok(response);
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| ApiError::Internal)?;
    let Some(rewritten) = data.rewrite(&bytes, only) else {
        return Ok(Response::from_parts(parts, Body::from(bytes)));
    };
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(rewritten.len()));
    parts.headers.insert("x-tickerboard-injected", HeaderValue::from_static(data.name()));
    Ok(Response::from_parts(parts, Body::from(rewritten)))
}

/// The fault `_faults` tripped on `endpoint`, if it applies to this request,
/// with the symbol it is limited to. A data fault applies to every request:
/// it looks for the symbol in the answer (a portfolio's positions, too).
fn switched_fault(state: &AppState, endpoint: Endpoint, uri: &axum::http::Uri) -> Option<SwitchedFault> {
    let switched = state.switched.read().unwrap_or_else(|e| e.into_inner());
    switched.get(&endpoint).cloned().filter(|(fault, only)| match only {
        Some(symbol) => matches!(fault, Fault::Data(_)) || mentions(uri, symbol),
        None => true,
    })
}

fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

/// The body in [`DRIP_PIECES`] pieces, one every [`DRIP_PAUSE`].
fn drip(bytes: Bytes) -> Body {
    let pieces = DRIP_PIECES as usize;
    let edge = |i: usize| bytes.len() * i / pieces;
    let pieces: Vec<Bytes> = (0..pieces).map(|i| bytes.slice(edge(i)..edge(i + 1))).collect();
    Body::from_stream(stream::unfold(pieces.into_iter(), |mut pieces| async move {
        let next = pieces.next()?;
        tokio::time::sleep(DRIP_PAUSE).await;
        Some((Ok::<_, std::io::Error>(next), pieces))
    }))
}

/// The status, the headers and half the body, then a broken connection. (The
/// pause lets them leave first: a body that fails at once takes the whole
/// answer with it, and the client sees no response at all.)
fn dropped_halfway(bytes: Bytes) -> Body {
    let half = bytes.slice(..bytes.len() / 2);
    let pieces = stream::unfold(0, move |step| {
        let half = half.clone();
        async move {
            match step {
                0 => Some((Ok(half), 1)),
                1 => {
                    tokio::time::sleep(DRIP_PAUSE).await;
                    let broken =
                        std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection dropped on purpose");
                    Some((Err(broken), 2))
                }
                _ => None,
            }
        }
    });
    Body::from_stream(pieces)
}
