import type { SwasgiApi } from "../../client/protocol.ts";
import type { AppRegistry } from "./appRegistry.ts";
import type { SwEvents } from "./swEvents.ts";

/**
 * What the Service Worker exposes to pages over comlink (types in src/client/protocol.ts).
 * Errors thrown here reach the page as `{name, message, stack}` and are rethrown there.
 */
export function swApi(registry: AppRegistry, events: SwEvents): SwasgiApi {
  return {
    async apps() {
      await registry.manifest();
      return registry.apps();
    },
    async status() {
      // Whether this is dev, and which apps there are, is in the manifest.
      await registry.manifest().catch(() => undefined);
      return registry.status();
    },
    async warm() {
      await registry.warm();
      return registry.status();
    },
    sync: () => registry.sync(),
    recent: () => events.recent(),
  };
}
