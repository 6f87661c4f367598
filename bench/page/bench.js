// The benchmark page, served beside each system's Service Worker. On load it registers the
// system's worker (?sw=, ?type=), waits until it controls the page, and fetches the app's page:
// `window.ready` resolves to the time of that first byte since navigation start (first visit).
// The harness then drives the timed loops below through page.evaluate.
const params = new URLSearchParams(location.search);
const swUrl = params.get("sw") ?? "sw.js";
const swType = params.get("type") ?? "module";
const firstPath = params.get("first") ?? "/app/";

/** Fetches `url`; returns when its first body byte arrived, then drains the rest. */
async function firstByte(url) {
  const t0 = performance.now();
  const response = await fetch(url);
  const reader = response.body.getReader();
  await reader.read();
  const t1 = performance.now();
  while (!(await reader.read()).done);
  return { t0, t1, status: response.status };
}

const forms = new Map();

/**
 * A urlencoded form of about `size` bytes, the same on every system: unique field names,
 * values with `+` for spaces and %-escapes (UTF-8 and a reserved character) to decode.
 */
function form(size) {
  let body = forms.get(size);
  if (!body) {
    const parts = [];
    let length = 0;
    for (let i = 0; length < size; i++) {
      const part = `field${i}=value+${i}+caf%C3%A9+%26+more`;
      parts.push(part);
      length += part.length + 1;
    }
    body = new TextEncoder().encode(parts.join("&"));
    forms.set(size, body);
  }
  return body;
}

const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

window.bench = {
  async firstByte(url) {
    const { t0, t1, status } = await firstByte(url);
    return { ms: t1 - t0, status };
  },
  async text(url) {
    const response = await fetch(url);
    return { status: response.status, headers: [...response.headers], body: await response.text() };
  },
  /** n sequential fetches, each timed to the end of its body. */
  async sequential(url, n) {
    const times = new Array(n);
    let errors = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const response = await fetch(url);
      await response.arrayBuffer();
      times[i] = performance.now() - t0;
      if (!response.ok) errors++;
    }
    return { times, errors };
  },
  /**
   * One workload request (a POST of a `formBytes` form when given), timed to the end of its
   * body (aborted after `timeoutMs`: the peer has no time limit of its own); then, untimed, the body's SHA-256 (to compare the systems' answers) and, when it
   * failed, the start of its text and swasgi's failure code.
   */
  async workload(url, formBytes, timeoutMs) {
    const init = { signal: AbortSignal.timeout(timeoutMs) };
    if (formBytes) Object.assign(init, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(formBytes) });
    const t0 = performance.now();
    const response = await fetch(url, init);
    const body = await response.arrayBuffer();
    const ms = performance.now() - t0;
    return {
      ms,
      status: response.status,
      bytes: body.byteLength,
      sha256: hex(await crypto.subtle.digest("SHA-256", body)),
      failure: response.headers.get("x-swasgi-error"),
      text: response.ok ? null : new TextDecoder().decode(body.slice(0, 4000)),
    };
  },
  /** `concurrency` loops fetching `url` until `ms` have passed; counts completed responses. */
  async throughput(url, concurrency, ms) {
    let count = 0;
    let errors = 0;
    const t0 = performance.now();
    const end = t0 + ms;
    const loop = async () => {
      while (performance.now() < end) {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.ok) count++;
        else errors++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
    return { count, errors, ms: performance.now() - t0 };
  },
};

window.ready = (async () => {
  const startedAt = performance.now();
  await navigator.serviceWorker.register(swUrl, { type: swType, scope: "./" });
  const registeredAt = performance.now();
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  const controlledAt = performance.now();
  const { t1, status } = await firstByte(firstPath);
  // Times in ms since navigation start: script start, register() resolved, worker in control
  // (installed and activated), first byte of the app's page.
  return { startedAt, registeredAt, controlledAt, firstByteAt: t1, status, crossOriginIsolated: self.crossOriginIsolated };
})().catch((error) => ({ error: String(error?.stack ?? error) }));
