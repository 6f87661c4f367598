import { PyError } from "../../../src/runner/ffi/convert.ts";
import { Interpreter } from "../../../src/runner/interpreter.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { sqliteMemoryShare } from "../../../src/runner/sqliteEngine.ts";
import { loadSqliteEngineNode } from "../../../src/runner/sqliteEngineNode.ts";
import { SqliteGrant, sqliteModule } from "../../../src/runner/sqliteModule.ts";
import { loadLib } from "./loadLib.ts";

export interface SqliteSession {
  readonly py: Interpreter;
  readonly grant: SqliteGrant;
  /** Runs `code` in `__main__`; answers what it printed; throws with the traceback on a Python error. */
  run(code: string): string;
  /** Runs `code`, answering the Python error's last line instead of throwing (or what it printed). */
  error(code: string): string;
}

/**
 * An interpreter granted `_swasgi_sqlite` with its own engine instance, as the runner sets one
 * up for an app that imports sqlite3 (`engine: false`: as for an app whose import was not found).
 */
export async function startSqlite(options: { engine?: boolean; timeoutMs?: number } = {}): Promise<SqliteSession> {
  const chunks: Uint8Array[] = [];
  const hostErrors: string[] = [];
  let py!: Interpreter;
  const grant = new SqliteGrant();
  py = await Interpreter.create(await loadRuntimeNode(), {
    timeoutMs: options.timeoutMs ?? 5000,
    graceMs: 500,
    memoryBytes: 48 << 20,
    modules: { _swasgi_sqlite: sqliteModule(grant, () => py.memory) },
    onHostError: (where, error) => hostErrors.push(`${where}: ${String((error as Error)?.stack ?? error)}`),
    onOutput: (_stream, bytes) => chunks.push(bytes.slice()),
  });
  loadLib(py);
  if (options.engine !== false) {
    // As the runner does for an app that imports sqlite3 (appRunner.ts).
    const engine = await loadSqliteEngineNode();
    py.fs.writeFile("/lib/_sqlite3.py", engine.python);
    grant.backend = await engine.instantiate(sqliteMemoryShare(64), {
      fs: () => py.fs,
      inTime: () => {
        try {
          py.clock.refuel();
        } catch {
          return false;
        }
        return !py.clock.interrupted;
      },
    });
  }
  const exec = (code: string): { printed: string; error?: PyError } => {
    chunks.length = 0;
    const result = py.exec(code);
    const printed = Buffer.concat(chunks).toString("utf8");
    chunks.length = 0;
    return { printed, error: result instanceof PyError ? result : undefined };
  };
  const run = (code: string): string => {
    const { printed, error } = exec(code);
    if (error) throw new Error(`${error.type} in Python:\n${error.traceback}\nprinted:\n${printed}\nhost errors:\n${hostErrors.join("\n")}`);
    return printed;
  };
  const error = (code: string): string => {
    const { printed, error } = exec(code);
    return error ? error.traceback.trim().split("\n").pop()! : printed;
  };
  run("import _swasgi_compat\n");
  return { py, grant, run, error };
}
