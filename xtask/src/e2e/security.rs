//! Security end to end (issue 8): the Content-Security-Policy holds on the
//! release build and bites.

use anyhow::{Result, ensure};

use super::E2eTrial;
use super::trial::on_page;
use crate::{build::content_security_policy, webdriver::Browser};

/// The policy holds on the page (meta tag and header, the same text) and
/// bites: a script element injected into the page does not run, and the
/// app reports the violation.
async fn csp_blocks_an_injected_inline_script(browser: &Browser, url: &str) -> Result<String> {
    browser.client.goto(url).await?;
    let policy = content_security_policy()?;
    let script = "const done = arguments[0];
        const meta = document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content;
        fetch(location.href).then(r => done([meta, r.headers.get('content-security-policy')]), e => done([meta, String(e)]));";
    let seen = browser.eval_async(script, vec![]).await?;
    ensure!(seen[0] == policy.as_str(), "the page's meta policy is {}", seen[0]);
    ensure!(seen[1] == policy.as_str(), "the server's header is {}", seen[1]);
    browser.console_log().await?;
    let ran = browser
        .eval_async(
            "const done = arguments[0]; window.__injected = false;
             const s = document.createElement('script'); s.textContent = 'window.__injected = true;';
             document.body.appendChild(s); setTimeout(() => done(window.__injected), 200);",
            vec![],
        )
        .await?;
    ensure!(ran == false, "an injected inline script ran under the policy");
    let log = browser.console_log().await?;
    let reported = log.iter().any(|(_, m)| m.contains("Content-Security-Policy violation: script-src"));
    ensure!(reported, "the app did not report the blocked script: {log:?}");
    Ok("meta and header carry the policy; an injected script was blocked and reported".to_owned())
}

/// The security trial (the blocked script is logged as an error on purpose).
pub fn trials() -> Vec<E2eTrial> {
    vec![on_page!("csp_blocks_an_injected_inline_script", csp_blocks_an_injected_inline_script)]
}
