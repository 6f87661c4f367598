import type { AppConfig } from "./protocol.ts";

export const DEFAULT_CONFIG: Omit<AppConfig, "name"> = {
  entry: "app:app",
  mount: "/app/",
  timeoutMs: 5000,
  memoryMb: 64,
  storageMb: 64,
  maxBodyBytes: 32 * 1024 * 1024,
  maxResponseBytes: 64 * 1024 * 1024,
};

/** A mistake in an app folder, named with the file (and key) it is in. */
export class AppConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "AppConfigError";
  }
}

const LIMITS: Record<"timeoutMs" | "memoryMb" | "storageMb" | "maxBodyBytes" | "maxResponseBytes", [number, number]> = {
  timeoutMs: [10, 600_000],
  memoryMb: [24, 2048],
  storageMb: [1, 4096],
  maxBodyBytes: [0, 2 ** 31],
  maxResponseBytes: [0, 2 ** 31],
};

/**
 * Reads `swasgi.json` (optional) over the defaults; `overrides` (CLI flags, a mount given as
 * DIR=/mount/) win.
 * @example appConfig("notes", files, { mount: "/notes/" }) // { entry: "app:app", mount: "/notes/", ... }
 */
export function appConfig(name: string, files: Map<string, Uint8Array>, overrides: Partial<AppConfig> = {}): AppConfig {
  let fromFile: Record<string, unknown> = {};
  const raw = files.get("swasgi.json");
  if (raw) {
    const text = new TextDecoder().decode(raw);
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new AppConfigError("swasgi.json", `is not valid JSON (${(error as Error).message})`);
    }
    if (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile)) {
      throw new AppConfigError("swasgi.json", "must hold a JSON object");
    }
  }
  const config: AppConfig = { name, ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(fromFile)) {
    if (key === "name" || key === "entry") {
      if (typeof value !== "string" || !value) throw new AppConfigError("swasgi.json", `"${key}" must be a non-empty string`);
      config[key] = value;
    } else if (key === "mount") {
      config.mount = normalizeMount(value, "swasgi.json");
    } else if (key in LIMITS) {
      const [min, max] = LIMITS[key as keyof typeof LIMITS];
      if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
        throw new AppConfigError("swasgi.json", `"${key}" must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
      }
      config[key as keyof typeof LIMITS] = value;
    } else if (!key.startsWith("$")) {
      throw new AppConfigError(
        "swasgi.json",
        `unknown key "${key}" (known: name, entry, mount, timeoutMs, memoryMb, storageMb, maxBodyBytes, maxResponseBytes)`,
      );
    }
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  if (overrides.mount !== undefined) config.mount = normalizeMount(overrides.mount, "mount");
  if (!/^[A-Za-z_][\w.]*(:[A-Za-z_][\w.]*)?$/.test(config.entry)) {
    throw new AppConfigError("swasgi.json", `"entry" must look like "module:attribute", got "${config.entry}"`);
  }
  const module = config.entry.split(":")[0].replace(/\./g, "/");
  if (!files.has(`${module}.py`) && !files.has(`${module}/__init__.py`)) {
    throw new AppConfigError(`${module}.py`, `not found: the entry "${config.entry}" needs it in the app folder`);
  }
  return config;
}

/** "/notes" → "/notes/"; rejects what cannot be a URL path prefix. */
export function normalizeMount(value: unknown, where: string): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[?#\s]/.test(value)) {
    throw new AppConfigError(where, `"mount" must be a URL path like "/app/", got ${JSON.stringify(value)}`);
  }
  return value.endsWith("/") ? value : `${value}/`;
}
