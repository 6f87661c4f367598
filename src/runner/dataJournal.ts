import type { EmscriptenFS } from "../../build/runtime/glue.mjs";
import { CHUNK_BYTES, type DataChanges } from "../store/protocol.ts";
import { ChangeSet } from "./changeSet.ts";
import { childOf, type MemNode } from "./memfsNode.ts";
import type { FsJournal, TrackedFs } from "./trackedFs.ts";
import { type FileTouch, newFileId, Transaction } from "./transaction.ts";

/**
 * What undid changes of a request still running: another request's failure, or a save that
 * failed ("quota" when storage was full).
 */
export type LostBy = "rolled back" | "quota" | "save failed";

/**
 * The changes to `/data` since the last save, kept so that they can be saved (`take`, then
 * `settle`) or undone (`rollback`). Installed as the tracked file system's journal.
 *
 * One transaction is open at a time and takes every change, whichever request made it; `take`
 * closes it for the store and opens the next. While the store works on a taken transaction
 * (at most one: saves run one at a time), `rollback` undoes only the open one, so the
 * interpreter never loses what the store is saving, and a failed save undoes both.
 */
export class DataJournal implements FsJournal {
  #open: Transaction;
  #taken: Transaction | undefined;
  /** Store ids of files (StoredEntry.id): bytes keyed by id survive renames. */
  readonly #ids = new WeakMap<MemNode, number>();
  /** Off while the host fills `/data`: what the store gave is the starting point. */
  enabled = false;
  /** Requests in flight (DataSync.begin/end): a change may be any of theirs. */
  readonly inflight = new Set<number>();
  /** Requests in flight whose changes may have been undone, and by what. */
  readonly lost = new Map<number, LostBy>();

  constructor(
    private readonly fs: EmscriptenFS,
    private readonly tracked: TrackedFs,
  ) {
    this.#open = new Transaction(tracked.bytes, tracked.nodes);
    tracked.journal = this;
  }

  setId(node: MemNode, id: number | undefined): void {
    this.#ids.set(node, id ?? newFileId());
  }

  /** Starts over from the tree as it is now (after filling it). */
  reset(): void {
    this.#open = new Transaction(this.tracked.bytes, this.tracked.nodes);
    this.#taken = undefined;
  }

  // FsJournal: called by the tracked file system before each change.
  slot(dir: MemNode, name: string): void {
    const txn = this.#open;
    if (!this.enabled) return;
    this.#expose(txn);
    if (txn.created.has(dir)) return;
    let names = txn.slots.get(dir);
    if (!names) txn.slots.set(dir, (names = new Map()));
    if (!names.has(name)) names.set(name, childOf(dir, name));
  }

  move(node: MemNode): void {
    const txn = this.#open;
    if (!this.enabled || txn.created.has(node) || txn.moved.has(node)) return;
    txn.moved.set(node, { parent: node.parent, name: node.name });
  }

  created(node: MemNode): void {
    if (this.enabled) this.#open.created.add(node);
  }

  write(node: MemNode, start: number, end: number): void {
    if (!this.enabled) return;
    this.#expose(this.#open);
    const touch = this.#touch(node);
    const first = Math.floor(start / CHUNK_BYTES);
    const last = Math.ceil(end / CHUNK_BYTES);
    const before = touch.before;
    // Only writes into the array the transaction found are in place; MEMFS replaces the
    // array when a file grows past its capacity or is truncated, leaving the old one intact.
    const inPlace = before?.array && node.contents === before.array ? before.array : undefined;
    for (let index = first; index < last; index++) {
      touch.dirty.add(index);
      if (inPlace && !before!.saved.has(index) && index * CHUNK_BYTES < inPlace.length) {
        before!.saved.set(index, inPlace.slice(index * CHUNK_BYTES, Math.min((index + 1) * CHUNK_BYTES, inPlace.length)));
      }
    }
  }

  resize(node: MemNode, from: number, to: number): void {
    if (!this.enabled) return;
    this.#expose(this.#open);
    const touch = this.#touch(node);
    const last = Math.ceil(Math.max(from, to) / CHUNK_BYTES);
    for (let index = Math.floor(Math.min(from, to) / CHUNK_BYTES); index < last; index++) touch.dirty.add(index);
  }

  #expose(txn: Transaction): void {
    for (const id of this.inflight) txn.exposed.add(id);
  }

  #touch(node: MemNode): FileTouch {
    const txn = this.#open;
    let touch = txn.files.get(node);
    if (!touch) {
      touch = { dirty: new Set() };
      if (!txn.created.has(node)) touch.before = { array: node.contents as Uint8Array | null, size: node.usedBytes, saved: new Map() };
      txn.files.set(node, touch);
    }
    return touch;
  }

  /**
   * What changed since the last take, for the store; undefined when nothing did. Until
   * `settle` reports how saving it went, this transaction can still be undone.
   */
  take(): DataChanges | undefined {
    if (this.#taken) throw new Error("swasgi: a /data save is already under way");
    const txn = this.#open;
    if (txn.empty) return undefined;
    this.#open = new Transaction(this.tracked.bytes, this.tracked.nodes);
    const changes = new ChangeSet(txn, this.tracked.root, this.#ids).changes();
    // Only files outside the tree changed (removed, still open): nothing for the store.
    if (!changes.ops.length && !changes.dropped.length) return undefined;
    this.#taken = txn;
    return changes;
  }

  /** The store saved what `take` gave (`true`), or why not: then undo it all. */
  settle(outcome: true | "quota" | "save failed"): void {
    const saved = outcome === true;
    const taken = this.#taken;
    this.#taken = undefined;
    if (saved || !taken) return;
    this.#undo(this.#open, outcome as LostBy);
    this.#undo(taken, outcome as LostBy);
    this.#open = new Transaction(this.tracked.bytes, this.tracked.nodes);
  }

  /** A request failed: undo every change not yet handed to the store. */
  rollback(): void {
    this.#undo(this.#open, "rolled back");
    this.#open = new Transaction(this.tracked.bytes, this.tracked.nodes);
  }

  #undo(txn: Transaction, by: LostBy): void {
    if (txn.empty) return;
    for (const id of txn.exposed) if (this.inflight.has(id) && !this.lost.has(id)) this.lost.set(id, by);
    const fs = this.fs;
    // Out of the lookup table under their current names first, back in under their old ones.
    const origins = new Set<MemNode>();
    for (const [dir, names] of txn.slots) {
      for (const [name, origin] of names) {
        const now = childOf(dir, name);
        if (now) fs.hashRemoveNode(now);
        if (origin) origins.add(origin);
      }
    }
    for (const node of txn.moved.keys()) fs.hashRemoveNode(node);
    for (const node of txn.created) fs.hashRemoveNode(node);
    for (const node of origins) fs.hashRemoveNode(node);
    for (const [dir, names] of txn.slots) {
      const children = dir.contents as Record<string, MemNode>;
      for (const [name, origin] of names) {
        if (origin) children[name] = origin;
        else delete children[name];
      }
    }
    for (const [node, { parent, name }] of txn.moved) {
      node.parent = parent;
      node.name = name;
    }
    for (const node of origins) {
      fs.hashAddNode(node);
      this.tracked.dead.delete(node);
    }
    for (const node of txn.created) this.tracked.dead.add(node);
    for (const [node, { before }] of txn.files) {
      if (!before) continue;
      for (const [index, bytes] of before.saved) before.array!.set(bytes, index * CHUNK_BYTES);
      node.contents = before.array;
      node.usedBytes = before.size;
    }
    this.tracked.bytes = txn.bytes;
    this.tracked.nodes = txn.nodes;
  }
}
