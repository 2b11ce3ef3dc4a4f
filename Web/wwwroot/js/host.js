// Host page, where htmx cannot: keep the output scrolled to the newest line unless the operator scrolled up,
// let a re-created live connection resume after the last line shown, show a command's end once (a reconnect
// repeats it), and show a refused action's message (htmx leaves 4xx answers unswapped by default).
function atBottom(el) { return el.scrollHeight - el.scrollTop - el.clientHeight < 24; }
function isOutput(el) { return el instanceof HTMLElement && el.id === "output-lines"; }
function toBottom(el) { if (el) el.scrollTop = el.scrollHeight; }
document.addEventListener("htmx:sseBeforeMessage", e => {
  if (!isOutput(e.target)) return;
  if (e.detail.type === "end" && e.target.querySelector(":scope > .command-end")) { e.preventDefault(); return; }
  e.target.dataset.follow = atBottom(e.target) ? "yes" : "no";
});
document.addEventListener("htmx:sseMessage", e => {
  const el = e.target;
  if (!isOutput(el)) return;
  if (el.dataset.follow !== "no") toBottom(el);
  const last = el.querySelector(":scope > div.line:last-of-type");
  const live = el.closest("[sse-connect]");
  const url = live?.getAttribute("sse-connect");
  if (last && url) live.setAttribute("sse-connect", url.replace(/after=\d+/, "after=" + last.dataset.seq));
});
// A newly shown panel starts at its newest line.
document.addEventListener("htmx:load", e => toBottom(isOutput(e.target) ? e.target : e.target.querySelector?.("#output-lines")));
document.addEventListener("DOMContentLoaded", () => toBottom(document.getElementById("output-lines")));
document.addEventListener("htmx:beforeSwap", e => {
  const status = e.detail.xhr.status;
  if (status >= 400 && status < 500 && e.detail.target?.id === "command-notice") { e.detail.shouldSwap = true; e.detail.isError = false; }
});
