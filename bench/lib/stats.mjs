// Order statistics for the benchmark figures.

/** The q-quantile (0..1) of `values`, nearest-rank. */
export function quantile(values, q) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, runs }` of repeated measurements; nulls when there are none. */
export function summary(values) {
  const runs = values.filter((v) => v !== null && v !== undefined && Number.isFinite(v));
  if (!runs.length) return { median: null, min: null, max: null, runs: [] };
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** Rounds for presentation: ms to 0.01, larger values to integers. */
export function round(value, digits = 2) {
  if (value === null || value === undefined) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
