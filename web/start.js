// Starts the app without an inline script, so the page's Content-Security-Policy
// can say `script-src 'self' 'wasm-unsafe-eval'` and nothing more. trunk writes
// this file's <script> tag (Trunk.toml's `pattern_script`) with the hashed names
// of the wasm-bindgen module and the wasm in its data attributes.
const tag = document.querySelector('script[data-tickerboard-js]');
const { default: init } = await import(tag.dataset.tickerboardJs);
await init({ module_or_path: tag.dataset.tickerboardWasm });
