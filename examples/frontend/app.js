// The demo page: calls the example APIs with fetch and shows, call by call, what the browser
// let it read. `window.DEMO_CONFIG` comes from /config.js, which the demo generates:
// {allowedOrigins: ["http://127.0.0.1:8000"], apis: {cookie: "<base URL>", notes, public, stream, axum}}.
//
// When done, the results are also in `window.__result` ({origin, allowed, rows: [...]}) for
// the browser tests (tests/tests/system/browser.rs), which load this page in headless Chromium.
"use strict";

const config = window.DEMO_CONFIG;
const here = location.origin;
const allowed = config.allowedOrigins.includes(here);

// One fetch; never throws. `outcome` is "readable" when the browser handed the response to the
// page, "blocked" when fetch rejected (the browser's CORS check failed, or the request never
// got an answer).
async function attempt(url, init) {
  try {
    const response = await fetch(url, init);
    const headers = {};
    response.headers.forEach((value, name) => { headers[name] = value; });
    const body = await response.text();
    return { outcome: "readable", status: response.status, headers, body };
  } catch (e) {
    return { outcome: "blocked", error: `${e.name}: ${e.message}` };
  }
}

// Reads a streamed response chunk by chunk with response.body.getReader().
async function attemptStream(url, init) {
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push({ text: decoder.decode(value, { stream: true }), at: Math.round(performance.now() - started) });
    }
    return { outcome: "readable", status: response.status, chunks, body: chunks.map((c) => c.text).join("") };
  } catch (e) {
    return { outcome: "blocked", error: `${e.name}: ${e.message}` };
  }
}

const notListed = "this origin is not in ALLOWED_ORIGINS: no Access-Control-Allow-Origin for it";

// The calls, with what the browser should decide on this origin.
function calls() {
  const { cookie, notes, stream } = config.apis;
  const open = config.apis.public;
  const list = [
    {
      call: "POST /login?user=alice", api: "cookie-api", request: "simple, credentials: include",
      expected: allowed ? "readable" : "blocked",
      why: allowed ? "origin listed, credentials allowed; sets an HttpOnly session cookie" : notListed,
      run: () => attempt(`${cookie}/login?user=alice`, { method: "POST", credentials: "include" }),
      details: (r) => `${r.status} ${r.body}`,
    },
    {
      call: "GET /whoami", api: "cookie-api", request: "simple, credentials: include",
      expected: allowed ? "readable" : "blocked",
      why: allowed ? "the browser sends the session cookie" : notListed,
      run: () => attempt(`${cookie}/whoami`, { credentials: "include" }),
      details: (r) => `${r.status} ${r.body}`,
    },
    {
      call: "GET /whoami", api: "cookie-api", request: "simple, no credentials",
      expected: allowed ? "readable" : "blocked",
      why: allowed ? "readable, but without credentials no cookie is sent: 401" : notListed,
      run: () => attempt(`${cookie}/whoami`),
      details: (r) => `${r.status} ${r.body}`,
    },
    {
      call: "PUT /notes/demo", api: "notes-api",
      request: "preflighted: JSON body + x-request-id, credentials: include",
      expected: allowed ? "readable" : "blocked",
      why: allowed
        ? "#[cors] answers the preflight; x-note-version is exposed"
        : "the preflight is refused, so the PUT is never sent",
      run: () => attempt(`${notes}/notes/demo`, {
        method: "PUT",
        credentials: "include",
        headers: { "content-type": "application/json", "x-request-id": `demo-${Date.now()}` },
        body: JSON.stringify({ text: "written from the demo page" }),
      }),
      details: (r) => `${r.status} x-note-version: ${r.headers["x-note-version"] ?? "(not readable)"}; ${r.body}`,
    },
    {
      call: "GET /notes/demo", api: "notes-api", request: "simple, credentials: include",
      expected: allowed ? "readable" : "blocked",
      why: allowed ? "exposed: x-note-version; not exposed (hidden): vary" : notListed,
      run: () => attempt(`${notes}/notes/demo`, { credentials: "include" }),
      details: (r) => `${r.status} headers the page sees: ${Object.keys(r.headers).sort().join(", ")}; ${r.body}`,
    },
    {
      call: "PATCH /notes/demo", api: "notes-api", request: "preflighted: PATCH",
      expected: "blocked",
      why: allowed ? "PATCH is not in methods = [\"GET\", \"PUT\", \"DELETE\"]" : notListed,
      run: () => attempt(`${notes}/notes/demo`, {
        method: "PATCH", credentials: "include",
        headers: { "content-type": "application/json" }, body: "{}",
      }),
      details: (r) => `${r.status} ${r.body}`,
    },
    {
      call: "GET /hello?name=page", api: "public-api", request: "simple, no credentials",
      expected: "readable",
      why: "origins = \"*\": any origin may read it without credentials",
      run: () => attempt(`${open}/hello?name=page`),
      details: (r) => `${r.status} ${r.body}`,
    },
    {
      call: "GET /hello", api: "public-api", request: "simple, credentials: include",
      expected: "blocked",
      why: "browsers never accept Access-Control-Allow-Origin: * with credentials",
      run: () => attempt(`${open}/hello`, { credentials: "include" }),
      details: (r) => `${r.status} ${r.body}`,
    },
  ];
  const { axum } = config.apis;
  if (axum) {
    const listed = "an axum Router under cors_layer!(origins_env = \"ALLOWED_ORIGINS\", credentials, ...)";
    list.push(
      {
        call: "POST /session?user=alice", api: "axum-api", request: "simple, credentials: include",
        expected: allowed ? "readable" : "blocked",
        why: allowed ? `${listed}: sets an HttpOnly session cookie` : notListed,
        run: () => attempt(`${axum}/session?user=alice`, { method: "POST", credentials: "include" }),
        details: (r) => `${r.status} ${r.body}`,
      },
      {
        call: "GET /session", api: "axum-api", request: "simple, credentials: include",
        expected: allowed ? "readable" : "blocked",
        why: allowed ? "the browser sends the session cookie to the router's handler" : notListed,
        run: () => attempt(`${axum}/session`, { credentials: "include" }),
        details: (r) => `${r.status} ${r.body}`,
      },
      {
        call: "PUT /notes/demo", api: "axum-api",
        request: "preflighted: JSON body + x-request-id, credentials: include",
        expected: allowed ? "readable" : "blocked",
        why: allowed
          ? "the layer answers the preflight (axum alone answers 405); x-note-version is exposed, x-served-by is not"
          : "the layer refuses the preflight, so the PUT is never sent",
        run: () => attempt(`${axum}/notes/demo`, {
          method: "PUT",
          credentials: "include",
          headers: { "content-type": "application/json", "x-request-id": `demo-${Date.now()}` },
          body: JSON.stringify({ text: "written from the demo page" }),
        }),
        details: (r) => `${r.status} x-note-version: ${r.headers["x-note-version"] ?? "(not readable)"}; `
          + `x-served-by: ${r.headers["x-served-by"] ?? "(not readable)"}; ${r.body}`,
      },
      {
        call: "DELETE /notes/demo", api: "axum-api", request: "preflighted: DELETE, credentials: include",
        expected: allowed ? "readable" : "blocked",
        why: allowed ? "DELETE is in methods = [\"GET\", \"POST\", \"PUT\", \"DELETE\"]" : notListed,
        run: () => attempt(`${axum}/notes/demo`, { method: "DELETE", credentials: "include" }),
        details: (r) => `${r.status}`,
      },
      {
        call: "PATCH /notes/demo", api: "axum-api", request: "preflighted: PATCH",
        expected: "blocked",
        why: allowed ? "PATCH is not in the layer's methods" : notListed,
        run: () => attempt(`${axum}/notes/demo`, {
          method: "PATCH", credentials: "include",
          headers: { "content-type": "application/json" }, body: "{}",
        }),
        details: (r) => `${r.status} ${r.body}`,
      },
    );
  }
  if (stream) {
    list.push({
      call: "GET /stream?chunks=5", api: "stream-api", request: "streamed, read with getReader(), credentials: include",
      expected: allowed ? "readable" : "blocked",
      why: allowed ? "#[cors(streaming)]: chunks arrive one by one" : notListed,
      run: () => attemptStream(`${stream}/stream?chunks=5`, { credentials: "include" }),
      details: (r) => `${r.status} ${r.chunks.length} chunks: ${r.chunks.map((c) => `${JSON.stringify(c.text)} @${c.at}ms`).join(", ")}`,
    });
  }
  return list;
}

function cell(row, className, ...content) {
  const td = document.createElement("td");
  if (className) td.className = className;
  for (const c of content) td.append(c);
  row.append(td);
  return td;
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.textContent = text;
  return e;
}

async function runAll() {
  window.__result = undefined;
  const button = document.getElementById("rerun");
  button.disabled = true;
  const tbody = document.getElementById("calls");
  tbody.replaceChildren();
  const summary = document.getElementById("summary");
  summary.className = "";
  summary.textContent = "Running the calls...";
  const results = [];
  const list = calls();
  for (const [i, c] of list.entries()) {
    const tr = document.createElement("tr");
    tr.className = "pending";
    cell(tr, "", String(i + 1));
    cell(tr, "call", element("code", "", c.call), document.createElement("br"),
      element("span", "api", `${c.api}, ${c.request}`));
    cell(tr, "", element("strong", "", c.expected), document.createElement("br"), element("span", "why", c.why));
    const outcomeCell = cell(tr, "outcome", "...");
    const detailsCell = cell(tr, "details", "");
    tbody.append(tr);

    const r = await c.run();
    const pass = r.outcome === c.expected;
    const details = r.outcome === "readable" ? c.details(r) : r.error;
    tr.className = pass ? "pass" : "fail";
    outcomeCell.textContent = `${pass ? "\u2713" : "\u2717"} ${r.outcome}`;
    detailsCell.textContent = details;
    results.push({
      call: c.call, api: c.api, request: c.request, expected: c.expected, outcome: r.outcome, pass,
      status: r.status ?? null, headers: r.headers ?? null, body: r.body ?? null,
      chunks: r.chunks ? r.chunks.length : null, error: r.error ?? null, details,
    });
  }
  const passed = results.filter((r) => r.pass).length;
  const allPassed = passed === results.length;
  summary.className = allPassed ? "pass" : "fail";
  summary.textContent = allPassed
    ? `\u2713 All ${results.length} calls behaved as expected.`
    : `\u2717 ${results.length - passed} of ${results.length} calls did NOT behave as expected.`;
  button.disabled = false;
  window.__result = { origin: here, allowed, rows: results };
}

function describeOrigins() {
  document.getElementById("page-origin").textContent = here;
  document.getElementById("allowed-origins").textContent = config.allowedOrigins.join(" ");
  // Base URLs end in /lambda-url/<function name>.
  const apiOrigins = Object.values(config.apis).map((u) => `${u.split("/").pop()} on ${new URL(u).origin}`);
  document.getElementById("api-origins").textContent = apiOrigins.join(", ");
  const status = document.getElementById("origin-status");
  if (allowed) {
    status.className = "allowed";
    status.textContent = "This origin is listed in ALLOWED_ORIGINS: credentialed calls to the #[cors] and cors_layer! APIs are readable.";
    const other = new URL(location.href);
    other.hostname = "localhost";
    const link = document.getElementById("other-link");
    link.append(" Open the same page from an origin that is not allowed: ");
    const a = element("a", "", other.origin + "/");
    a.href = other.href;
    link.append(a);
    link.append(".");
  } else {
    status.className = "other";
    status.textContent = `This origin (${here}) is NOT in ALLOWED_ORIGINS: the browser must refuse every call to the credentialed APIs.`;
  }
}

window.addEventListener("error", (e) => { window.__error = String(e.message); });
describeOrigins();
document.getElementById("rerun").addEventListener("click", () => { runAll(); });
runAll().catch((e) => { window.__error = String((e && e.stack) || e); });
