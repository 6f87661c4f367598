/**
 * MicroPython's garbage collector, run in the middle of a synchronous run.
 *
 * wasm/spillPointers.mjs makes every function store the values it still needs after a call
 * that can collect into a frame on the C shadow stack, and turns the port's `gc_collect()` into
 * the import `swasgi.collect(sp)`, implemented here: mark from MicroPython's roots (root
 * pointers, the Python stack), then from every word of the shadow stack between `sp` and its
 * top, then sweep. A word that points inside an allocation counts for the whole allocation:
 * optimized C may keep only a pointer into an object (an array element, a struct member)
 * across a call, and MicroPython's own marker only follows pointers to an allocation's start.
 *
 * Policy, so that allocation stays linear: the port's threshold (a collection every 16 KB
 * allocated) is turned off, so MicroPython collects when its heap is full and adds a heap area
 * only when a collection found no room; when a collection leaves the heap more than half full,
 * the heap grows here at once to GROWN_TO_LIVE times what is live (at least doubling, within
 * what the memory cap leaves), so the next collection is at least three times the live data
 * of allocation away.
 *
 * The C stack moves to a region of STACK_BYTES taken from the C heap at start-up (the port's
 * fixed 64 KB, of which MicroPython uses 32 KB, fits about 150 Python calls; spills need more),
 * and so does the marker's stack (MARK_STACK_PAIRS).
 *
 * Python can write all of linear memory (uctypes), so nothing read here is trusted: walks are
 * bounded and a forged heap can at worst make a collection keep or free the wrong blocks of a
 * heap Python already corrupted.
 */
import { GC } from "./gcLayout.ts";

/** The C stack, in bytes. */
export const STACK_BYTES = 512 * 1024;
/**
 * Where MicroPython raises `RuntimeError: maximum recursion depth exceeded` (its own check of
 * the C stack). A Python call takes about 336 bytes of C stack with the spills, and about 800
 * bytes of the engine's native stack (Node 20: about 1,250 calls fit in its 984 KB), so this is
 * set by the native stack, not by the region: 340 KB is about 1,010 plain Python calls, and
 * every recursion shape tried (methods, __init__, __repr__, generators, sorted/map callbacks)
 * ends in the RuntimeError, not in a RangeError, up to 350 KB (tests/unit/runner/recursion.test.ts).
 * The rest of the region is room for C code between two checks.
 */
const STACK_LIMIT_BYTES = 340 * 1024;
/**
 * Entries of the marker's stack (wasm/bigMarkStack.mjs), 8 bytes each. MicroPython's own 64
 * overflow on an app's modules alone, and each overflow costs walks of the whole heap; an object
 * with more unmarked children than this (a list of 100,000 strings) still overflows, correctly.
 */
const MARK_STACK_PAIRS = 16 * 1024;
/**
 * A heap that a collection left more than half full grows to this many times what is live.
 * Doubling (at least 2x live) made a program whose data only grows (a dict of 100,000 keys:
 * 94 % of its heap live at each collection) mark everything it had at 1, 2 and 4 MB; at 4x it
 * marks at 1 and 3.75 MB, and its run took 0.9 of the time. The cap still bounds the heap.
 */
const GROWN_TO_LIVE = 4;
const PAGE = 4096;
/** A heap area smaller than this is not worth adding. */
const MIN_AREA_BYTES = 64 * 1024;
/** More heap areas than this is a forged list (the heap doubles each time it grows). */
const MAX_AREAS = 64;
/** Memory under the cap kept for everything but the Python heap and the C stack (data, pystack, host buffers). */
const RESERVED_BYTES = 2 * 1024 * 1024;

export interface CollectorExports {
  malloc(size: number): number;
  _emscripten_stack_restore(sp: number): void;
  emscripten_stack_get_current(): number;
  swasgi_gc_collect_start(): void;
  swasgi_gc_mark_subtree(area: number, block: number): void;
  swasgi_gc_collect_end(): void;
  swasgi_set_mark_stack(address: number, pairs: number): void;
}

interface Area {
  address: number;
  atb: number;
  atbBytes: number;
  pool: number;
  poolEnd: number;
}

export interface CollectorOptions {
  /** The memory cap, in bytes: the heap never grows past what it leaves. */
  capBytes: number;
  /** Collect at every allocation (soundness tests only: very slow). */
  stress?: boolean;
  /** The heap needed to grow and the cap left no room: Python is about to get MemoryError. */
  onFull?(): void;
}

export class Collector {
  /** Collections so far and the time they took (tests and diagnostics). */
  collections = 0;
  collectMs = 0;
  #exports!: CollectorExports;
  #memory!: WebAssembly.Memory;
  #stackTop = 0;
  /** What placeStack allocated: [start, end) of the stack region and of the mark stack. */
  #allocated: [number, number][] = [];
  #configured = false;
  #options: CollectorOptions;

  constructor(options: CollectorOptions) {
    this.#options = options;
  }

  /**
   * Gives the interpreter its C stack: a region of the C heap. Call it on a fresh instance,
   * before MicroPython starts or a boot image is restored: the allocation is then the same in
   * every instance of the runtime, so an image made with it restores with it.
   */
  placeStack(exports: CollectorExports, memory: WebAssembly.Memory): void {
    this.#exports = exports;
    this.#memory = memory;
    const region = exports.malloc(STACK_BYTES);
    if (!region) throw new Error("swasgi: no memory for the interpreter's C stack");
    this.#stackTop = (region + STACK_BYTES) & ~15;
    exports._emscripten_stack_restore(this.#stackTop);
    const marks = exports.malloc(MARK_STACK_PAIRS * 8);
    if (!marks) throw new Error("swasgi: no memory for the collector's mark stack");
    exports.swasgi_set_mark_stack(marks, MARK_STACK_PAIRS);
    this.#allocated = [[region, region + STACK_BYTES], [marks, marks + MARK_STACK_PAIRS * 8]];
  }

  /**
   * Where a fresh instance may have written so far, as [start, end) ranges: its data, its
   * first stack and whatever ran before placeStack, the allocator's headers around the two
   * regions placeStack took, the top of the new stack (the few calls since), the allocator's
   * top chunk after them. The rest of those regions and everything above them are still the
   * zeros memory starts with: a restore need not clear them (writing zeros to untouched memory
   * costs a page fault a page, 1 ms per 2 MB).
   */
  writtenSinceStart(): [number, number][] {
    const [[region, regionEnd], [marks, marksEnd]] = this.#allocated;
    const slack = 64 * 1024;
    return [
      [0, Math.min(region, marks) + PAGE],
      [region - PAGE, region + PAGE],
      [marks - PAGE, marks + PAGE],
      [this.#stackTop - slack, regionEnd + PAGE],
      [marksEnd - PAGE, marksEnd + PAGE],
      [Math.max(regionEnd, marksEnd), Math.max(regionEnd, marksEnd) + 2 * PAGE],
    ];
  }

  /** Bytes of the C stack in use (0 between runs: every frame was given back). */
  stackInUse(): number {
    return this.#stackTop - this.#exports.emscripten_stack_get_current();
  }

  /** After mp_js_init or a restore: the stack limit, and no collection by allocation count. */
  configure(): void {
    const view = this.#view();
    view.setUint32(GC.STATE + GC.STACK_LIMIT, STACK_LIMIT_BYTES, true);
    view.setUint32(GC.STATE + GC.ALLOC_THRESHOLD, this.#options.stress ? 0 : 0xffffffff, true);
    this.#configured = true;
  }

  /** The import `swasgi.collect(sp)`: the port's gc_collect(). */
  readonly collect = (sp: number): void => {
    // mp_js_init allocates with the port's 16 KB threshold before configure() turns it off:
    // its heap is fresh, nothing to collect yet.
    if (!this.#configured) return;
    const e = this.#exports;
    const t0 = performance.now();
    this.collections++;
    e.swasgi_gc_collect_start();
    this.#markStack(sp >>> 0);
    e.swasgi_gc_collect_end();
    const { total, used } = this.#census();
    if (used * 2 > total) this.#grow(Math.max(total, used * GROWN_TO_LIVE - total));
    this.collectMs += performance.now() - t0;
  };

  /**
   * Zeroes memory whose contents no one will read again: free heap blocks (an allocation
   * writes or clears what it gets) and the C stack below its pointer (between runs, all of
   * it). Called before an image is taken: garbage would make it bigger to keep and restore
   * and, in an app image, turn pages that compiling only touched into differences.
   */
  scrub(): void {
    const bytes = new Uint8Array(this.#memory.buffer);
    for (const area of this.#areas(this.#view())) {
      const blocks = area.atbBytes * 4;
      let freeFrom = -1;
      for (let block = 0; block < blocks; ) {
        const entry = bytes[area.atb + (block >>> 2)];
        // Four free blocks at once where a whole table byte is zero (most of a young heap).
        const free = (block & 3) === 0 && entry === 0 ? 4 : ((entry >> ((block & 3) * 2)) & 3) === GC.AT_FREE ? 1 : 0;
        if (free && freeFrom < 0) freeFrom = block;
        if (!free && freeFrom >= 0) {
          bytes.fill(0, area.pool + freeFrom * 16, area.pool + block * 16);
          freeFrom = -1;
        }
        block += free || 1;
      }
      if (freeFrom >= 0) bytes.fill(0, area.pool + freeFrom * 16, area.pool + blocks * 16);
    }
    const sp = this.#exports.emscripten_stack_get_current();
    if (sp <= this.#stackTop && sp >= this.#stackTop - STACK_BYTES) bytes.fill(0, this.#stackTop - STACK_BYTES, sp);
  }

  /** The import `swasgi.heap_room()`: the port's gc_get_max_new_split(). */
  readonly heapRoom = (): number => {
    let totalBytes = 0;
    for (const area of this.#areas(this.#view())) totalBytes += area.poolEnd - area.atb;
    const room = Math.max(0, this.#options.capBytes - RESERVED_BYTES - STACK_BYTES - MARK_STACK_PAIRS * 8 - totalBytes);
    if (room < MIN_AREA_BYTES) this.#options.onFull?.();
    return room;
  };

  #view(): DataView {
    return new DataView(this.#memory.buffer);
  }

  #areas(view: DataView): Area[] {
    const areas: Area[] = [];
    const size = view.byteLength;
    const u32 = (at: number) => (at >= 0 && at + 4 <= size ? view.getUint32(at, true) : 0);
    for (let at = GC.STATE + GC.AREA; at && areas.length < MAX_AREAS; at = u32(at + GC.AREA_NEXT)) {
      const area = {
        address: at,
        atb: u32(at + GC.AREA_ATB),
        atbBytes: u32(at + GC.AREA_ATB_BYTES),
        pool: u32(at + GC.AREA_POOL),
        poolEnd: u32(at + GC.AREA_POOL_END),
      };
      if (area.atb + area.atbBytes > size || area.poolEnd > size || area.pool > area.poolEnd) break;
      areas.push(area);
    }
    return areas;
  }

  /**
   * Marks what the shadow stack points into: gc_collect_root of py/gc.c (inlined away in the
   * published wasm), for the allocation each word points into.
   */
  #markStack(sp: number): void {
    const view = this.#view();
    const bytes = new Uint8Array(this.#memory.buffer);
    const areas = this.#areas(view);
    const top = this.#stackTop;
    if (sp > top || sp < top - STACK_BYTES || sp & 3) sp = top - STACK_BYTES;
    for (let at = sp; at < top; at += 4) {
      const word = view.getUint32(at, true);
      const area = areas.find((a) => word >= a.pool && word < a.poolEnd);
      if (!area) continue;
      const block = headBlock(area, bytes, Math.floor((word - area.pool) / 16));
      if (block === undefined) continue;
      // An unmarked head: mark it, then what it points to (ATB_HEAD_TO_MARK; gc_mark_subtree).
      bytes[area.atb + (block >>> 2)] |= GC.AT_MARK << ((block & 3) * 2);
      this.#exports.swasgi_gc_mark_subtree(area.address, block);
    }
  }

  /** Heap blocks in use and in all, over every area. */
  #census(): { total: number; used: number } {
    const view = this.#view();
    const bytes = new Uint8Array(this.#memory.buffer);
    let total = 0;
    let used = 0;
    for (const area of this.#areas(view)) {
      total += area.atbBytes * 4;
      for (let i = area.atb; i < area.atb + area.atbBytes; i++) used += USED_IN_BYTE[bytes[i]];
    }
    return { total, used };
  }

  /** Adds a heap area of about `blocks` blocks (fewer when the cap leaves less), as gc_add does. */
  #grow(blocks: number): void {
    const bytes = Math.min(blocks * 16 + blocks / 4 + blocks / 8 + 64, this.heapRoom());
    if (bytes < MIN_AREA_BYTES) return;
    const start = this.#exports.malloc(bytes);
    if (!start) return;
    addArea(this.#view(), this.#areas(this.#view()), start, start + bytes);
  }
}

/** Blocks not free (kind ≠ 0) among the four 2-bit entries of an allocation-table byte. */
const USED_IN_BYTE = Uint8Array.from({ length: 256 }, (_, b) => [0, 2, 4, 6].filter((s) => (b >> s) & 3).length);

/** The unmarked head block of the allocation that `block` belongs to, if any. */
function headBlock(area: Area, bytes: Uint8Array, block: number): number | undefined {
  const kindAt = (b: number) => (bytes[area.atb + (b >>> 2)] >> ((b & 3) * 2)) & 3;
  let kind = kindAt(block);
  while (kind === GC.AT_TAIL && block > 0) kind = kindAt(--block);
  return kind === GC.AT_HEAD ? block : undefined;
}

/**
 * gc_add(start, end) of py/gc.c (inlined away in the published wasm): the area's header at
 * `start`, then its allocation table, finaliser table and pool, linked after the last area.
 */
function addArea(view: DataView, areas: Area[], start: number, end: number): void {
  const last = areas[areas.length - 1];
  if (!last) return;
  const tables = start + GC.AREA_BYTES;
  end = end & ~15;
  const total = end - tables;
  // Solve total = A (alloc table) + 1 (gap) + F (finaliser table, A/2) + P (pool, 64 A).
  const atbBytes = Math.floor(((total - 1) * 8) / 524);
  const ftbBytes = Math.floor((atbBytes * 4 + 7) / 8);
  const pool = end - atbBytes * 4 * 16;
  new Uint8Array(view.buffer, tables, atbBytes + 1 + ftbBytes).fill(0);
  const set = (field: number, value: number) => view.setUint32(start + field, value, true);
  set(GC.AREA_NEXT, 0);
  set(GC.AREA_ATB, tables);
  set(GC.AREA_ATB_BYTES, atbBytes);
  set(GC.AREA_FTB, tables + atbBytes + 1);
  set(GC.AREA_POOL, pool);
  set(GC.AREA_POOL_END, end);
  set(GC.AREA_LAST_FREE, 0);
  set(GC.AREA_LAST_USED, 0);
  view.setUint32(last.address + GC.AREA_NEXT, start, true);
}
