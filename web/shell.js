// Names the view the address asks for on <html data-shell>, so the static
// shell in index.html shows that view's skeleton (style/main.css) until the
// app mounts and removes it. Loaded async, so it never delays the first
// paint; it is tiny and usually lands with the stylesheet, before that paint.
const views = { "/": "watchlist", "/portfolio": "portfolio", "/requests": "requests", "/lab": "lab", "/settings": "settings" };
const path = location.pathname;
document.documentElement.dataset.shell = path.startsWith("/t/") ? "ticker" : (views[path] ?? "other");
