import type { EmscriptenFS } from "../../build/runtime/glue.mjs";
import type { DataChanges } from "../store/protocol.ts";

export const DATA_DIR = "/data";

/**
 * Mirrors an interpreter's `/data` against the last committed state: `diff` finds what a
 * request changed, `accept` makes it the new committed state, `restore` rolls the directory
 * back (after a failed request), `fill` loads a committed state into a fresh interpreter.
 * Comparing bytes, not mtimes: MEMFS times have millisecond resolution, and losing a write
 * that landed in the same millisecond would lose data.
 */
export class DataSync {
  #committed = new Map<string, Uint8Array>();

  constructor(private readonly fs: EmscriptenFS) {}

  fill(files: Map<string, Uint8Array>): void {
    for (const [path, bytes] of files) {
      const full = `${DATA_DIR}/${path}`;
      this.fs.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      this.fs.writeFile(full, bytes);
    }
    this.#committed = new Map(files);
  }

  diff(): DataChanges {
    const current = this.#walk();
    const put = new Map<string, Uint8Array>();
    for (const [path, bytes] of current) {
      const before = this.#committed.get(path);
      if (!before || !sameBytes(before, bytes)) put.set(path, bytes);
    }
    const remove = [...this.#committed.keys()].filter((path) => !current.has(path));
    return { put, remove };
  }

  accept(changes: DataChanges): void {
    for (const path of changes.remove) this.#committed.delete(path);
    for (const [path, bytes] of changes.put) this.#committed.set(path, bytes);
  }

  restore(): void {
    const changes = this.diff();
    for (const path of changes.put.keys()) {
      const before = this.#committed.get(path);
      const full = `${DATA_DIR}/${path}`;
      if (before) this.fs.writeFile(full, before);
      else this.fs.unlink(full);
    }
    for (const path of changes.remove) {
      const full = `${DATA_DIR}/${path}`;
      this.fs.mkdirTree(full.slice(0, full.lastIndexOf("/")));
      this.fs.writeFile(full, this.#committed.get(path) ?? new Uint8Array());
    }
  }

  #walk(): Map<string, Uint8Array> {
    const files = new Map<string, Uint8Array>();
    const visit = (dir: string, prefix: string): void => {
      for (const name of this.fs.readdir(dir)) {
        if (name === "." || name === "..") continue;
        const full = `${dir}/${name}`;
        const stat = this.fs.stat(full);
        if (this.fs.isDir(stat.mode)) visit(full, `${prefix}${name}/`);
        else if (this.fs.isFile(stat.mode)) files.set(`${prefix}${name}`, this.fs.readFile(full));
      }
    };
    visit(DATA_DIR, "");
    return files;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
