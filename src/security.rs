//! The page's Content-Security-Policy, seen from inside: every violation is
//! reported to the console as an error, so a policy that blocks something the
//! app needs is loud (the end-to-end tests fail on any console error), and a
//! blocked injection leaves a trace.

use wasm_bindgen::{JsCast, closure::Closure};

/// Reports each `securitypolicyviolation` event of the page to the console.
/// The listener lives as long as the page, so it is leaked on purpose.
pub fn report_csp_violations() {
    let Some(window) = web_sys::window() else { return };
    let report = Closure::<dyn Fn(web_sys::SecurityPolicyViolationEvent)>::new(
        |event: web_sys::SecurityPolicyViolationEvent| {
            let message = format!(
                "Content-Security-Policy violation: {} blocked {}",
                event.violated_directive(),
                match event.blocked_uri().as_str() {
                    "" => "an inline resource".to_owned(),
                    uri => uri.to_owned(),
                }
            );
            web_sys::console::error_1(&message.into());
        },
    );
    if window.add_event_listener_with_callback("securitypolicyviolation", report.as_ref().unchecked_ref()).is_ok() {
        report.forget();
        crate::diagnostics::Registered::forever(crate::diagnostics::Kind::Listener);
    }
}
