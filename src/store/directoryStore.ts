import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type DataChanges, type DataStore, QuotaError } from "./protocol.ts";

const TMP_SUFFIX = ".swasgi-tmp";

/**
 * `/data` kept in a directory (CLI `--data-dir`, Node tests). A commit writes every new file
 * beside its target first and renames them into place only when all writes succeeded, so a
 * full disk leaves the last good state.
 */
export class DirectoryStore implements DataStore {
  /** Commits run one at a time, in call order: overlapping renames could interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  async load(): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    await mkdir(this.dir, { recursive: true });
    const walk = async (folder: string, prefix: string): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) await walk(full, `${prefix}${entry.name}/`);
        else if (entry.isFile() && !entry.name.endsWith(TMP_SUFFIX)) {
          files.set(`${prefix}${entry.name}`, new Uint8Array(await readFile(full)));
        }
      }
    };
    await walk(this.dir, "");
    return files;
  }

  commit(changes: DataChanges): Promise<void> {
    const run = this.#queue.then(() => this.#commit(changes));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit({ put, remove }: DataChanges): Promise<void> {
    const staged: [string, string][] = [];
    try {
      for (const [name, bytes] of put) {
        const target = this.#resolve(name);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target + TMP_SUFFIX, bytes);
        staged.push([target + TMP_SUFFIX, target]);
      }
    } catch (error) {
      await Promise.all(staged.map(([tmp]) => rm(tmp, { force: true })));
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOSPC" || code === "EDQUOT") throw new QuotaError(`${this.dir}: no space left`);
      throw error;
    }
    for (const [tmp, target] of staged) await rename(tmp, target);
    for (const name of remove) await rm(this.#resolve(name), { force: true });
  }

  /** Paths come from the sandbox's own /data listing; still, never leave the directory. */
  #resolve(name: string): string {
    const target = path.resolve(this.dir, name);
    if (!target.startsWith(path.resolve(this.dir) + path.sep)) throw new Error(`refusing to write outside ${this.dir}: ${name}`);
    return target;
  }
}
