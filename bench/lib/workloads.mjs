// The workload section: ordinary app code that allocates, sorts, parses and queries, one
// request per workload to the same small app (bench/workloads/workloads.py) on swasgi and on
// the Pyodide peer, timed in the page to the end of the body. Before every timed request an
// untimed one (a ping, or building the SQLite table the read workloads query) makes sure the
// interpreter is up: a failed request can cost swasgi its interpreter, and the next timed
// request must not pay for booting a new one. Rounds are interleaved (every workload on every
// system, then again, the first system alternating) and the first round is a warm-up.
// A workload that fails on a system (an error status, or an answer other than the peer's) is
// recorded with its status and message and not retried there; it never stops the bench.
import { openHarness } from "./measure.mjs";
import { serveFolder } from "./server.mjs";
import { round, summary } from "./stats.mjs";

const count = (n) => n.toLocaleString("en-US");
const size = (bytes) => (bytes >= 1e6 ? `${count(bytes / 1e6)} MB` : `${count(bytes / 1000)} KB`);

/** Sizes of the full run (the issues' figures) and of quick runs (seconds in all). */
export const WORKLOAD_PLANS = {
  full: {
    warmups: 1,
    runs: 5,
    sizes: { tableRows: 5000, jsonDicts: 10_000, dictKeys: 100_000, sortStrings: 100_000, formBytes: 1_000_000, throwaway: 1_000_000, sqliteRows: 10_000, sqliteLookups: 1000, sqlitePage: 100 },
  },
  quick: {
    warmups: 1,
    runs: 1,
    sizes: { tableRows: 200, jsonDicts: 300, dictKeys: 2000, sortStrings: 2000, formBytes: 20_000, throwaway: 10_000, sqliteRows: 500, sqliteLookups: 50, sqlitePage: 100 },
  },
};

/**
 * Each workload: its name in results.json, what it does at sizes `z`, its request (below
 * /work/), the untimed request before it, and the goal its issue set (swasgi / peer).
 */
export const WORKLOADS = [
  { name: "tableConcat", goal: 4, label: (z) => `table of ${count(z.tableRows)} rows built by \`+=\``, path: (z) => `table-concat?n=${z.tableRows}` },
  { name: "tableJoin", goal: 4, label: (z) => `the same table by \`"".join\``, path: (z) => `table-join?n=${z.tableRows}` },
  { name: "jsonRoundTrip", goal: 4, label: (z) => `\`json.dumps\` + \`json.loads\` of ${count(z.jsonDicts)} small dicts`, path: (z) => `json?n=${z.jsonDicts}` },
  { name: "dictStringKeys", goal: 4, label: (z) => `dict of ${count(z.dictKeys)} string keys`, path: (z) => `dict?n=${z.dictKeys}` },
  { name: "sortStrings", goal: 4, label: (z) => `sort ${count(z.sortStrings)} strings`, path: (z) => `sort?n=${z.sortStrings}` },
  { name: "parseForm", goal: 4, label: (z) => `\`parse_qs\` of a ${size(z.formBytes)} urlencoded form (POST)`, path: () => "form", form: (z) => z.formBytes },
  { name: "throwawayStrings", goal: 4, label: (z) => `${count(z.throwaway)} throwaway 1 KB strings in one loop`, path: (z) => `throwaway?n=${z.throwaway}&size=1000` },
  { name: "sqliteInsert", goal: 2, label: (z) => `SQLite: insert ${count(z.sqliteRows)} rows in one transaction`, path: (z) => `sqlite/insert?n=${z.sqliteRows}` },
  { name: "sqliteLookups", goal: 2, label: (z) => `SQLite: ${count(z.sqliteLookups)} indexed lookups`, path: (z) => `sqlite/lookups?n=${z.sqliteLookups}&rows=${z.sqliteRows}`, prepare: (z) => `sqlite/prepare?rows=${z.sqliteRows}` },
  { name: "sqliteTablePage", goal: 2, label: (z) => `SQLite: a ${z.sqlitePage}-row table page`, path: (z) => `sqlite/page?n=${z.sqlitePage}&rows=${z.sqliteRows}`, prepare: (z) => `sqlite/prepare?rows=${z.sqliteRows}` },
];

const ENTITY = /&#(\d+);/g;

/** What a failed response says: swasgi's error page names the failure; the app's own 500/501 is plain text. */
function failureOf(response, during) {
  const page = /<p><b>[^<]*<\/b>: (.*?)<\/p>/s.exec(response.text ?? "");
  const message = (page ? page[1].replace(/<[^>]*>/g, "").replace(ENTITY, (_, code) => String.fromCharCode(Number(code))) : (response.text ?? "")).trim().split("\n")[0].slice(0, 200);
  const code = response.failure ? ` ${response.failure}` : "";
  return { status: response.status, note: `${response.status}${code}: ${message}${during ? ` (${during})` : ""}` };
}

/** No workload request may take longer (swasgi answers 504 at its 5 s limit; the peer has none). */
const REQUEST_TIMEOUT_MS = 180_000;

async function request(s, path, formBytes) {
  try {
    return await s.page.evaluate(([url, form, ms]) => window.bench.workload(url, form, ms), [`/work/${path}`, formBytes ?? 0, REQUEST_TIMEOUT_MS]);
  } catch (error) {
    return { status: 0, text: `the page's fetch failed: ${String(error?.message ?? error).split("\n")[0]}` };
  }
}

/** One timed run of `w` on system `s`: the response, or `{ failure }`. */
async function attempt(s, w, sizes) {
  const first = w.prepare ? w.prepare(sizes) : "ping";
  const before = await request(s, first);
  if (before.status !== 200) return { failure: failureOf(before, `while preparing: GET /work/${first}`) };
  const response = await request(s, w.path(sizes), w.form?.(sizes));
  if (response.status !== 200) return { failure: failureOf(response, "") };
  return response;
}

/**
 * @param {import("playwright-core").Browser} browser
 * @param {{ name: string, dir: string, sw: string, type: string }[]} systems those serving /work/
 * @param {typeof WORKLOAD_PLANS.full} plan
 * @param {Set<string> | null} only workload names to run (null: all)
 * @returns {Promise<Record<string, object>>} by workload name: label, request, goal, and per system
 *   `{ median, min, max, runs, answer: { bytes, sha256 }, failure? }`
 */
export async function measureWorkloads(browser, systems, plan, log, only = null) {
  const chosen = WORKLOADS.filter((w) => !only || only.has(w.name));
  const live = [];
  const state = new Map(chosen.map((w) => [w.name, new Map(systems.map((system) => [system.name, { times: [], answer: null, failure: null }]))]));
  try {
    for (const system of systems) {
      const s = { system, server: await serveFolder(system.dir) };
      live.push(s);
      s.context = await browser.newContext();
      const url = `${s.server.url}/bench.html?sw=${encodeURIComponent(system.sw)}&type=${system.type}&first=${encodeURIComponent("/work/ping")}`;
      try {
        s.page = (await openHarness(s.context, url)).page;
      } catch (error) {
        // The app did not start at all (an import error, a worker that failed): every workload failed there.
        const status = error?.ready?.status ?? 0;
        const note = `${status}: the workload app's first request (GET /work/ping) failed: ${error?.ready?.error ?? (error?.ready ? `status ${status}` : String(error?.message ?? error).split("\n")[0])}`;
        for (const w of chosen) state.get(w.name).get(system.name).failure = { status, note };
        log(`workloads: ${system.name} failed: ${note}`);
      }
    }
    const rounds = plan.warmups + plan.runs;
    for (let r = 0; r < rounds; r++) {
      for (const w of chosen) {
        for (const s of r % 2 ? [...live].reverse() : live) {
          const st = state.get(w.name).get(s.system.name);
          if (st.failure || !s.page) continue;
          const result = await attempt(s, w, plan.sizes);
          if (result.failure) {
            // A failure in a later round (a 504 near the limit on a loaded machine) still counts: users would see it.
            const earlier = r > 0 ? ` (in round ${r + 1} of ${rounds}; the earlier rounds answered)` : "";
            st.failure = { ...result.failure, note: result.failure.note + earlier };
            log(`workload ${w.name}: ${s.system.name} failed: ${st.failure.note}`);
            continue;
          }
          st.answer ??= { bytes: result.bytes, sha256: result.sha256 };
          if (r >= plan.warmups) st.times.push(result.ms);
        }
      }
      log(`workloads: round ${r + 1} of ${rounds}${r < plan.warmups ? " (warm-up)" : ""} done`);
    }
  } finally {
    for (const s of live) {
      await s.context?.close().catch(() => {});
      await s.server.close();
    }
  }

  const out = {};
  for (const w of chosen) {
    const st = state.get(w.name);
    const swasgi = st.get("swasgi");
    const peer = st.get("pyodide");
    // The peer (CPython) is the reference: a different answer means swasgi did other work.
    if (swasgi?.answer && peer?.answer && swasgi.answer.sha256 !== peer.answer.sha256 && !swasgi.failure) {
      swasgi.failure = { status: 200, note: `200: answer differs from the peer's (${swasgi.answer.bytes} vs ${peer.answer.bytes} bytes)` };
      log(`workload ${w.name}: swasgi ${swasgi.failure.note}`);
    }
    const bySystem = {};
    for (const [name, x] of st) {
      bySystem[name] = { ...summary(x.failure ? [] : x.times), answer: x.answer, ...(x.failure ? { failure: x.failure } : {}) };
    }
    out[w.name] = { label: w.label(plan.sizes), request: `/work/${w.path(plan.sizes)}`, goal: w.goal, ...bySystem };
    const ms = (x) => (x ? (x.failure ? "failed" : `${x.median?.toFixed(2)} ms`) : "-");
    log(`workload ${w.name}: swasgi ${ms(bySystem.swasgi)}, pyodide ${ms(bySystem.pyodide)}`);
  }
  return out;
}

/** results.json's `workloads`: every workload, medians in ms (null when not measured or failed, with the failure beside). */
export function workloadFigures(measured) {
  const figures = {};
  for (const w of WORKLOADS) {
    const m = measured?.[w.name];
    const entry = { swasgiMs: round(m?.swasgi?.median ?? null), pyodideMs: round(m?.pyodide?.median ?? null) };
    if (m?.swasgi?.failure) entry.swasgiError = m.swasgi.failure.note;
    if (m?.pyodide?.failure) entry.pyodideError = m.pyodide.failure.note;
    figures[w.name] = entry;
  }
  return figures;
}
