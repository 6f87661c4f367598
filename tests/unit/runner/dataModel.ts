// The expected /data of the property suites: a tree of paths with POSIX rules for which
// operation works, kept in TypeScript independently of MEMFS and of swasgi's tracking.
import { type DataOp, digest, type Listing, type OpData } from "./dataOpsApp.ts";

type Entry = { kind: "dir" } | { kind: "file"; bytes: Uint8Array };

export function opBytes(data: OpData): Uint8Array {
  return typeof data === "string" ? new Uint8Array(Buffer.from(data, "hex")) : new Uint8Array(data[0]).fill(data[1]);
}

const parentOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

export class DataModel {
  entries = new Map<string, Entry>();

  clone(): DataModel {
    const copy = new DataModel();
    for (const [path, entry] of this.entries) copy.entries.set(path, entry.kind === "dir" ? entry : { kind: "file", bytes: entry.bytes.slice() });
    return copy;
  }

  #isDir(path: string): boolean {
    return path === "" || this.entries.get(path)?.kind === "dir";
  }

  #file(path: string): Extract<Entry, { kind: "file" }> | undefined {
    const entry = this.entries.get(path);
    return entry?.kind === "file" ? entry : undefined;
  }

  #children(path: string): string[] {
    return [...this.entries.keys()].filter((key) => parentOf(key) === path);
  }

  /** Applies `op` when POSIX allows it; returns whether it did. */
  apply(op: DataOp): boolean {
    const [kind, path] = op;
    if (path === "") return false; // /data itself: a mount point
    const parentOk = this.#isDir(parentOf(path));
    switch (kind) {
      case "create": {
        if (!parentOk || this.#isDir(path)) return false;
        this.entries.set(path, { kind: "file", bytes: opBytes(op[2]) });
        return true;
      }
      case "append": {
        if (!parentOk || this.#isDir(path)) return false;
        const old = this.#file(path)?.bytes ?? new Uint8Array(0);
        const add = opBytes(op[2]);
        const bytes = new Uint8Array(old.byteLength + add.byteLength);
        bytes.set(old);
        bytes.set(add, old.byteLength);
        this.entries.set(path, { kind: "file", bytes });
        return true;
      }
      case "write": {
        const file = this.#file(path);
        if (!parentOk || !file) return false;
        const add = opBytes(op[3]);
        const offset = op[2];
        if (!add.byteLength) return true;
        const bytes = new Uint8Array(Math.max(file.bytes.byteLength, offset + add.byteLength));
        bytes.set(file.bytes);
        bytes.set(add, offset);
        file.bytes = bytes;
        return true;
      }
      case "remove": {
        if (!this.#file(path)) return false;
        this.entries.delete(path);
        return true;
      }
      case "mkdir": {
        if (!parentOk || this.entries.has(path)) return false;
        this.entries.set(path, { kind: "dir" });
        return true;
      }
      case "rmdir": {
        if (!this.#isDir(path) || !this.entries.has(path) || this.#children(path).length) return false;
        this.entries.delete(path);
        return true;
      }
      case "rename": {
        const to = op[2];
        const from = this.entries.get(path);
        if (!from || to === "" || !this.#isDir(parentOf(to)) || to.startsWith(`${path}/`)) return false;
        if (to === path) return true;
        const there = this.entries.get(to);
        if (there) {
          if (from.kind === "dir" && (there.kind !== "dir" || this.#children(to).length)) return false;
          if (from.kind === "file" && there.kind === "dir") return false;
        }
        const moved = [...this.entries].filter(([key]) => key === path || key.startsWith(`${path}/`));
        for (const [key] of moved) this.entries.delete(key);
        this.entries.delete(to);
        for (const [key, entry] of moved) this.entries.set(to + key.slice(path.length), entry);
        return true;
      }
    }
  }

  listing(): Listing {
    const out: Listing = {};
    for (const path of [...this.entries.keys()].sort()) {
      const entry = this.entries.get(path)!;
      out[path] = entry.kind === "dir" ? null : digest(entry.bytes);
    }
    return out;
  }
}
