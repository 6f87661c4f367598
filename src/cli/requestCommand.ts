import { readFile } from "node:fs/promises";
import { AppHost } from "../host/appHost.ts";
import { AppRunner, type LogEntry } from "../runner/appRunner.ts";
import { AppConfigError } from "../runner/appConfig.ts";
import { loadRuntimeNode } from "../runner/loadRuntimeNode.ts";
import { DirectoryStore } from "../store/directoryStore.ts";
import { readAppDir } from "./readAppDir.ts";
import { writeRawResponse } from "./rawResponse.ts";
import { AppLoadError, parseHeader, parsePositiveInt, UsageError } from "./usage.ts";

export interface RequestFlags {
  request?: string;
  header?: string | string[];
  data?: string;
  dataFile?: string;
  timeoutMs?: string | number;
  memoryMb?: string | number;
  dataDir?: string;
}

/**
 * `swasgi request APP_DIR PATH`: one request through the same sandboxed runner the browser
 * uses, the raw HTTP/1.1 response on stdout. Exit 0 whenever a response was produced.
 */
export async function requestCommand(appDir: string, target: string, flags: RequestFlags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  if (!target?.startsWith("/")) throw new UsageError(`PATH must start with "/", got "${target ?? ""}"`);
  if (flags.data !== undefined && flags.dataFile !== undefined) throw new UsageError("give either -d DATA or --data-file FILE, not both");
  const headers = ([] as string[]).concat(flags.header ?? []).map(parseHeader);
  const timeoutMs = parsePositiveInt("--timeout-ms", flags.timeoutMs);
  const memoryMb = parsePositiveInt("--memory-mb", flags.memoryMb);
  let body: Uint8Array | null = null;
  if (flags.data !== undefined) body = new TextEncoder().encode(String(flags.data));
  if (flags.dataFile !== undefined) {
    body = await readFile(flags.dataFile).then(
      (b) => new Uint8Array(b),
      (e: NodeJS.ErrnoException) => {
        throw new UsageError(`--data-file ${flags.dataFile}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
      },
    );
  }
  const method = (flags.request ?? (body ? "POST" : "GET")).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X ${flags.request}: not an HTTP method`);
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has("host")) headers.unshift(["host", "localhost"]);
  if (body && !has("content-type")) headers.push(["content-type", "application/x-www-form-urlencoded"]);
  if (body && !has("content-length")) headers.push(["content-length", String(body.byteLength)]);

  let source;
  try {
    source = await readAppDir(appDir, { mount: "/", timeoutMs, memoryMb });
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
    store: flags.dataDir ? new DirectoryStore(flags.dataDir) : undefined,
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
  await writeRawResponse(response, (chunk) => new Promise((resolve, reject) => stdout.write(chunk, (e) => (e ? reject(e) : resolve()))));
  await response.done;
  await runner.close();
  return 0;
}
