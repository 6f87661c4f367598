/**
 * Where MicroPython keeps its collector's state in the published 1.27.0 wasm (py/mpstate.h,
 * py/gc.c): `mp_state_ctx` and the offsets of the fields the collector reads, as the wasm's own
 * code uses them (gc_init stores the first heap area's fields, mp_js_init the threshold).
 * tests/unit/wasm/gcLayout.test.ts checks each against the wasm.
 */
export const GC = {
  /** &mp_state_ctx */
  STATE: 185108,
  /** MP_STATE_THREAD(stack_top), (stack_limit) */
  STACK_TOP: 0,
  STACK_LIMIT: 4,
  /** MP_STATE_MEM(area): the first heap area (mp_state_mem_area_t, a list through `next`) */
  AREA: 384,
  /** MP_STATE_MEM(gc_alloc_amount), (gc_alloc_threshold), in blocks of 16 bytes */
  ALLOC_AMOUNT: 936,
  ALLOC_THRESHOLD: 940,
  /** mp_state_mem_area_t */
  AREA_NEXT: 0,
  AREA_ATB: 4,
  AREA_ATB_BYTES: 8,
  AREA_FTB: 12,
  AREA_POOL: 16,
  AREA_POOL_END: 20,
  AREA_LAST_FREE: 24,
  AREA_LAST_USED: 28,
  AREA_BYTES: 32,
  /** Allocation-table kinds (2 bits per 16-byte block) */
  AT_FREE: 0,
  AT_HEAD: 1,
  AT_TAIL: 2,
  AT_MARK: 3,
} as const;

/**
 * &sbrk_val, emscripten's break: the allocator hands out memory below it, and nothing the wasm
 * or the host writes lies above it (the host writes into what the allocator gave it). It only
 * grows: sbrk's 64-bit arithmetic refuses a negative increment, so the allocator never trims.
 * tests/unit/wasm/breakAddress.test.ts finds it in the wasm (the store in sbrk, the function
 * that calls `emscripten_resize_heap`).
 */
export const BREAK = 179028;
