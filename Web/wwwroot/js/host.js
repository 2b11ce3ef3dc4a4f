// Host page, where htmx cannot: keep the output scrolled to the newest line unless the operator scrolled up,
// and show a refused action's message (htmx leaves 4xx answers unswapped by default).
function atBottom(el) { return el.scrollHeight - el.scrollTop - el.clientHeight < 24; }
function isOutput(el) { return el instanceof HTMLElement && el.id === "output-lines"; }
document.addEventListener("htmx:sseBeforeMessage", e => { if (isOutput(e.target)) e.target.dataset.follow = atBottom(e.target) ? "yes" : "no"; });
document.addEventListener("htmx:sseMessage", e => { if (isOutput(e.target) && e.target.dataset.follow !== "no") e.target.scrollTop = e.target.scrollHeight; });
// A newly shown panel starts at its newest line.
document.addEventListener("htmx:load", e => { const el = e.target.querySelector?.("#output-lines") ?? (isOutput(e.target) ? e.target : null); if (el) el.scrollTop = el.scrollHeight; });
document.addEventListener("DOMContentLoaded", () => { const el = document.getElementById("output-lines"); if (el) el.scrollTop = el.scrollHeight; });
document.addEventListener("htmx:beforeSwap", e => {
  const status = e.detail.xhr.status;
  if (status >= 400 && status < 500 && e.detail.target?.id === "command-notice") { e.detail.shouldSwap = true; e.detail.isError = false; }
});
