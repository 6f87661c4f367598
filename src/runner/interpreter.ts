import createModule, { type EmscriptenFS } from "../../build/runtime/glue.mjs";
import type { LibraryFiles } from "../python/library.ts";
import { type AppImage, applyRuns, diffRuns } from "./appImage.ts";
import { type BootImage, type BootImageSlot, PAGE_BYTES, pagesOf, restorePages } from "./bootImage.ts";
import { BREAK } from "./gcLayout.ts";
import { type ConvertContext, fromPython, PyError, toPython, VALUE_BYTES } from "./ffi/convert.ts";
import { ffiImports } from "./ffi/ffiImports.ts";
import { LinearMemory } from "./ffi/memory.ts";
import { HostFunction, HostPromise, type HostValue, type JsRecord, Namespace, PyHandle, PyObjectRecord, type PyValue } from "./ffi/records.ts";
import { REF_JS_MODULE, RefTable } from "./ffi/refTable.ts";
import { Collector, type CollectorExports, STACK_BYTES } from "./collector.ts";
import { MemoryCap } from "./memoryCap.ts";
import { ImportEffects } from "./importEffects.ts";
import { posixErrnoImports } from "./posixErrno.ts";
import { QstrFilter, type QstrFilterExports } from "./qstrFilter.ts";
import { HardStop, SliceClock } from "./sliceClock.ts";
import { TimerQueue } from "./timerQueue.ts";
import { applyFrozenPatch, type FrozenPatch } from "./frozenPatch.ts";

/** The compiled runtime, shared by every interpreter of a realm (compiling is the slow part). */
export interface Runtime {
  readonly wasm: WebAssembly.Module;
  /** False for the original wasm (no fuel counter: no time limit), used as a benchmark baseline. */
  readonly instrumented: boolean;
  /** Where the runtime's boot image lives; without one every interpreter boots from scratch. */
  readonly bootImages?: BootImageSlot;
  /**
   * swasgi's Python library for an app that imports these modules (src/python/library.ts):
   * written to `/lib` before the app is imported. Without it apps get the boot modules only.
   */
  library?(imported: ReadonlySet<string>): Promise<LibraryFiles>;
  /** Collect garbage at every allocation in every interpreter: soundness tests only, very slow. */
  readonly gcStress?: boolean;
}

export interface InterpreterOptions {
  /** CPU time one synchronous run of Python may take. */
  timeoutMs: number;
  /** How long past the deadline Python may keep running after its KeyboardInterrupt. */
  graceMs: number;
  /** Cap on the interpreter's linear memory (wasm heap, Python heap, stacks). */
  memoryBytes: number;
  /** Extra modules the host grants, by import name. Python reaches nothing else. */
  modules?: Record<string, Namespace>;
  /**
   * Resume from this boot image instead of starting MicroPython. It must come from an
   * interpreter of the same runtime granted modules with the same members (bootImageKey.ts).
   */
  image?: BootImage;
  /** Applied over `image`, which must be the capture it was taken from (appImage.ts). */
  appImage?: AppImage;
  /** Bytes written to fd 1 or 2. */
  onOutput?(stream: "stdout" | "stderr", bytes: Uint8Array): void;
  /** A host function threw (a bug of ours): logged, never thrown into the interpreter. */
  onHostError?(where: string, error: unknown): void;
  /** Python failed in a callback nobody awaits (a timer), or the interpreter was stopped or crashed there. */
  onBackgroundError?(error: PyError | HardStop | InterpreterDead): void;
}

/**
 * Thrown by `exec`/`call` when the interpreter crashed during the call (`cause` is the trap or
 * error that unwound the wasm), and by every call once it was stopped hard, crashed or disposed.
 */
export class InterpreterDead extends Error {
  constructor(
    readonly reason: string,
    options?: { cause: unknown },
  ) {
    super(`the interpreter is no longer usable: ${reason}`, options);
    this.name = "InterpreterDead";
  }

  /** Stopped at the time limit (a HardStop before), rather than crashed. */
  get stopped(): boolean {
    return this.reason.startsWith(STOPPED);
  }
}

const STOPPED = "stopped after";

// 256 KB: room for the Python frames of 1,000 calls (the C stack allows about as many, collector.ts).
const PYSTACK_WORDS = 64 * 1024;
const INITIAL_HEAP_BYTES = 1024 * 1024;
/** What a boot image depends on besides the wasm and the Python library. */
export const BOOT_PARAMETERS = `pystack=${PYSTACK_WORDS},heap=${INITIAL_HEAP_BYTES},cstack=${STACK_BYTES},qstrfilter`;

interface Exports extends CollectorExports, QstrFilterExports {
  malloc(size: number): number;
  free(ptr: number): void;
  mp_js_init(pystack: number, heap: number): void;
  proxy_c_init(): void;
  mp_js_do_exec(src: number, len: number, out: number): void;
  mp_js_register_js_module(name: number, value: number): void;
  proxy_c_to_js_call(cref: number, nArgs: number, args: number, out: number): void;
  mp_js_do_import(name: number, out: number): void;
  proxy_c_to_js_lookup_attr(cref: number, attr: number, out: number): void;
  proxy_c_free_obj(cref: number): void;
  mp_sched_keyboard_interrupt(): void;
}

/**
 * One sandboxed MicroPython interpreter. It sees its own memory, its own emscripten file
 * system, the `js` module (timers only) and the modules the host granted. Every entry into
 * Python (exec, call, timer, promise callback) is a slice under the time limit.
 */
export class Interpreter {
  readonly fs: EmscriptenFS;
  readonly clock: SliceClock;
  readonly memoryCap: MemoryCap;
  /** The garbage collector's hooks; undefined on the original (uninstrumented) wasm. */
  collector: Collector | undefined;
  /** Watches what Python does that a memory image could not repeat (an app's import). */
  readonly effects: ImportEffects;
  #exports: Exports;
  #ctx: ConvertContext;
  #timers: TimerQueue;
  #options: InterpreterOptions;
  #dead: string | undefined;
  #wasmMemory: WebAssembly.Memory;

  private constructor(
    fs: EmscriptenFS,
    exports: Exports,
    ctx: ConvertContext,
    clock: SliceClock,
    cap: MemoryCap,
    timers: TimerQueue,
    options: InterpreterOptions,
    wasmMemory: WebAssembly.Memory,
    effects: ImportEffects,
  ) {
    this.#wasmMemory = wasmMemory;
    this.effects = effects;
    this.fs = fs;
    this.#exports = exports;
    this.#ctx = ctx;
    this.clock = clock;
    this.memoryCap = cap;
    this.#timers = timers;
    this.#options = options;
  }

  /**
   * Instantiates the runtime and starts MicroPython.
   * @example
   *   const py = await Interpreter.create(runtime, { timeoutMs: 5000, graceMs: 500, memoryBytes: 64 << 20 });
   *   py.exec("print(1 + 1)");
   */
  static async create(runtime: Runtime, options: InterpreterOptions): Promise<Interpreter> {
    const clock = new SliceClock(options.timeoutMs, options.graceMs);
    const cap = new MemoryCap(options.memoryBytes);
    const collector = new Collector({ capBytes: cap.capBytes, stress: runtime.gcStress, onFull: () => cap.reached() });
    // Filled in once the instance exists; imports are only called after that.
    let exports!: Exports;
    let memory!: LinearMemory;
    let wasmMemory!: WebAssembly.Memory;
    let self!: Interpreter;
    const pending: PyHandle[] = [];
    // /app and /lib are written alike at every boot of an app version; /data and /tmp are not.
    const effects = new ImportEffects(["/app", "/lib"]);
    const releasePython = (handle: PyHandle): void => self?.release(handle);
    const timers = new TimerQueue((handle) => self.#callback(handle, []), releasePython);
    // `import js` is ref 0: timers only (the runtime's asyncio needs them), nothing of the realm.
    const table = new RefTable(
      new Namespace("js", {
        setTimeout: new HostFunction("setTimeout", (callback, ms) => timers.set(asHandle(callback), ms)),
        clearTimeout: new HostFunction("clearTimeout", (id) => timers.clear(id)),
      }),
    );
    const ctx: ConvertContext = {
      get memory() {
        return memory;
      },
      table,
      malloc: (size) => exports.malloc(size),
      free: (ptr) => exports.free(ptr),
      pending,
    };
    const ffi = ffiImports({
      ...ctx,
      get memory() {
        return memory;
      },
      releasePython,
      onHostError: (where, error) => options.onHostError?.(where, error),
      onHostCall: (label) => effects.note(`host ${label}`),
      then: (promise, callback) => {
        promise.promise.then(
          (value) => self.#callback(callback, [value]),
          () => self.#callback(callback, [undefined]),
        ).finally(() => releasePython(callback));
      },
    });
    const output = (stream: "stdout" | "stderr") => (iov: number, iovcnt: number, pnum: number): number => {
      let total = 0;
      for (let i = 0; i < Math.min(iovcnt >>> 0, 1024); i++) {
        const ptr = memory.u32(iov + i * 8);
        const len = memory.u32(iov + i * 8 + 4);
        const bytes = memory.bytes(ptr, len);
        if (bytes.byteLength) options.onOutput?.(stream, bytes);
        total += len;
      }
      memory.setI32(pnum, total);
      return 0;
    };
    const stdout = output("stdout");
    const stderr = output("stderr");

    const module = await createModule({
      print: () => {},
      printErr: (text) => options.onHostError?.("runtime", text),
      instantiateWasm(info, receive) {
        const env = info.env;
        Object.assign(env, posixErrnoImports(env));
        const glueFdWrite = env.fd_write as (fd: number, iov: number, iovcnt: number, pnum: number) => number;
        Object.assign(env, ffi, {
          emscripten_resize_heap: cap.resize,
          fd_write: (fd: number, iov: number, iovcnt: number, pnum: number) =>
            fd === 1 ? stdout(iov, iovcnt, pnum) : fd === 2 ? stderr(iov, iovcnt, pnum) : glueFdWrite(fd, iov, iovcnt, pnum),
        });
        Object.assign(env, effects.wrap(env, { path: (ptr) => memory.string(ptr), cwd: () => module.FS.cwd() }));
        WebAssembly.instantiate(runtime.wasm, {
          env: env as WebAssembly.ModuleImports,
          wasi_snapshot_preview1: info.wasi_snapshot_preview1 as WebAssembly.ModuleImports,
          swasgi: { refuel: clock.refuel, collect: collector.collect, heap_room: collector.heapRoom },
        }).then((instance) => {
          exports = instance.exports as unknown as Exports;
          wasmMemory = instance.exports.memory as WebAssembly.Memory;
          memory = new LinearMemory(wasmMemory);
          cap.bind(wasmMemory, () => module.swasgiUpdateMemoryViews());
          clock.bind(() => {
            // Code that catches its KeyboardInterrupt got as far as the clock let it.
            effects.note("the time limit");
            exports.mp_sched_keyboard_interrupt();
          });
          receive(instance, runtime.wasm);
        });
        return {};
      },
    });
    self = new Interpreter(module.FS, exports, ctx, clock, cap, timers, options, wasmMemory, effects);
    // The glue made /tmp already; mkdir on an existing path is one of those errors.
    for (const dir of ["/data", "/app", "/lib"]) module.FS.mkdir(dir);
    module.FS.chdir("/app");
    // The original wasm (a benchmark baseline) keeps the port's own stack and deferred collection.
    const gc = runtime.instrumented ? collector : undefined;
    gc?.placeStack(exports, wasmMemory);
    const qstrs = gc && new QstrFilter(exports, wasmMemory);
    self.collector = gc;
    if (options.image) {
      const image = options.image;
      const app = options.appImage;
      // An app image's import may have looked up more of the granted modules than the boot did.
      const refs = app?.refs ?? image.refs;
      const slots = refs.map((path) => (path ? recordAt(table, options.modules ?? {}, path) : undefined));
      if (slots.some((record, i) => refs[i] && !record)) throw new Error("swasgi: the boot image names a module member this interpreter was not granted");
      if (app && app.base !== image.id) throw new Error("swasgi: the app image was taken over another boot image");
      const bytes = Math.max(image.memoryBytes, app?.memoryBytes ?? 0);
      if (bytes > cap.bytes && !cap.resize(bytes)) throw new Error("swasgi: the boot image does not fit under the memory cap");
      restorePages(image, new Uint8Array(wasmMemory.buffer), gc?.writtenSinceStart());
      if (app) applyRuns(app, new Uint8Array(wasmMemory.buffer));
      table.restore(slots);
      gc?.configure();
      qstrs?.enable(exports);
    } else {
      clock.run(() => {
        exports.mp_js_init(PYSTACK_WORDS, INITIAL_HEAP_BYTES);
        gc?.configure();
        qstrs?.fillAndEnable(exports, wasmMemory);
        exports.proxy_c_init();
      });
      for (const [name, namespace] of Object.entries(options.modules ?? {})) self.#registerModule(name, namespace);
    }
    return self;

    function recordAt(table: RefTable, modules: Record<string, Namespace>, path: readonly string[]): JsRecord | undefined {
      const namespace = path[0] === "js" ? (table.get(REF_JS_MODULE) as Namespace) : modules[path[0]];
      if (!namespace || path.length === 1) return namespace;
      const member = namespace.member(path[1]).value;
      return typeof member === "object" && member !== null ? member : undefined;
    }

    function asHandle(value: PyValue): PyHandle | undefined {
      const handle = value instanceof PyObjectRecord ? value.handle : value;
      return handle instanceof PyHandle && handle.callable ? handle : undefined;
    }
  }

  #registerModule(name: string, namespace: Namespace): void {
    const e = this.#exports;
    const bytes = LinearMemory.encode(name);
    const namePtr = e.malloc(bytes.byteLength + 1);
    this.#ctx.memory.write(namePtr, bytes);
    this.#ctx.memory.write(namePtr + bytes.byteLength, new Uint8Array(1));
    const value = e.malloc(VALUE_BYTES);
    toPython(this.#ctx, namespace, value);
    this.#enter(() => e.mp_js_register_js_module(namePtr, value));
    e.free(value);
    e.free(namePtr);
  }

  /**
   * This interpreter's state as a boot image, or undefined when it cannot be restored
   * elsewhere: a timer or a Python object is held by the host, or a ref points at something
   * that is not a granted module's member. Call it between slices, before any app code ran.
   */
  captureImage(key: string): BootImage | undefined {
    const refs = this.#refPaths();
    if (!refs) return undefined;
    this.collector?.scrub();
    const memoryBytes = this.#wasmMemory.buffer.byteLength;
    const { pages, data } = pagesOf(this.#writtenMemory());
    return { key, id: crypto.randomUUID(), memoryBytes, pages, data, refs };
  }

  /**
   * Linear memory up to the allocator's break: above it everything is still zero, and an
   * image's scan of 17 MB, most of it never touched, cost a page fault a page (about 15 ms).
   */
  #writtenMemory(): Uint8Array {
    const memory = new Uint8Array(this.#wasmMemory.buffer);
    const brk = new DataView(this.#wasmMemory.buffer).getUint32(BREAK, true);
    if (brk < BREAK || brk > memory.byteLength) return memory; // not a break: scan it all
    return memory.subarray(0, Math.min(memory.byteLength, Math.ceil(brk / PAGE_BYTES) * PAGE_BYTES));
  }

  /** What each ref-table slot holds, by path; undefined when the state cannot be captured. */
  #refPaths(): (string[] | null)[] | undefined {
    if (this.#dead || this.#ctx.pending.length || this.#timers.busy) return undefined;
    const paths = new Map<JsRecord, string[]>();
    const name = (namespace: Namespace, path: string) => {
      paths.set(namespace, [path]);
      for (const [member, value] of namespace.entries()) {
        if (typeof value === "object" && value !== null && !paths.has(value)) paths.set(value, [path, member]);
      }
    };
    name(this.#ctx.table.get(REF_JS_MODULE) as Namespace, "js");
    for (const [module, namespace] of Object.entries(this.#options.modules ?? {})) name(namespace, module);
    const refs = this.#ctx.table.slots().map((record) => (record ? (paths.get(record) ?? false) : null));
    return refs.includes(false) ? undefined : (refs as (string[] | null)[]);
  }

  /**
   * What changed since `base` was restored or captured here, as an app image (`imported`: the
   * app's import ran), or undefined when it could not be restored elsewhere (as for captureImage).
   */
  captureAppImage(key: string, base: BootImage, modules: readonly string[], imported: boolean): AppImage | undefined {
    const refs = this.#refPaths();
    if (!refs) return undefined;
    this.collector?.scrub();
    const memoryBytes = this.#wasmMemory.buffer.byteLength;
    const { runs, data } = diffRuns(base, this.#writtenMemory());
    return { key, base: base.id, memoryBytes, runs, data, modules, refs, imported };
  }

  /** Puts back the frozen modules the shipped wasm leaves out (src/runner/frozenPatch.ts). */
  restoreFrozen(patch: FrozenPatch): void {
    applyFrozenPatch(new Uint8Array(this.#wasmMemory.buffer), patch);
  }

  /** The interpreter's linear memory, for host functions that copy bytes in and out. */
  get memory(): LinearMemory {
    return this.#ctx.memory;
  }

  get dead(): string | undefined {
    return this.#dead;
  }

  /** Runs Python source at module level of `__main__`. */
  exec(code: string): PyValue | PyError {
    const e = this.#exports;
    const bytes = LinearMemory.encode(code);
    // malloc, free and the result's conversion run inside the slice too: once Python scribbled
    // over the C heap (uctypes) they can trap, abort or spin like any other wasm code.
    return this.#enter(() => {
      const src = e.malloc(bytes.byteLength + 1);
      const out = e.malloc(VALUE_BYTES);
      if (!src || !out) {
        if (src) e.free(src);
        if (out) e.free(out);
        return new PyError("MemoryError", "MemoryError: no memory for the source\n");
      }
      this.#ctx.memory.write(src, bytes);
      this.#ctx.memory.write(src + bytes.byteLength, new Uint8Array(1));
      e.mp_js_do_exec(src, bytes.byteLength, out);
      const result = this.#result(out);
      e.free(src);
      e.free(out);
      return result;
    });
  }

  /** Calls a Python callable that Python handed to the host. */
  /**
   * `module.name` of an imported module, as a handle for `call`: where exec would compile a
   * line of source, which on a fresh instance first compiles MicroPython's whole compiler.
   */
  member(module: string, name: string): PyValue | PyError {
    const e = this.#exports;
    return this.#enter(() => {
      const strings = [module, name].map((text) => {
        const bytes = LinearMemory.encode(text);
        const ptr = e.malloc(bytes.byteLength + 1);
        if (ptr) {
          this.#ctx.memory.write(ptr, bytes);
          this.#ctx.memory.write(ptr + bytes.byteLength, new Uint8Array(1));
        }
        return ptr;
      });
      const out = e.malloc(VALUE_BYTES);
      if (!out || strings.includes(0)) {
        for (const ptr of [...strings, out]) if (ptr) e.free(ptr);
        return new PyError("MemoryError", "MemoryError: no memory for the name\n");
      }
      e.mp_js_do_import(strings[0], out);
      let result = this.#result(out);
      if (result instanceof PyHandle) {
        const owner = result;
        e.proxy_c_to_js_lookup_attr(owner.cref, strings[1], out);
        result = this.#result(out);
        this.release(owner);
      }
      for (const ptr of strings) e.free(ptr);
      e.free(out);
      return result;
    });
  }

  call(fn: PyHandle, args: HostValue[]): PyValue | PyError {
    if (fn.released) return new PyError("RuntimeError", "RuntimeError: callable was released\n");
    const e = this.#exports;
    return this.#enter(() => {
      const argv = args.length ? e.malloc(args.length * VALUE_BYTES) : 0;
      const out = e.malloc(VALUE_BYTES);
      args.forEach((arg, i) => toPython(this.#ctx, arg, argv + i * VALUE_BYTES));
      e.proxy_c_to_js_call(fn.cref, args.length, argv, out);
      const result = this.#result(out);
      if (argv) e.free(argv);
      e.free(out);
      return result;
    });
  }

  release(handle: PyHandle): void {
    if (this.#dead || handle.released) return;
    handle.released = true;
    try {
      this.#guard(() => this.#exports.proxy_c_free_obj(handle.cref));
    } catch {
      // The C side crashed freeing it (Python corrupted its heap): the interpreter is now dead
      // and the next exec/call says so. Releases also run from timers and promise settlements,
      // where a throw would be an uncaught exception in the host.
    }
  }

  /** Handles pending from the last conversion; the host decides which to keep. */
  #result(out: number): PyValue | PyError {
    const value = fromPython(this.#ctx, out);
    for (const handle of this.#ctx.pending.splice(0)) {
      if (handle !== value) this.release(handle);
    }
    return value;
  }

  /** Runs `fn` (which enters the wasm) as a slice, then the zero-delay timers it scheduled. */
  #enter<T>(fn: () => T): T {
    const value = this.#guard(fn);
    this.#timers.drainDue();
    return value;
  }

  /** Runs wasm code under the clock; any failure kills the interpreter. */
  #guard<T>(fn: () => T): T {
    if (this.#dead) throw new InterpreterDead(this.#dead);
    try {
      return this.clock.run(fn).value;
    } catch (error) {
      if (error instanceof HardStop) {
        this.#kill(`${STOPPED} ${error.limitMs} ms`);
        throw error;
      }
      if (error instanceof InterpreterDead) throw error;
      // A trap or a native stack overflow unwound the wasm: Python can cause both (uctypes
      // writes over the heap; re's `(a*)*` recurses past the JS stack before MicroPython's own
      // stack check). Callers get the one error that means "replace this interpreter".
      this.#kill(`crashed: ${String(error)}`);
      throw new InterpreterDead(this.#dead ?? "crashed", { cause: error });
    }
  }

  /** A timer or promise callback: runs as its own slice; failures go to onBackgroundError. */
  #callback(handle: PyHandle, args: HostValue[]): void {
    if (this.#dead) return;
    try {
      const result = this.call(handle, args);
      if (result instanceof PyError) this.#options.onBackgroundError?.(result);
    } catch (error) {
      // All app code runs in callbacks (asyncio tasks): a stop or a crash here is what ends
      // its requests. A crash carries its cause; a later "already dead" is not news.
      if (error instanceof HardStop || (error instanceof InterpreterDead && error.cause !== undefined)) this.#options.onBackgroundError?.(error);
      else if (!(error instanceof InterpreterDead)) this.#options.onHostError?.("callback", error);
    }
  }

  #kill(reason: string): void {
    this.#dead ??= reason;
    this.#timers.dispose();
  }

  /** Stops timers and refuses further calls; the instance is then garbage. */
  dispose(): void {
    this.#kill("disposed");
  }

  /** Wraps a host promise for Python to `await`. */
  static promise(promise: Promise<HostValue>): HostPromise {
    return new HostPromise(promise);
  }
}
