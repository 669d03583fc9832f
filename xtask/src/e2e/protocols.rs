//! HTTP/1.1 against HTTP/2 from the browser: 100 requests at 200 ms queue
//! behind six connections over HTTP/1.1 and share one over HTTP/2; 1 000 at
//! once over HTTP/2 all succeed.

use anyhow::{Result, ensure};

use super::{
    E2eTrial,
    app::{PROTOCOL_LATENCY_MS, TwoProtocols},
    page::fan_out,
};
use crate::webdriver::Browser;

/// The protocol trials, each against its own two-listener server.
pub fn trials() -> Vec<E2eTrial> {
    vec![
        E2eTrial::new("http2_multiplexes_past_six_connections", |lane| lane.run(http2_multiplexes(&lane.browser)))
            .alone(),
        E2eTrial::new("a_thousand_requests_over_http2_all_succeed", |lane| {
            lane.run(a_thousand_over_http2(&lane.browser))
        }),
    ]
}

async fn http2_multiplexes(browser: &Browser) -> Result<String> {
    let servers = TwoProtocols::start()?;
    let h1 = fan_out(browser, &servers.http1, 100).await?;
    let h2 = fan_out(browser, &servers.http2, 100).await?;
    let six_connections = (100f64 / 6.0).ceil() * PROTOCOL_LATENCY_MS;
    ensure!(h1.protocol == "http/1.1" && h2.protocol == "h2", "protocols {} and {}", h1.protocol, h2.protocol);
    ensure!(h1.ok == 100 && h2.ok == 100, "answers: {} over HTTP/1.1, {} over HTTP/2", h1.ok, h2.ok);
    ensure!(h1.ms >= 0.9 * six_connections, "HTTP/1.1 took {:.0} ms, under ceil(100/6) x 200 ms", h1.ms);
    ensure!(h2.ms < six_connections / 4.0, "HTTP/2 took {:.0} ms: not well under {six_connections} ms", h2.ms);
    Ok(format!(
        "100 quotes at 200 ms: HTTP/1.1 {:.0} ms = {:.1} L, HTTP/2 {:.0} ms = {:.2} L",
        h1.ms,
        h1.ms / PROTOCOL_LATENCY_MS,
        h2.ms,
        h2.ms / PROTOCOL_LATENCY_MS
    ))
}

async fn a_thousand_over_http2(browser: &Browser) -> Result<String> {
    let servers = TwoProtocols::start()?;
    let run = fan_out(browser, &servers.http2, 1000).await?;
    ensure!(run.ok == 1000, "{} of 1000 answers arrived", run.ok);
    Ok(format!(
        "1000 quotes at 200 ms over {}: {:.0} ms = {:.1} L, 0 errors",
        run.protocol,
        run.ms,
        run.ms / PROTOCOL_LATENCY_MS
    ))
}
