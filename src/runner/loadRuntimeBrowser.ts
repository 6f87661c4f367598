import type { Runtime } from "./interpreter.ts";

export interface LoadRuntimeOptions {
  /** Download progress; `total` is 0 when the server sent no Content-Length. */
  onProgress?(loaded: number, total: number): void;
  /** Called once the bytes are all in and compiling remains (streaming compile overlaps it). */
  onCompile?(): void;
  /** Fetches the wasm instead of the global `fetch`: a built site's Service Worker reads it from its cache. */
  fetch?(url: URL | string): Promise<Response>;
  /**
   * The bytes are local (Cache Storage): read them whole and compile, which measured ~2 ms
   * faster at a Service Worker start than streaming compilation, and needs no progress.
   */
  local?: boolean;
}

/**
 * Fetches and compiles the instrumented runtime in a browser (the Service Worker). Browser
 * globals are only read when called, so Node can import this file.
 *
 * The body is re-wrapped in a Response typed `application/wasm`: `compileStreaming` rejects any
 * other MIME type, and static hosts often serve `.wasm` as `application/octet-stream`. Where
 * `compileStreaming` is missing, the bytes are read once and compiled.
 * @example const runtime = await loadRuntimeBrowser(new URL("micropython.wasm", self.location.href));
 */
export async function loadRuntimeBrowser(url: URL | string, options: LoadRuntimeOptions = {}): Promise<Runtime> {
  const response = options.fetch ? await options.fetch(url) : await fetch(url, { credentials: "same-origin" });
  if (!response.ok || !response.body) {
    throw new Error(`swasgi: could not download the runtime: ${response.status} ${response.statusText} for ${String(url)}`);
  }
  if (options.local) {
    options.onCompile?.();
    return { wasm: await WebAssembly.compile(await response.arrayBuffer()), instrumented: true };
  }
  const total = Number(response.headers.get("content-length")) || 0;
  let loaded = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        options.onProgress?.(loaded, total);
        controller.enqueue(chunk);
      },
      flush() {
        options.onCompile?.();
      },
    }),
  );
  const typed = new Response(counted, { headers: { "content-type": "application/wasm" } });
  const wasm =
    typeof WebAssembly.compileStreaming === "function"
      ? await WebAssembly.compileStreaming(typed)
      : await WebAssembly.compile(await typed.arrayBuffer());
  return { wasm, instrumented: true };
}
