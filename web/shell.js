// Names the view the address asks for on <html data-shell>, so the static
// shell in index.html shows that view's skeleton (style/main.css) until the
// app mounts and removes it. Async (parsing, and so web/start.js and its
// early requests, never wait for it) but fetched at high priority: it
// usually runs before the first paint; if not, the header paints alone and
// the skeleton joins it, so no view is ever drawn with another's skeleton.
{
  const views = { "/": "watchlist", "/portfolio": "portfolio", "/requests": "requests", "/lab": "lab", "/settings": "settings" };
  const path = location.pathname;
  document.documentElement.dataset.shell = path.startsWith("/t/") ? "ticker" : (views[path] ?? "other");
}
