import type { MemNode } from "./memfsNode.ts";

export interface Location {
  parent: MemNode;
  name: string;
}

export interface FileTouch {
  /** Chunks written or cut since the transaction began: what a commit sends. */
  dirty: Set<number>;
  /** The file as the transaction found it, for undo; absent for a file made in it. */
  before?: { array: Uint8Array | null; size: number; saved: Map<number, Uint8Array> };
}

/**
 * A copy-on-write record of what changed since it began: the first value of every directory
 * slot (dir, name) that changed, the first location of every node that moved, and for each file
 * written its first size and the first bytes of every chunk overwritten in place. Undoing it
 * puts those back; nothing untouched is visited, so both cost what was changed.
 */
export class Transaction {
  readonly slots = new Map<MemNode, Map<string, MemNode | null>>();
  readonly moved = new Map<MemNode, Location>();
  readonly created = new Set<MemNode>();
  readonly files = new Map<MemNode, FileTouch>();
  /** Requests in flight at any change: undoing the transaction may undo theirs. */
  readonly exposed = new Set<number>();
  constructor(
    readonly bytes: number,
    readonly nodes: number,
  ) {}

  get empty(): boolean {
    return this.slots.size === 0 && this.files.size === 0;
  }
}

/** A random id: ids are made by whichever interpreter saves, so they must not collide. */
export function newFileId(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0x1fffff) * 0x1_0000_0000 + low;
}
