import { constants } from "node:fs";
import { copyFile, type FileHandle, link, lstat, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { CHUNK_BYTES, checkPath, type DataChanges, type DataStore, QuotaError, type StoredTree } from "./protocol.ts";

/** Left by the store before the journal (a staged file beside its target): never data. */
const OLD_TMP_SUFFIX = ".swasgi-tmp";
const MANIFEST = "manifest.json";
const CHUNKS = "chunks";

/** A commit as written to the journal: the ops, with each file's bytes found in the journal. */
interface Manifest {
  ops: ({ op: "remove"; path: string } | { op: "mkdir"; path: string } | JournalFile)[];
}

interface JournalFile {
  op: "file";
  path: string;
  size: number;
  /** The journal's link to (or copy of) the file's old bytes, or its staged new bytes. */
  base: string;
  /** [chunk index, offset in the journal's chunks file, length]: written in place after `base`. */
  chunks: [number, number, number][];
}

/**
 * `/data` kept as real files in a directory (CLI `--data-dir`, Node tests): a SQLite database
 * saved there opens with the `sqlite3` tool. A commit is all or nothing, through a redo
 * journal in `DIR.swasgi-journal` beside the directory:
 *
 * 1. stage: new files are written whole into the journal; files that stay get a hard link there
 *    to their old bytes (a copy where links are not supported), and their changed chunks go to
 *    the journal's chunks file;
 * 2. commit point: the manifest is written and renamed into place;
 * 3. apply: removes, folders, each file linked into place and its chunks written in place;
 * 4. the journal is deleted.
 *
 * A journal with a manifest is rolled forward (at load and before the next commit); one
 * without is discarded: a crash anywhere leaves the last commit or the new one, never a mix.
 * Every step of 3 states what is there afterwards, so applying it twice is harmless.
 */
export class DirectoryStore implements DataStore {
  /** Commits run one at a time, in call order: they share the journal. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly journal: string;

  constructor(readonly dir: string) {
    this.journal = `${path.resolve(dir)}.swasgi-journal`;
  }

  load(): Promise<StoredTree> {
    const run = this.#queue.then(() => this.#load());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  commit(changes: DataChanges): Promise<void> {
    const run = this.#queue.then(() => this.#commit(changes));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #load(): Promise<StoredTree> {
    await mkdir(this.dir, { recursive: true });
    await this.#recover();
    const tree: StoredTree = new Map();
    const walk = async (folder: string, prefix: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const entry of entries) {
        const full = path.join(folder, entry.name);
        const key = `${prefix}${entry.name}`;
        if (entry.isDirectory()) {
          tree.set(key, { kind: "dir" });
          await walk(full, `${key}/`);
        } else if (entry.isFile() && !entry.name.endsWith(OLD_TMP_SUFFIX)) {
          tree.set(key, { kind: "file", bytes: new Uint8Array(await readFile(full)) });
        }
      }
    };
    await walk(this.dir, "");
    return tree;
  }

  /** Finishes a committed journal, or discards one that never reached its commit point. */
  async #recover(): Promise<void> {
    let manifest: Manifest | undefined;
    try {
      manifest = JSON.parse(await readFile(path.join(this.journal, MANIFEST), "utf8")) as Manifest;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (manifest) await this.#apply(manifest);
    await rm(this.journal, { recursive: true, force: true });
  }

  async #commit({ ops }: DataChanges): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.#recover();
    let manifest: Manifest;
    try {
      manifest = await this.#stage(ops);
    } catch (error) {
      await rm(this.journal, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOSPC" || code === "EDQUOT") throw new QuotaError(`${this.dir}: no space left`);
      throw error;
    }
    // Committed: from here on a failure is finished by the next load or commit.
    await this.#apply(manifest).then(() => rm(this.journal, { recursive: true, force: true }), () => undefined);
  }

  async #stage(ops: DataChanges["ops"]): Promise<Manifest> {
    await mkdir(this.journal);
    const manifest: Manifest = { ops: [] };
    const pieces: Uint8Array[] = [];
    let offset = 0;
    for (const op of ops) {
      this.#resolve(op.path);
      if (op.op !== "file") {
        manifest.ops.push({ op: op.op, path: op.path });
        continue;
      }
      const base = `f${manifest.ops.length}`;
      const staged = path.join(this.journal, base);
      const entry: JournalFile = { op: "file", path: op.path, size: op.size, base, chunks: [] };
      if (op.from === undefined) {
        // New: the whole file, staged where it will be linked from.
        const file = await open(staged, "w");
        try {
          for (const [index, bytes] of op.chunks) await file.write(bytes, 0, bytes.byteLength, index * CHUNK_BYTES);
          await file.truncate(op.size);
          await file.datasync();
        } finally {
          await file.close();
        }
      } else {
        await linkOrCopy(this.#resolve(op.from), staged);
        for (const [index, bytes] of op.chunks) {
          entry.chunks.push([index, offset, bytes.byteLength]);
          pieces.push(bytes);
          offset += bytes.byteLength;
        }
      }
      manifest.ops.push(entry);
    }
    const chunks = await open(path.join(this.journal, CHUNKS), "w");
    try {
      for (const piece of pieces) await chunks.write(piece);
      await chunks.datasync();
    } finally {
      await chunks.close();
    }
    const pending = path.join(this.journal, `${MANIFEST}.tmp`);
    const handle = await open(pending, "w");
    try {
      await handle.writeFile(JSON.stringify(manifest));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(pending, path.join(this.journal, MANIFEST));
    return manifest;
  }

  async #apply(manifest: Manifest): Promise<void> {
    let source: FileHandle | undefined;
    try {
      for (const op of manifest.ops) {
        if (op.op === "file" && op.chunks.length) source ??= await open(path.join(this.journal, CHUNKS), "r");
        await this.#applyOne(op, source);
      }
    } finally {
      await source?.close();
    }
  }

  /** One step of a committed journal: what is at `op.path` afterwards, whatever was there. */
  async #applyOne(op: Manifest["ops"][number], source: FileHandle | undefined): Promise<void> {
    const target = this.#resolve(op.path);
    if (op.op === "remove") {
      await rm(target, { recursive: true, force: true });
    } else if (op.op === "mkdir") {
      const found = await lstat(target).catch(() => undefined);
      if (found && !found.isDirectory()) await rm(target, { recursive: true, force: true });
      if (!found?.isDirectory()) await mkdir(target);
    } else {
      const base = path.join(this.journal, op.base);
      const [now, staged] = await Promise.all([lstat(target).catch(() => undefined), stat(base)]);
      // A file that stays where it was is the journal's link already: its chunks go in place.
      if (!now || now.ino !== staged.ino || now.dev !== staged.dev) {
        if (now) await rm(target, { recursive: true, force: true });
        await linkOrCopy(base, target);
      }
      const file = await open(target, "r+");
      try {
        for (const [index, at, length] of op.chunks) {
          const bytes = new Uint8Array(length);
          await source!.read(bytes, 0, length, at);
          await file.write(bytes, 0, length, index * CHUNK_BYTES);
        }
        await file.truncate(op.size);
        if (op.chunks.length) await file.datasync();
      } finally {
        await file.close();
      }
    }
  }

  /** Paths come from the sandbox's own /data; still, never leave the directory. */
  #resolve(name: string): string {
    checkPath(name);
    const root = path.resolve(this.dir);
    const target = path.resolve(root, name);
    if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${this.dir}: ${name}`);
    return target;
  }
}

/** A second name for the file's bytes, or a copy where the file system has no hard links. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV" && code !== "EMLINK") throw error;
    await copyFile(from, to, constants.COPYFILE_FICLONE);
  }
}
