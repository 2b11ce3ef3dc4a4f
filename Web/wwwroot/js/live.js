// The only hand-written script: show a banner while the page's live connection is down.
document.addEventListener("htmx:sseError", () => document.getElementById("live-banner")?.classList.add("visible"));
document.addEventListener("htmx:sseOpen", () => document.getElementById("live-banner")?.classList.remove("visible"));
// Every state-changing htmx request carries the session's CSRF token (the server refuses it otherwise).
document.addEventListener("htmx:configRequest", e => {
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  if (token) e.detail.headers["X-CSRF-Token"] = token;
});
