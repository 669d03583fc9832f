// Starts the app without an inline script, so the page's Content-Security-Policy
// can say `script-src 'self' 'wasm-unsafe-eval'` and nothing more. The build
// writes this file's <script> tag (xtask/src/assets.rs; trunk's Trunk.toml
// `pattern_script` in development) with the names of the wasm-bindgen module
// and the wasm in its data attributes.
//
// First it sends the first screen's requests, so they fly while the wasm
// downloads (src/api/early.rs takes each over when the app asks for the same
// URL with the same key), no more than the settings' concurrency: the paths
// the app's last refresh asked for while the saved watchlist and settings are
// those it was made from, or on a first visit the default watchlist's.
// Nothing is sent when there is no such plan (a provider called directly
// spends its own budget).
const FIRST_VISIT = ["/api/v1/quotes/AAPL", "/api/v1/quotes/GOOG", "/api/v1/quotes/MSFT", "/api/v1/quotes/AMZN", "/api/v1/quotes/TSLA", "/api/v1/portfolio"];

function plan() {
  try {
    const saved = localStorage.getItem("tickerboard.early");
    if (saved !== null) {
      const plan = JSON.parse(saved);
      const current = plan.watchlist === localStorage.getItem("tickerboard.watchlist") && plan.settings === localStorage.getItem("tickerboard.settings");
      if (!current || typeof plan.base !== "string" || !Array.isArray(plan.paths)) return null;
      return { base: plan.base, paths: plan.paths.slice(0, plan.at_most ?? plan.paths.length) };
    }
    const untouched = localStorage.getItem("tickerboard.settings") === null && localStorage.getItem("tickerboard.watchlist") === null;
    return untouched ? { base: "", paths: FIRST_VISIT } : null;
  } catch {
    return null; // no storage, or a damaged plan: the app asks for itself
  }
}

function key() {
  try {
    return sessionStorage.getItem("tickerboard.api_key") ?? localStorage.getItem("tickerboard.api_key") ?? "demo";
  } catch {
    return "demo";
  }
}

// Only where the first screen refreshes the dashboard: a view loaded on
// first use (the ticker's, say) asks for what it needs itself.
const FIRST_SCREENS = ["/", "/portfolio", "/requests"];

const early = new Map();
const first = FIRST_SCREENS.includes(location.pathname) ? plan() : null;
if (first !== null) {
  const authorization = `Bearer ${key()}`;
  for (const path of first.paths) {
    if (typeof path !== "string" || !path.startsWith("/api/v1/")) continue;
    const url = first.base + path;
    const controller = new AbortController();
    const response = fetch(url, { headers: { Authorization: authorization }, cache: "no-store", signal: controller.signal });
    response.catch(() => {}); // the app reads the failure when it takes the request
    early.set(url, { response, controller, authorization, started: performance.now() });
  }
}
window.tickerboardEarly = early;

const tag = document.querySelector('script[data-tickerboard-js]');
const { default: init } = await import(tag.dataset.tickerboardJs);
await init({ module_or_path: tag.dataset.tickerboardWasm });
