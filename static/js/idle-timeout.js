// Idle sign-out warning. The server signs a session out after the idle limit
// whatever this script does; this only warns a minute before and offers to
// stay signed in (a POST to the keep-alive endpoint). Settings come from
// data- attributes on <body>, so the page needs no inline script.

const body = document.body;
const warning = document.getElementById("idle-warning");
const stayButton = warning?.querySelector("[data-idle-keep-alive]");
const keepAliveUrl = body.dataset.keepAliveUrl;
const idleSeconds = Number(body.dataset.idleSeconds);
const warningSeconds = Number(body.dataset.idleWarningSeconds);
let secondsLeft = Number(body.dataset.idleSecondsLeft);
let warnTimer;
let expireTimer;

function csrfToken() {
  const headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
  return headers["X-CSRFToken"] || "";
}

function schedule(seconds) {
  clearTimeout(warnTimer);
  clearTimeout(expireTimer);
  warning.hidden = true;
  warnTimer = setTimeout(showWarning, Math.max(0, seconds - warningSeconds) * 1000);
  // Reloading lets the server end the session and show the sign-in page.
  expireTimer = setTimeout(() => window.location.assign(window.location.href), seconds * 1000);
}

function showWarning() {
  warning.hidden = false;
  stayButton.focus();
}

async function stayAlive() {
  const response = await fetch(keepAliveUrl, {
    method: "POST",
    headers: { "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
    redirect: "manual",
  });
  if (response.status === 204) {
    schedule(idleSeconds);
  } else {
    window.location.assign(window.location.href);
  }
}

if (warning && keepAliveUrl && Number.isFinite(secondsLeft)) {
  stayButton.addEventListener("click", stayAlive);
  // Requests made by htmx count as activity on the server too.
  body.addEventListener("htmx:afterRequest", () => schedule(idleSeconds));
  schedule(secondsLeft);
}
