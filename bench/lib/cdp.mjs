// Peak JS heap of a Service Worker, over CDP. Playwright gives no session for a Service Worker
// target, so this attaches through the browser session in non-flat mode and talks to the
// worker with Target.sendMessageToTarget (deprecated in the protocol, still served by Chromium).

/**
 * Attaches to the running Service Worker whose script URL starts with `origin` and samples
 * `Runtime.getHeapUsage` every `everyMs` until `stop()`.
 * @param {import("playwright-core").Browser} browser
 * @param {string} origin
 */
export async function sampleServiceWorkerHeap(browser, origin, everyMs = 50) {
  const session = await browser.newBrowserCDPSession();
  const { targetInfos } = await session.send("Target.getTargets");
  const target = targetInfos.find((t) => t.type === "service_worker" && t.url.startsWith(origin));
  if (!target) {
    await session.detach();
    throw new Error(`no running Service Worker for ${origin}`);
  }
  const { sessionId } = await session.send("Target.attachToTarget", { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const pending = new Map();
  session.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    const settle = pending.get(message.id);
    if (!settle) return;
    pending.delete(message.id);
    settle(message);
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      session.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });

  const peak = { usedSize: 0, totalSize: 0, embedderHeapUsedSize: 0, backingStorageSize: 0 };
  let samples = 0;
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      const usage = await call("Runtime.getHeapUsage");
      samples++;
      for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], usage[key] ?? 0);
    } catch {
      // The worker may be between restarts; the next sample counts.
    } finally {
      busy = false;
    }
  };
  await sample();
  const timer = setInterval(sample, everyMs);
  return {
    /** The peaks, and what stays after a full garbage collection (retained, not garbage). */
    async stop() {
      clearInterval(timer);
      await sample();
      let afterGc;
      try {
        await call("HeapProfiler.collectGarbage");
        afterGc = (await call("Runtime.getHeapUsage")).usedSize;
      } catch {
        afterGc = null;
      }
      await session.send("Target.detachFromTarget", { sessionId }).catch(() => {});
      await session.detach().catch(() => {});
      return { ...peak, samples, usedAfterGc: afterGc };
    },
  };
}

/**
 * Stops every Service Worker of the page's browser context and waits until the page's
 * worker reports "stopped".
 * @param {import("playwright-core").CDPSession} pageSession a session with ServiceWorker enabled
 */
export async function stopServiceWorkers(pageSession, timeoutMs = 5000) {
  const stopped = new Promise((resolve) => {
    const onUpdate = ({ versions }) => {
      if (versions.some((v) => v.runningStatus === "stopped")) {
        pageSession.off("ServiceWorker.workerVersionUpdated", onUpdate);
        resolve(true);
      }
    };
    pageSession.on("ServiceWorker.workerVersionUpdated", onUpdate);
    setTimeout(() => {
      pageSession.off("ServiceWorker.workerVersionUpdated", onUpdate);
      resolve(false);
    }, timeoutMs);
  });
  await pageSession.send("ServiceWorker.stopAllWorkers");
  return stopped;
}
