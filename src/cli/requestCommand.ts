import { readFile } from "node:fs/promises";
import { AppHost } from "../host/appHost.ts";
import { AppRunner, type LogEntry } from "../runner/appRunner.ts";
import { AppConfigError } from "../runner/appConfig.ts";
import { loadRuntimeNode } from "../runner/loadRuntimeNode.ts";
import { loadSqliteEngineNode } from "../runner/sqliteEngineNode.ts";
import { DirectoryStore } from "../store/directoryStore.ts";
import { readAppDir } from "./readAppDir.ts";
import { writeRawResponse } from "./rawResponse.ts";
import { AppLoadError, lastOf, parseHeader, parsePositiveInt, UsageError } from "./usage.ts";

/** As cac hands them over: a flag given twice arrives as an array. */
export interface RequestFlags {
  request?: string | string[];
  header?: string | string[];
  data?: string | string[];
  dataFile?: string | string[];
  timeoutMs?: string | number | (string | number)[];
  memoryMb?: string | number | (string | number)[];
  storageMb?: string | number | (string | number)[];
  dataDir?: string | string[];
}

/**
 * `swasgi request APP_DIR PATH`: one request through the same sandboxed runner the browser
 * uses, the raw HTTP/1.1 response on stdout. Exit 0 whenever a response was produced.
 */
export async function requestCommand(appDir: string, target: string, flags: RequestFlags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  if (!target?.startsWith("/")) throw new UsageError(`PATH must start with "/", got "${target ?? ""}"`);
  if (flags.data !== undefined && flags.dataFile !== undefined) throw new UsageError("give either -d DATA or --data-file FILE, not both");
  const headers = ([] as string[]).concat(flags.header ?? []).map(parseHeader);
  // Given twice, a single-valued flag keeps its last value (curl's rule) instead of an array.
  const timeoutMs = parsePositiveInt("--timeout-ms", lastOf(flags.timeoutMs));
  const memoryMb = parsePositiveInt("--memory-mb", lastOf(flags.memoryMb));
  const storageMb = parsePositiveInt("--storage-mb", lastOf(flags.storageMb));
  const dataFile = lastOf(flags.dataFile);
  const dataDir = lastOf(flags.dataDir);
  let body: Uint8Array | null = null;
  // Several -d are joined with "&", as curl does.
  if (flags.data !== undefined) body = new TextEncoder().encode(([] as string[]).concat(flags.data).join("&"));
  if (dataFile !== undefined) {
    body = await readFile(dataFile).then(
      (b) => new Uint8Array(b),
      (e: NodeJS.ErrnoException) => {
        throw new UsageError(`--data-file ${dataFile}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
      },
    );
  }
  const requested = lastOf(flags.request);
  const method = (requested ?? (body ? "POST" : "GET")).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X ${requested}: not an HTTP method`);
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has("host")) headers.unshift(["host", "localhost"]);
  if (body && !has("content-type")) headers.push(["content-type", "application/x-www-form-urlencoded"]);
  if (body && !has("content-length")) headers.push(["content-length", String(body.byteLength)]);

  let source;
  try {
    source = await readAppDir(appDir, { mount: "/", timeoutMs, memoryMb, storageMb });
  } catch (error) {
    if (error instanceof AppConfigError) throw new AppLoadError(`${appDir}/${error.message}`);
    throw new AppLoadError(String((error as Error).message));
  }
  // A load failure is reported once, as the exit-1 message, not also as a log line.
  let booting = true;
  const log = (entry: LogEntry) => {
    if (entry.kind === "output") stderr.write(`${entry.text}\n`);
    else if (entry.level !== "info" && !booting) stderr.write(`swasgi: ${entry.message}\n${entry.detail ? `${entry.detail}\n` : ""}`);
  };
  const runner = new AppRunner(source, {
    runtime: await loadRuntimeNode(),
    sqlite: loadSqliteEngineNode,
    store: dataDir ? new DirectoryStore(dataDir) : undefined,
    dev: true,
    onLog: log,
  });
  const failure = await runner.start();
  booting = false;
  if (failure?.code === "load-error") {
    const where = failure.file ? `${appDir}/${failure.file.replace(/^\/app\//, "")}${failure.line ? `:${failure.line}` : ""}: ` : "";
    throw new AppLoadError(`${where}${failure.message}`, failure.traceback);
  }
  const host = new AppHost({ dev: true });
  host.mount({ mount: "/", runner });
  const response = await host.request({ url: new URL(target, "http://localhost"), method, headers, body });
  if (!response) throw new Error("internal: no app mounted at /");
  // A failed write also arrives as an 'error' event, which would crash the process unheard.
  stdout.on("error", () => {});
  try {
    const cut = await writeRawResponse(response, (chunk) => new Promise((resolve, reject) => stdout.write(chunk, (e) => (e ? reject(e) : resolve()))));
    // The head went out, so this is still a response (exit 0), but say why the body stops.
    if (cut) stderr.write(`swasgi: the response was cut short: ${cut}\n`);
  } catch (error) {
    // The reader closed the pipe (`| head`): stop quietly, as other command-line tools do.
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
  await response.done;
  await runner.close();
  return 0;
}
