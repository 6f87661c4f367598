import { importedModules } from "../python/importedModules.ts";
import { pythonLibBytes } from "../python/index.ts";
import { FROZEN_PATCH } from "../python/library.ts";
import { type DataStore, MemoryStore, QuotaError, type StoredTree } from "../store/protocol.ts";
import { bootImageKey } from "./bootImageKey.ts";
import { withCompatHint } from "./compatHints.ts";
import { DataSync, lostFailure } from "./dataSync.ts";
import { readFrozenPatch } from "./frozenPatch.ts";
import { PyError } from "./ffi/convert.ts";
import { precompilePlan, writeStubs, writeStubTemplate } from "./precompiledImports.ts";
import { type HostValue, PyHandle } from "./ffi/records.ts";
import { hostModule } from "./hostModule.ts";
import { type AppImage, decodeAppImage, encodeAppImage } from "./appImage.ts";
import type { BootImage } from "./bootImage.ts";
import { Interpreter, InterpreterDead, type Runtime } from "./interpreter.ts";
import { OutputLines } from "./outputLines.ts";
import type { AppSource, Failure, RunnerReply, RunnerRequest } from "./protocol.ts";
import { randomModule } from "./randomModule.ts";
import { locate, RequestCycle } from "./requestCycle.ts";
import { HardStop } from "./sliceClock.ts";
import { type SqliteEngineLoader, sqliteMemoryShare, usesSqlite } from "./sqliteEngine.ts";
import { SqliteGrant, sqliteModule } from "./sqliteModule.ts";

export type LogEntry =
  | { kind: "output"; app: string; stream: "stdout" | "stderr"; text: string }
  | { kind: "event"; app: string; level: "info" | "warn" | "error"; message: string; detail?: string };

export interface AppRunnerOptions {
  runtime: Runtime;
  /** Where `/data` persists; kept in memory when omitted. */
  store?: DataStore;
  /** Dev mode: error pages may show tracebacks (the host decides), more logging. */
  dev?: boolean;
  /** How long past the deadline Python may run after its KeyboardInterrupt (≤ 1 s). */
  graceMs?: number;
  /** How long the lifespan startup may take before requests fail. */
  startupTimeoutMs?: number;
  /**
   * `store.load()` already under way, for the first boot: a Service Worker that starts for a
   * request reads `/data` while the runtime compiles instead of after.
   */
  initialData?: Promise<StoredTree>;
  onLog?(entry: LogEntry): void;
  /** Brings in the SQLite engine for apps that import sqlite3; without it they get an ImportError. */
  sqlite?: SqliteEngineLoader;
  /**
   * Compile the app's modules once and keep them as an app image (appImage.ts), so later boots
   * import them without compiling: what a Service Worker's cold start spends most of its
   * import time on. Worth it where boots repeat (a worker's next start, a replaced
   * interpreter), not for a one-shot request.
   */
  appImages?: AppImageStore;
}

/**
 * Where an app's image is kept beyond the runner (used only for a source with a `version`);
 * with neither function it lives as long as the runner.
 */
export interface AppImageStore {
  /** The image saved last time, read while the runtime loads. */
  load?(): Promise<Uint8Array | undefined>;
  save?(bytes: Uint8Array): void;
}

/** One running interpreter of the app, from boot until it is retired. */
interface Generation {
  py: Interpreter;
  data: DataSync;
  sqlite: SqliteGrant;
  dispatch: PyHandle | undefined;
  cycles: Map<number, RequestCycle>;
  startup: Failure | undefined;
  /** False when the app rejected the lifespan scope: no shutdown event then. */
  lifespan: boolean;
  lifespanReports: ((phase: string, outcome: string, message: string) => void)[];
  shutdown: () => void;
  shutdownRequested: Promise<void>;
  retired: boolean;
  drained: Promise<void>;
  markDrained: () => void;
}

const LIB_DIR = "/lib";
const APP_DIR = "/app";
/** The boot a boot image saves: swasgi's library, imported before any file of the app exists. */
const LIBRARY_IMPORTS = "import _swasgi_compat\nimport _swasgi_bridge\nimport _swasgi_precompiled\n";
/** The one host call an import makes in every app: the bridge handing the host its dispatcher. */
const BRIDGE_REGISTERS = "host function register";
const BOOT_MODULE_FILES = new Set(["_swasgi_compat.py", "_swasgi_bridge.py", "_swasgi_precompiled.py"]);

/**
 * Runs one app: boots a sandboxed interpreter with the app's files, its `/data` and the
 * bridge, feeds it requests, and replaces it whenever it dies (time limit), hit its memory
 * cap or lost its event loop. Hosts (Service Worker, CLI, tests) only call `request`.
 *
 * @example
 *   const runner = new AppRunner(source, { runtime: await loadRuntimeNode() });
 *   const reply = await runner.request({ scope, body: null });
 */
export class AppRunner {
  #source: AppSource;
  #options: AppRunnerOptions;
  #store: DataStore;
  #current: Promise<Generation | Failure> | undefined;
  #retiring: Generation | undefined;
  #nextId = 1;
  #commits: Promise<unknown> = Promise.resolve();
  /** /data as read before the first boot (nothing can commit before it). */
  #prefetched: Promise<StoredTree> | undefined;
  /** This source's app image, once captured or read. */
  #appImage: AppImage | undefined;
  #storedAppImage: Promise<Uint8Array | undefined> | undefined;

  constructor(source: AppSource, options: AppRunnerOptions) {
    this.#source = source;
    this.#options = options;
    this.#store = options.store ?? new MemoryStore();
    this.#prefetched = options.initialData;
    this.#storedAppImage = source.version ? options.appImages?.load?.().catch(() => undefined) : undefined;
  }

  get config() {
    return this.#source.config;
  }

  /** Boots the interpreter now rather than at the first request; resolves to a load failure, if any. */
  async start(): Promise<Failure | undefined> {
    const generation = await this.#generation();
    return "code" in generation ? generation : generation.startup;
  }

  async request(request: RunnerRequest): Promise<RunnerReply> {
    const generation = await this.#generation();
    if ("code" in generation) return { kind: "failure", failure: generation };
    if (generation.startup) return { kind: "failure", failure: generation.startup };
    const id = this.#nextId++;
    const cycle = new RequestCycle(id, request, {
      commit: () => this.#commit(generation, id),
      rollback: () => {
        if (generation.py.dead) return;
        // No connection may keep a transaction or cached pages of what /data is about to forget.
        generation.sqlite.backend?.rollbackAll();
        generation.data.rollback();
      },
      maxBodyBytes: this.config.maxBodyBytes,
      maxResponseBytes: this.config.maxResponseBytes,
    });
    generation.cycles.set(id, cycle);
    this.#watch(cycle);
    generation.data.begin(id);
    void cycle.done.then(() => {
      generation.cycles.delete(id);
      generation.data.end(id);
      if (generation.py.memoryCap.refused) this.#retire(generation, "it hit its memory cap");
      if (generation.retired && generation.cycles.size === 0) generation.markDrained();
    });
    this.#enter(generation, () => generation.py.call(generation.dispatch!, [id, JSON.stringify(request.scope)]));
    return cycle.reply;
  }

  /**
   * The host's own guarantee that a request settles, whatever happens in the interpreter: an
   * app must return its response, or start streaming it, within the time limit plus grace (a
   * crash, a forged host call or a bug of ours cannot leave it hanging). Awaiting is not
   * charged to the CPU limit, so an app that needs longer streams: once a stream is out, it
   * may live as long as the app sends.
   */
  #watch(cycle: RequestCycle): void {
    const limit = this.config.timeoutMs + this.#graceMs();
    const timer = setTimeout(() => {
      if (cycle.released || cycle.settled) return;
      const failure: Failure = {
        code: "timeout",
        message: `The app did not answer within ${limit} ms (its time limit plus grace); a response that needs longer must be streamed (more_body).`,
      };
      this.#options.onLog?.({ kind: "event", app: this.config.name, level: "error", message: `${this.config.name}: ${failure.message}` });
      cycle.finishWith(failure);
    }, limit);
    void cycle.reply.then(() => clearTimeout(timer));
  }

  #graceMs(): number {
    return this.#options.graceMs ?? Math.min(1000, Math.max(100, this.config.timeoutMs / 10));
  }

  /** Swaps in new app files (dev reload): the next request boots the new version. */
  async reload(source: AppSource): Promise<void> {
    const old = this.#current;
    this.#source = source;
    this.#current = undefined;
    this.#appImage = undefined;
    this.#storedAppImage = undefined;
    const generation = await old;
    if (generation && !("code" in generation)) await this.#shutdown(generation);
  }

  /** Runs the lifespan shutdown and discards the interpreter. */
  async close(): Promise<void> {
    const generation = await this.#current;
    this.#current = undefined;
    if (generation && !("code" in generation)) await this.#shutdown(generation);
  }

  #generation(): Promise<Generation | Failure> {
    this.#current ??= this.#boot();
    return this.#current;
  }

  async #boot(): Promise<Generation | Failure> {
    const { config, files } = this.#source;
    const log = this.#options.onLog;
    // A retiring interpreter may still commit /data for its last requests: wait for those.
    if (this.#retiring) await Promise.race([this.#retiring.drained, sleep(config.timeoutMs + 1000)]);
    let generation!: Generation;
    const output = new OutputLines((stream, text) => log?.({ kind: "output", app: config.name, stream, text }));
    const t0 = performance.now();
    const slot = this.#options.runtime.bootImages;
    const imageKey = slot && bootImageKey(slot.runtimeKey);
    // An image for another library or runtime (never restored) makes way for a fresh capture.
    if (slot?.image && slot.image.key !== imageKey) slot.discard();
    let image = slot?.image;
    // An imported image ran the entry module in this mode: both are part of what it is valid for.
    const appKey = imageKey && this.#options.appImages
      ? `${imageKey};app=${this.#source.version ?? "unversioned"};entry=${config.entry};dev=${this.#options.dev ?? false}`
      : undefined;
    let appImage = image && appKey ? await this.#readAppImage(appKey) : undefined;
    if (appImage?.base !== image?.id) appImage = undefined;
    // Imports are synchronous: an app that uses sqlite3 gets its engine instance before its
    // first line runs, with a share of the app's memory cap (the interpreter gets the rest).
    const sqlite = new SqliteGrant();
    const sqliteBytes = usesSqlite(files) ? sqliteMemoryShare(config.memoryMb) : 0;
    const engine = sqliteBytes ? this.#options.sqlite?.() : undefined;
    const backend = engine?.then((e) => e.instantiate(sqliteBytes, { fs: () => py.fs, inTime: () => inTime(py) }));
    backend?.catch(() => undefined);
    if (sqliteBytes && !engine) sqlite.unavailable("this host has no SQLite engine");
    const create = (image: BootImage | undefined, appImage?: AppImage) => Interpreter.create(this.#options.runtime, {
      image,
      appImage,
      timeoutMs: config.timeoutMs,
      graceMs: this.#graceMs(),
      memoryBytes: config.memoryMb * 1024 * 1024 - sqliteBytes,
      modules: {
        _swasgi_sqlite: sqliteModule(sqlite, () => py.memory),
        _swasgi_host: hostModule({
          memory: () => py.memory,
          cycle: (id) => generation.cycles.get(id),
          register: (dispatch) => (generation.dispatch = dispatch),
          lifespan: (phase, outcome, message) => {
            for (const report of generation.lifespanReports) report(phase, outcome, message);
          },
          shutdownRequested: () => generation.shutdownRequested,
        }),
        _swasgi_random: randomModule(() => py.memory),
      },
      onOutput: (stream, bytes) => output.write(stream, bytes),
      onHostError: (where, error) =>
        log?.({ kind: "event", app: config.name, level: "error", message: `host error in ${where}`, detail: String(error) }),
      onBackgroundError: (error) => this.#backgroundError(generation, error),
    });
    // Read /data while the interpreter starts (an IndexedDB read in the Service Worker).
    // The library modules the app imports (a fetch in the Service Worker), likewise.
    const library = this.#options.runtime.library?.(importedModules(files)) ?? Promise.resolve(new Map<string, Uint8Array>());
    library.catch(() => undefined);
    const stored = this.#prefetched ?? this.#store.load();
    this.#prefetched = undefined;
    stored.catch(() => undefined);
    let py: Interpreter;
    mark("create");
    try {
      py = await create(image, appImage);
    } catch (error) {
      if (!image) throw error;
      log?.({ kind: "event", app: config.name, level: "warn", message: `${config.name}: the boot image could not be restored; booting`, detail: String(error) });
      if (!appImage) slot?.discard();
      this.#appImage = appImage = undefined;
      image = undefined;
      py = await create(undefined);
    }
    let shutdown!: () => void;
    let markDrained!: () => void;
    generation = {
      py,
      data: new DataSync(py.fs, { storageBytes: config.storageMb * 1024 * 1024 }),
      sqlite,
      dispatch: undefined,
      cycles: new Map(),
      startup: undefined,
      lifespan: true,
      lifespanReports: [],
      shutdown: () => shutdown(),
      shutdownRequested: new Promise((resolve) => (shutdown = resolve)),
      retired: false,
      drained: new Promise((resolve) => (markDrained = resolve)),
      markDrained: () => markDrained(),
    };
    mark("created");
    /** Every file of /lib, for the precompile plan. */
    const libraryFiles = new Map(pythonLibBytes());
    // A restored interpreter has imported the boot modules already: their files are not needed.
    for (const [path, bytes] of pythonLibBytes()) {
      if (!image || !BOOT_MODULE_FILES.has(path)) writeFileTree(py, `${LIB_DIR}/${path}`, bytes, true);
    }
    mark("library written");
    if (!image) {
      const imported = this.#run(generation, LIBRARY_IMPORTS);
      if (imported instanceof PyError) {
        py.dispose();
        return { code: "crashed", message: `${config.name}: swasgi's Python library failed to load: ${imported.traceback.trim().split("\n").pop()}`, traceback: imported.traceback };
      }
      // Taken before the app's files exist, so it holds nothing of this app (bootImage.ts).
      const captured = imageKey ? py.captureImage(imageKey) : undefined;
      if (captured) slot?.offer(captured);
      mark("library imported");
    }
    // App files go in after the library is imported: they cannot shadow what the bridge uses.
    for (const [path, bytes] of files) writeFileTree(py, `${APP_DIR}/${path}`, bytes, true);
    try {
      for (const [path, bytes] of await library) {
        if (path === FROZEN_PATCH) py.restoreFrozen(readFrozenPatch(bytes));
        else {
          writeFileTree(py, `${LIB_DIR}/${path}`, bytes, true);
          libraryFiles.set(path, bytes);
        }
      }
    } catch (error) {
      py.dispose();
      return { code: "crashed", message: `${config.name}: swasgi's Python library could not be loaded: ${String(error)}` };
    }
    mark("app written");
    if (engine && backend) {
      try {
        const python = (await engine).python;
        writeFileTree(py, `${LIB_DIR}/_sqlite3.py`, python, true);
        libraryFiles.set("_sqlite3.py", new TextEncoder().encode(python));
        sqlite.backend = await backend;
        mark("sqlite ready");
      } catch (error) {
        sqlite.unavailable(`the SQLite engine failed to load (${String(error)})`);
        log?.({ kind: "event", app: config.name, level: "error", message: `${config.name}: the SQLite engine failed to load`, detail: String(error) });
      }
    }
    if (appImage?.imported && sqliteBytes && !sqlite.backend) {
      // Its import found an engine this start lacks: import afresh, so the app meets the real error.
      py.dispose();
      this.#appImage = undefined;
      return this.#boot();
    }
    // Not at a boot that had to make the boot image (a site's first visit): that boot already
    // pays for the library's compile, and taking the app image costs tens of ms more (its scan
    // of memory). The next boot takes it, and every one after restores it.
    if (appImage) writeStubs(py.fs, appImage.modules);
    else if (image && appKey) this.#precompile(generation, image, appKey, libraryFiles);
    mark("precompiled");
    try {
      generation.data.fill(await stored);
      mark("/data loaded");
    } catch (error) {
      return { code: "crashed", message: `${config.name}: its /data could not be loaded: ${String(error)}` };
    }

    const booted = appImage?.imported ? this.#resume(generation) : this.#import(generation, image, appKey);
    mark("app imported");
    if (booted instanceof PyError || !generation.dispatch) {
      const traceback = booted instanceof PyError ? booted.traceback : "";
      const last = traceback.trim().split("\n").pop() ?? "the bridge did not register";
      py.dispose();
      const failure: Failure = {
        code: "load-error",
        message: `${config.name}: the app could not be loaded (${config.entry}): ${withCompatHint(last)}`,
        traceback,
        ...loadErrorLocation(traceback, config.entry, files),
      };
      log?.({ kind: "event", app: config.name, level: "error", message: failure.message, detail: traceback });
      return failure;
    }
    generation.startup = await this.#lifespanStartup(generation);
    mark("lifespan started");
    // What the app wrote to /data while it started (a database's schema, say) is saved now:
    // otherwise it would ride with the first request, and a first request that fails would
    // take it away from under the app's open files.
    if (!generation.startup) await this.#commit(generation, 0);
    log?.({
      kind: "event",
      app: config.name,
      level: "info",
      message: `${config.name}: interpreter ready in ${Math.round(performance.now() - t0)} ms${appImage?.imported ? " (from the app image, imported)" : appImage ? " (from the app image)" : image ? " (from the boot image)" : ""}`,
    });
    return generation;
  }

  /** This source's app image: the one captured in this runner, else the stored one if valid. */
  async #readAppImage(key: string): Promise<AppImage | undefined> {
    if (this.#appImage?.key === key) return this.#appImage;
    const bytes = await this.#storedAppImage;
    this.#storedAppImage = undefined;
    this.#appImage = bytes && decodeAppImage(bytes, key);
    return this.#appImage;
  }

  /**
   * Compiles the app's modules, and the library modules it may import, before any of them
   * runs (src/python/lib/_swasgi_precompiled.py), and keeps what that changed as the app
   * image. A failure here only costs the speed-up: the import compiles as it always did.
   */
  #precompile(generation: Generation, base: BootImage, key: string, library: ReadonlyMap<string, Uint8Array>): void {
    const { config, files } = this.#source;
    const py = generation.py;
    const entries = precompilePlan(files, library);
    if (!entries.length) return;
    writeStubTemplate(py.fs);
    const list = JSON.stringify(entries.map((entry) => [entry.stub, entry.source, entry.module]));
    const listing = this.#callPython(generation, "_swasgi_precompiled", "compile_all", [list, Math.round(config.timeoutMs / 4)]);
    if (typeof listing !== "string") {
      const detail = listing instanceof PyError ? listing.traceback : String(listing);
      this.#options.onLog?.({ kind: "event", app: config.name, level: "warn", message: `${config.name}: compiling ahead of the import failed`, detail });
      return;
    }
    const image = py.captureAppImage(key, base, listing ? listing.split("\n") : [], false);
    if (image) this.#keep(image);
  }

  /** Makes `image` this runner's app image, and the host's for the app's version. */
  #keep(image: AppImage): void {
    this.#appImage = image;
    if (this.#source.version) this.#options.appImages?.save?.(encodeAppImage(image));
  }

  /**
   * Imports the app through the bridge. After a compiled app image the import is watched, and
   * kept as an imported app image when it did nothing a later start must see again.
   */
  #import(generation: Generation, base: BootImage | undefined, key: string | undefined): unknown {
    const { config } = this.#source;
    const py = generation.py;
    const compiled = this.#appImage;
    const watch = base && key && compiled?.key === key && !compiled.imported;
    if (watch) py.effects.start();
    const booted = this.#callPython(generation, "_swasgi_bridge", "boot", [config.entry, this.#options.dev ?? false]);
    const effects = watch ? [...py.effects.stop()].filter((effect) => effect !== BRIDGE_REGISTERS) : [];
    if (!watch || booted instanceof PyError || !generation.dispatch) return booted;
    if (effects.length) {
      if (this.#options.dev) this.#options.onLog?.({ kind: "event", app: config.name, level: "info", message: `${config.name}: its import runs at every start (it used ${effects.slice(0, 3).join(", ")})` });
      return booted;
    }
    const image = py.captureAppImage(key, base, compiled.modules, true);
    if (image) this.#keep(image);
    return booted;
  }

  /** After an imported app image: the app is in memory already, the host only needs its dispatcher. */
  #resume(generation: Generation): unknown {
    const dispatch = generation.py.member("_swasgi_bridge", "_dispatch");
    if (!(dispatch instanceof PyHandle)) return dispatch instanceof PyError ? dispatch : new PyError("TypeError", "TypeError: _swasgi_bridge._dispatch is not callable\n");
    generation.dispatch = dispatch;
    return undefined;
  }

  #lifespanStartup(generation: Generation): Promise<Failure | undefined> {
    const { config } = this.#source;
    const limit = this.#options.startupTimeoutMs ?? Math.max(10_000, config.timeoutMs * 2);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ code: "startup-failed", message: `${config.name}: lifespan startup did not finish within ${limit} ms.` }),
        limit,
      );
      generation.lifespanReports.push((phase, outcome, message) => {
        if (phase !== "startup") return;
        clearTimeout(timer);
        if (outcome === "unsupported") generation.lifespan = false;
        if (outcome === "failed") {
          resolve({
            code: "startup-failed",
            message: `${config.name}: lifespan startup failed${message ? `: ${message.trim().split("\n").pop()}` : ""}`,
            traceback: message,
          });
        } else resolve(undefined);
      });
      const started = this.#callPython(generation, "_swasgi_bridge", "start_lifespan", []);
      if (started instanceof PyError) {
        clearTimeout(timer);
        resolve({ code: "startup-failed", message: `${config.name}: lifespan could not start`, traceback: started.traceback });
      }
    });
  }

  /** Runs code at boot; a hard stop becomes a PyError so boot reports it like any failure. */
  #run(generation: Generation, code: string): unknown {
    try {
      return generation.py.exec(code);
    } catch (error) {
      if (error instanceof HardStop || error instanceof InterpreterDead) {
        return new PyError("TimeoutError", `TimeoutError: ${error.message}\n`);
      }
      throw error;
    }
  }

  /**
   * Calls a function of swasgi's Python at boot, as #run runs code: by handle, because the first
   * line of source an instance compiles costs milliseconds of compiling the compiler's wasm.
   */
  #callPython(generation: Generation, module: string, name: string, args: HostValue[]): unknown {
    try {
      const fn = generation.py.member(module, name);
      if (!(fn instanceof PyHandle)) return fn instanceof PyError ? fn : new PyError("TypeError", `TypeError: ${module}.${name} is not callable\n`);
      const result = generation.py.call(fn, args);
      generation.py.release(fn);
      return result;
    } catch (error) {
      if (error instanceof HardStop || error instanceof InterpreterDead) {
        return new PyError("TimeoutError", `TimeoutError: ${error.message}\n`);
      }
      throw error;
    }
  }

  /** Calls into Python for a request; a hard stop there fails every request of the generation. */
  #enter(generation: Generation, fn: () => unknown): void {
    try {
      const result = fn();
      if (result instanceof PyError) this.#backgroundError(generation, result);
    } catch (error) {
      if (error instanceof HardStop || error instanceof InterpreterDead) this.#backgroundError(generation, error);
      else throw error;
    }
  }

  /** Python failed outside any request's own handler, or the interpreter was stopped or crashed. */
  #backgroundError(generation: Generation, error: PyError | HardStop | InterpreterDead): void {
    const { config } = this.#source;
    const log = this.#options.onLog;
    const stopped = error instanceof HardStop || (error instanceof InterpreterDead && error.stopped);
    const crashed = error instanceof InterpreterDead && !error.stopped;
    const interrupted = error instanceof PyError && error.type === "KeyboardInterrupt";
    if (!stopped && !crashed && !interrupted) {
      // An exception in a detached task of the app: logged, the interpreter carries on.
      log?.({ kind: "event", app: config.name, level: "warn", message: `${config.name}: unhandled error in a background task`, detail: error instanceof PyError ? error.traceback : String(error) });
      return;
    }
    const failure: Failure = crashed
      ? {
          code: "crashed",
          message: `The app's interpreter crashed (${describeCrash(error.cause)}); it is replaced and the next request gets a fresh one.`,
        }
      : {
          code: "timeout",
          message: `The app ran past its CPU time limit (${config.timeoutMs} ms) and its interpreter was ${stopped ? "stopped" : "interrupted"}.`,
        };
    log?.({ kind: "event", app: config.name, level: "error", message: `${config.name}: ${failure.message}`, detail: crashed ? String(error.cause) : undefined });
    for (const cycle of generation.cycles.values()) cycle.finishWith(failure);
    // Stopped in its lifespan startup, the app will never report it: fail the startup now
    // rather than after startupTimeoutMs (a no-op once the startup was reported).
    for (const report of generation.lifespanReports) report("startup", "failed", failure.message);
    this.#retire(generation, crashed ? "it crashed" : stopped ? "it was stopped at its time limit" : "its event loop was interrupted");
  }

  #retire(generation: Generation, why: string): void {
    if (generation.retired) return;
    generation.retired = true;
    this.#retiring = generation;
    this.#options.onLog?.({ kind: "event", app: this.config.name, level: "info", message: `${this.config.name}: replacing the interpreter: ${why}` });
    void this.#current?.then((current) => {
      if (current === generation) this.#current = undefined;
    });
    if (generation.cycles.size === 0) generation.markDrained();
    void generation.drained.then(() => generation.py.dispose());
  }

  /** Commits a finished request's `/data` changes, in completion order. */
  #commit(generation: Generation, id: number): Promise<Failure | undefined> {
    const run = async (): Promise<Failure | undefined> => {
      if (generation.py.dead) return undefined;
      // Its changes may have been undone with another request's (dataSync.ts): no success then.
      const lost = generation.data.lost(id);
      if (lost) {
        const failure = lostFailure(this.config.name, lost);
        this.#options.onLog?.({ kind: "event", app: this.config.name, level: "error", message: failure.message });
        return failure;
      }
      const changes = generation.data.take();
      if (!changes) return undefined;
      try {
        await this.#store.commit(changes);
        generation.data.settle(true);
        return undefined;
      } catch (error) {
        const quota = error instanceof QuotaError;
        generation.sqlite.backend?.rollbackAll();
        generation.data.settle(quota ? "quota" : "save failed");
        const failure: Failure = {
          code: quota ? "quota" : "crashed",
          message: quota
            ? `${this.config.name}: storage is full; this request's changes to /data were not saved.`
            : `${this.config.name}: saving /data failed; this request's changes were not saved (${String(error)}).`,
        };
        this.#options.onLog?.({ kind: "event", app: this.config.name, level: "error", message: failure.message });
        return failure;
      }
    };
    const result = this.#commits.then(run);
    this.#commits = result.catch(() => undefined);
    return result;
  }

  async #shutdown(generation: Generation): Promise<void> {
    if (generation.py.dead) return;
    // No shutdown after a failed startup, as the ASGI lifespan spec has it (uvicorn exits
    // there); the app is usually not listening any more, and waiting would only time out.
    if (!generation.lifespan || generation.startup) {
      generation.py.dispose();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = new Promise<void>((resolve) => {
      generation.lifespanReports.push((phase) => phase === "shutdown" && resolve());
      timer = setTimeout(resolve, 1000);
    });
    generation.shutdown();
    await done;
    // A pending timer would keep a one-shot process (`swasgi request`) alive for the full second.
    clearTimeout(timer);
    generation.py.dispose();
  }
}

/**
 * Where an import failure is, in the app's own files: frames of the boot snippet (<stdin>) and
 * of swasgi's Python library (/lib, the bridge) are ours, and naming them sends the user to
 * the wrong file. A missing entry attribute has no frame of the app at all: then the entry
 * module, line 1.
 */
export function loadErrorLocation(traceback: string, entry: string, files: Map<string, Uint8Array>): { file?: string; line?: number } {
  const appFrames = traceback.replace(/ *File "(<stdin>|\/lib\/[^"]*)"[^\n]*\n/g, "");
  const where = locate(appFrames);
  if (where.file) return where;
  const module = entry.split(":")[0].replace(/\./g, "/");
  return { file: files.has(`${module}.py`) ? `${module}.py` : `${module}/__init__.py`, line: 1 };
}

function writeFileTree(py: Interpreter, path: string, data: string | Uint8Array, readOnly: boolean): void {
  // mkdirTree tries every level and catches "exists": only call it for a missing directory.
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  if (!py.fs.analyzePath(dir).exists) py.fs.mkdirTree(dir);
  py.fs.writeFile(path, data);
  if (readOnly) py.fs.chmod(path, 0o444);
}

const markedPhases = new Set<string>();

/**
 * Boot phases on the realm's performance timeline (DevTools, the benchmark's cold-start probe).
 * Each boot replaces the previous boot's marks: the timeline keeps marks until they are cleared.
 */
function mark(phase: string): void {
  const name = `swasgi boot: ${phase}`;
  if (phase === "create") for (const old of markedPhases) performance.clearMarks(old);
  markedPhases.add(name);
  performance.mark(name);
}

/** What a person can act on: a JS stack overflow is deep recursion in C (a regex, say). */
function describeCrash(cause: unknown): string {
  if (cause instanceof RangeError) return "the native stack overflowed, as deep recursion inside a C function such as a regular expression does";
  if (cause instanceof WebAssembly.RuntimeError) return `a WebAssembly trap: ${cause.message}`;
  return String(cause);
}

/** For SQLite's progress handler: false once the running slice is past its deadline. */
function inTime(py: Interpreter): boolean {
  try {
    py.clock.refuel();
  } catch {
    return false; // past the grace period too: HardStop is thrown when Python gets control back
  }
  return !py.clock.interrupted;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
