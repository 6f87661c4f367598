import { JsRecord } from "./records.ts";

/** Refs 0 and 1 are fixed by the C side: `import js` and `undefined`. */
export const REF_JS_MODULE = 0;
export const REF_UNDEFINED = 1;
const NUM_STATIC = 2;

/**
 * The JS side of the C side's `jsproxy_table`, one per interpreter. It must mirror the C table
 * exactly: the C side indexes its table by the ref and kind we report (existing or new), so a
 * slot is only ever freed when C finalises its proxy (`proxy_js_free_obj`).
 */
export class RefTable {
  readonly #refs: (JsRecord | undefined)[];
  readonly #ids = new Map<JsRecord, number>();
  #next = NUM_STATIC;

  constructor(jsModule: JsRecord) {
    this.#refs = [jsModule, undefined];
    this.#ids.set(jsModule, REF_JS_MODULE);
  }

  /** The record behind a ref, or undefined for a freed, static-undefined or forged ref. */
  get(ref: number): JsRecord | undefined {
    return Number.isInteger(ref) && ref >= 0 && ref < this.#refs.length ? this.#refs[ref] : undefined;
  }

  /** The ref for a record, and whether C already holds a proxy for it. */
  add(record: JsRecord): { id: number; existing: boolean } {
    const known = this.#ids.get(record);
    if (known !== undefined) return { id: known, existing: true };
    while (this.#next < this.#refs.length && this.#refs[this.#next] !== undefined) this.#next++;
    const id = this.#next;
    this.#refs[id] = record;
    this.#ids.set(record, id);
    this.#next++;
    return { id, existing: false };
  }

  free(ref: number): void {
    if (!Number.isInteger(ref) || ref < NUM_STATIC || ref >= this.#refs.length) return;
    const record = this.#refs[ref];
    if (record === undefined) return;
    this.#ids.delete(record);
    this.#refs[ref] = undefined;
    if (ref < this.#next) this.#next = ref;
  }

  /** Each slot's record, in order (undefined for a free slot): what a boot image records. */
  slots(): readonly (JsRecord | undefined)[] {
    return this.#refs;
  }

  /** Puts records back in the slots they had when a boot image was taken. */
  restore(slots: readonly (JsRecord | undefined)[]): void {
    this.#refs.length = 0;
    this.#ids.clear();
    slots.forEach((record, id) => {
      this.#refs[id] = record;
      if (record) this.#ids.set(record, id);
    });
    this.#next = NUM_STATIC;
  }

  get length(): number {
    return this.#refs.length;
  }

  get used(): number {
    return this.#ids.size;
  }
}
