import { describe, expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { compatHint, withCompatHint } from "../../../src/runner/compatHints.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

describe("compatHint", () => {
  test("names what to use instead for modules and attributes on the not-available lists", () => {
    expect(compatHint("ImportError: no module named 'threading'")).toMatch(/asyncio/);
    expect(compatHint("ImportError: no module named 'urllib.request'")).toMatch(/network/);
    expect(compatHint("AttributeError: 'module' object has no attribute 'SystemRandom'")).toMatch(/secrets/);
    expect(compatHint("ImportError: no module named 'collections.abc'")).toMatch(/hasattr/);
    expect(compatHint("AttributeError: 'module' object has no attribute 'sha512'")).toMatch(/sha256/);
    expect(compatHint("SyntaxError: *x must be assignment target")).toMatch(/a \+ b/);
    expect(compatHint("AttributeError: 'module' object has no attribute 'exc_info'")).toMatch(/traceback\.exc_info\(\)/);
  });

  test("stays silent for other errors and for lookalike names", () => {
    expect(compatHint("ImportError: no module named 'threadingx'")).toBeUndefined();
    expect(compatHint("ImportError: no module named 'myapp'")).toBeUndefined();
    expect(compatHint("ValueError: no module named 'threading'")).toBeUndefined();
    // dict() of a defaultdict or Counter works now (wasm/dictSubclassUpdate.mjs): no hint for it.
    expect(compatHint("ValueError: dict update sequence has wrong length")).toBeUndefined();
    expect(withCompatHint("KeyError: 'x'")).toBe("KeyError: 'x'");
  });
});

describe("hints reach the error page and the log", () => {
  async function serve(source: string) {
    const files = new Map([["app.py", new TextEncoder().encode(source)]]);
    const log: string[] = [];
    const runner = new AppRunner(
      { files, config: appConfig("hinted", files, { mount: "/" }) },
      { runtime: await loadRuntimeNode(), dev: true, onLog: (entry) => entry.kind === "event" && log.push(entry.message) },
    );
    const host = new AppHost({ dev: true });
    host.mount({ mount: "/", runner });
    const response = await host.request({ url: new URL("http://localhost/"), method: "GET", headers: [["host", "localhost"]], body: null });
    const page = await new Response(response!.body).text();
    await runner.close();
    return { status: response!.status, page, log };
  }

  test("an ImportError raised while handling a request", async () => {
    const { status, page } = await serve(`
async def app(scope, receive, send):
    if scope['type'] == 'http':
        import threading
`);
    expect(status).toBe(500);
    expect(page).toContain("no module named &#39;threading&#39; (hint: there are no threads in the sandbox: use asyncio tasks");
  });

  test("an ImportError at import time (load error)", async () => {
    const { status, page, log } = await serve("import pickle\napp = None\n");
    expect(status).toBe(500);
    expect(page).toContain("hint: pickle is not available: store data as JSON");
    expect(log.some((line) => line.includes("hint: pickle is not available"))).toBe(true);
  });
});
