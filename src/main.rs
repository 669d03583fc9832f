//! The browser entry point: install the panic hook and the CSP violation
//! reporter, then take the page over from its static shell and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    tickerboard::security::report_csp_violations();
    tickerboard::diagnostics::expose();
    // index.html's shell (`#shell`) stood in for the app while the wasm
    // downloaded. It goes in the same task as the mount, whose first render is
    // synchronous, so no frame shows both or neither.
    if let Some(shell) = leptos::prelude::document().get_element_by_id("shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(tickerboard::App);
}
