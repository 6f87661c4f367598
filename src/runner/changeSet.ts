import { CHUNK_BYTES, type DataChanges, type DataOp, type FileOp } from "../store/protocol.ts";
import { childOf, isDirMode, isFileMode, type MemNode } from "./memfsNode.ts";
import { newFileId, type Transaction } from "./transaction.ts";
import { TrackedFs } from "./trackedFs.ts";

/**
 * Turns a transaction into store operations: for every changed slot under a folder that is
 * where it was, a `remove` of what was there and the whole new subtree; then the files written
 * where they stand. A folder that moved is sent whole at its new path (its descendants' paths
 * changed), but a file's bytes travel only for chunks that changed: the store finds the rest
 * by id or by `from`.
 */
export class ChangeSet {
  readonly #ops: DataOp[] = [];
  readonly #sent = new Set<MemNode>();
  readonly #before = new Map<MemNode, string | undefined>();
  readonly #after = new Map<MemNode, string | undefined>();

  constructor(
    private readonly txn: Transaction,
    private readonly root: MemNode,
    private readonly ids: WeakMap<MemNode, number>,
  ) {}

  changes(): DataChanges {
    const { txn } = this;
    for (const [dir, names] of txn.slots) {
      const path = this.#afterPath(dir);
      if (path === undefined || path !== this.#beforePath(dir)) continue;
      for (const [name, origin] of names) {
        const now = childOf(dir, name);
        if (now === origin) continue;
        const at = join(path, name);
        if (origin) this.#ops.push({ op: "remove", path: at });
        if (now) this.#subtree(now, at);
      }
    }
    for (const node of txn.files.keys()) {
      if (this.#sent.has(node)) continue;
      const path = this.#afterPath(node);
      if (path !== undefined) this.#ops.push(this.#file(node, path));
    }
    const dropped: number[] = [];
    for (const names of txn.slots.values()) {
      for (const origin of names.values()) {
        const id = origin && isFileMode(origin.mode) ? this.ids.get(origin) : undefined;
        if (id !== undefined && this.#afterPath(origin!) === undefined) dropped.push(id);
      }
    }
    return { ops: this.#ops, dropped };
  }

  #subtree(node: MemNode, path: string): void {
    if (isDirMode(node.mode)) {
      this.#ops.push({ op: "mkdir", path });
      for (const [name, child] of Object.entries(node.contents as Record<string, MemNode>)) this.#subtree(child, join(path, name));
    } else if (isFileMode(node.mode)) {
      this.#sent.add(node);
      this.#ops.push(this.#file(node, path));
    }
  }

  #file(node: MemNode, path: string): FileOp {
    let id = this.ids.get(node);
    if (id === undefined) this.ids.set(node, (id = newFileId()));
    const from = this.#beforePath(node);
    const bytes = TrackedFs.bytesOf(node);
    const chunks = new Map<number, Uint8Array>();
    const end = Math.ceil(bytes.byteLength / CHUNK_BYTES);
    // A new file's every chunk is new; an old one's, those written or cut.
    const indexes = from === undefined ? range(end) : (this.txn.files.get(node)?.dirty ?? []);
    for (const index of indexes) {
      if (index < end) chunks.set(index, bytes.slice(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES));
    }
    return from === undefined ? { op: "file", path, id, size: bytes.byteLength, chunks } : { op: "file", path, id, size: bytes.byteLength, chunks, from };
  }

  /** Where `node` is now, relative to the root; undefined when it is not in the tree. */
  #afterPath(node: MemNode): string | undefined {
    if (node === this.root) return "";
    if (this.#after.has(node)) return this.#after.get(node);
    const parent = node.parent;
    const path = parent !== node && childOf(parent, node.name) === node ? this.#afterPath(parent) : undefined;
    const result = path === undefined ? undefined : join(path, node.name);
    this.#after.set(node, result);
    return result;
  }

  /** Where `node` was when the transaction began; undefined when it was not in the tree. */
  #beforePath(node: MemNode): string | undefined {
    if (node === this.root) return "";
    if (this.#before.has(node)) return this.#before.get(node);
    let result: string | undefined;
    if (!this.txn.created.has(node)) {
      const { parent, name } = this.txn.moved.get(node) ?? { parent: node.parent, name: node.name };
      const names = this.txn.slots.get(parent);
      const was = names?.has(name) ? names.get(name) : parent !== node ? childOf(parent, name) : null;
      const path = was === node ? this.#beforePath(parent) : undefined;
      result = path === undefined ? undefined : join(path, name);
    }
    this.#before.set(node, result);
    return result;
  }
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
