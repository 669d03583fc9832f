// The plain-JavaScript peer of `cargo xtask bench`: N quote requests at once
// with `Promise.all(fetch)`, no framework, timed with `performance.now()`.
//
// Scripts (WebDriver) call `window.tickerboardBench({n, latencyMs, runs, symbols,
// key, base})`; the form on the page calls the same function for humans.

/** Symbols the form uses (a script passes its own). */
const FORM_SYMBOLS = [
  'AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA', 'NFLX', 'AMD', 'INTC',
  'ORCL', 'CSCO', 'ADBE', 'CRM', 'IBM', 'QCOM', 'TXN', 'AVGO', 'PYPL', 'UBER',
];

/** Latency of the warm-up requests, at most, in milliseconds: enough for them to overlap. */
const WARM_UP_LATENCY_MS = 20;

/** One quote: resolves to true when it came back 200 with a JSON body, never rejects. */
function fetchQuote(base, symbol, key, latencyMs) {
  const headers = { Authorization: 'Bearer ' + key, 'x-tickerboard-latency-ms': String(latencyMs) };
  return fetch(base + '/api/v1/quotes/' + encodeURIComponent(symbol), { headers, cache: 'no-store' })
    .then((response) => response.json().then(() => response.ok))
    .catch(() => false);
}

/** All `n` requests at once (request i asks for symbols[i % symbols.length]); the count of failures. */
async function batch(base, symbols, key, latencyMs, n) {
  const requests = Array.from({ length: n }, (_, i) => fetchQuote(base, symbols[i % symbols.length], key, latencyMs));
  const results = await Promise.all(requests);
  return results.filter((ok) => !ok).length;
}

/** The protocol of the last quote request in the resource timing buffer ("h2", "http/1.1"). */
function lastQuoteProtocol() {
  const quotes = performance
    .getEntriesByType('resource')
    .filter((entry) => entry.name.includes('/api/v1/quotes/'));
  return quotes.length ? quotes[quotes.length - 1].nextHopProtocol : '';
}

/**
 * One untimed warm-up of min(n, 5) requests, then `runs` timed runs of all `n`.
 * Resolves to `{walls_ms, errors, protocol}`; `errors` counts failed requests of
 * the timed runs (non-200, network error or a body that is not JSON).
 */
async function tickerboardBench({ n, latencyMs, runs = 1, symbols, key = 'demo', base = '' }) {
  if (!Number.isInteger(n) || n < 1) throw new Error('n must be a whole number of at least 1, not ' + n);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('runs must be a whole number of at least 1, not ' + runs);
  if (!Array.isArray(symbols) || symbols.length === 0) throw new Error('symbols must be a non-empty array');
  latencyMs = Number(latencyMs) || 0;

  // Room for every request of a run (the default buffer holds 250 entries).
  performance.setResourceTimingBufferSize(Math.max(250, 2 * n + 50));
  await batch(base, symbols, key, Math.min(latencyMs, WARM_UP_LATENCY_MS), Math.min(n, 5));

  const walls = [];
  let errors = 0;
  let protocol = '';
  for (let run = 0; run < runs; run++) {
    performance.clearResourceTimings();
    const start = performance.now();
    errors += await batch(base, symbols, key, latencyMs, n);
    walls.push(performance.now() - start);
    protocol = lastQuoteProtocol() || protocol;
  }
  return { walls_ms: walls, errors, protocol };
}

window.tickerboardBench = tickerboardBench;

/** The form: reads N, L and runs, runs the benchmark, shows one result line. */
function wireForm() {
  const form = document.getElementById('bench-form');
  const button = document.getElementById('bench-run');
  const result = document.getElementById('bench-result');
  const number = (id) => Number.parseInt(document.getElementById(id).value, 10);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [n, latencyMs, runs] = [number('bench-n'), number('bench-latency'), number('bench-runs')];
    button.disabled = true;
    result.textContent = `Running ${runs} × ${n} requests at ${latencyMs} ms…`;
    try {
      const { walls_ms, errors, protocol } = await tickerboardBench({ n, latencyMs, runs, symbols: FORM_SYMBOLS });
      const walls = walls_ms.map((ms) => ms.toFixed(1) + ' ms').join(', ');
      const best = Math.min(...walls_ms);
      const inL = latencyMs > 0 ? `best ${(best / latencyMs).toFixed(2)} L; ` : '';
      result.textContent = `N=${n}, L=${latencyMs} ms over ${protocol || '?'}: ${walls}; ${inL}${errors} error(s).`;
    } catch (error) {
      result.textContent = 'Failed: ' + error.message;
    } finally {
      button.disabled = false;
    }
  });
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', wireForm);
} else {
  wireForm();
}
