//! The browser entry point: install the panic hook and the CSP violation
//! reporter, then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    tickerboard::security::report_csp_violations();
    tickerboard::diagnostics::expose();
    leptos::mount::mount_to_body(tickerboard::App);
}
