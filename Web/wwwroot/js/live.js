// The only hand-written script: show a banner while the page's live connection is down.
document.addEventListener("htmx:sseError", () => document.getElementById("live-banner")?.classList.add("visible"));
document.addEventListener("htmx:sseOpen", () => document.getElementById("live-banner")?.classList.remove("visible"));
