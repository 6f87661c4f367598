import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";

// `swasgi request` exits when its event loop is empty: after close() no timer of the runner may
// remain (a pending 1 s lifespan fallback kept the process alive a second past the response).
const APP = `
async def app(scope, receive, send):
    if scope['type'] == 'lifespan':
        while True:
            message = await receive()
            if message['type'] == 'lifespan.startup':
                await send({'type': 'lifespan.startup.complete'})
            elif message['type'] == 'lifespan.shutdown':
                await send({'type': 'lifespan.shutdown.complete'})
                break
        return
    await send({'type': 'http.response.start', 'status': 200, 'headers': []})
    await send({'type': 'http.response.body', 'body': b'ok'})
`;

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

test("close() after a lifespan app's shutdown leaves no timer behind", async () => {
  const files = new Map([["app.py", new TextEncoder().encode(APP)]]);
  const runner = new AppRunner({ files, config: appConfig("closing", files, { mount: "/" }) }, { runtime: await loadRuntimeNode() });
  const host = new AppHost({ dev: false });
  host.mount({ mount: "/", runner });
  const before = timers();
  const response = await host.request({ url: new URL("http://localhost/"), method: "GET", headers: [["host", "localhost"]], body: null });
  expect(await new Response(response!.body).text()).toBe("ok");
  await response!.done;
  await runner.close();
  expect(timers()).toBeLessThanOrEqual(before);
});
