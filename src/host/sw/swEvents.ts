import { eventChannelName, type SwasgiEvent } from "../../client/protocol.ts";

/** An event as emitted: the time is added here. */
export type EventInit = SwasgiEvent extends infer E ? (E extends SwasgiEvent ? Omit<E, "at"> : never) : never;

const BACKLOG = 500;
/** Events are posted in batches at most this often: one postMessage per request cost about 9 % of throughput. */
const FLUSH_MS = 50;

/**
 * Events for pages (request log, app output, notices, progress), posted on a BroadcastChannel:
 * unlike a comlink callback it needs no subscription, so it survives the Service Worker being
 * stopped and started again, and a closed page leaves nothing behind. A short backlog lets a
 * page opened later show what happened; it lives as long as the Service Worker does.
 * Each message is a batch: an array of events as a JSON string.
 */
export class SwEvents {
  readonly #channel: BroadcastChannel;
  readonly #recent: SwasgiEvent[] = [];
  readonly #console: boolean;
  #batch: SwasgiEvent[] = [];
  #flush: ReturnType<typeof setTimeout> | undefined;

  constructor(base: string, options: { console: boolean }) {
    this.#channel = new BroadcastChannel(eventChannelName(base));
    this.#console = options.console;
  }

  emit(init: EventInit): void {
    const event = { ...init, at: Date.now() } as SwasgiEvent;
    if (event.kind !== "progress") {
      this.#recent.push(event);
      if (this.#recent.length > BACKLOG) this.#recent.splice(0, this.#recent.length - BACKLOG);
    }
    if (this.#console) mirror(event);
    this.#batch.push(event);
    this.#flush ??= setTimeout(() => {
      this.#flush = undefined;
      // As one JSON string: cloning a string is a copy, cloning ~50 small objects per batch
      // walks each property, and the post ran on the worker thread of every request.
      this.#channel.postMessage(JSON.stringify(this.#batch.splice(0)));
    }, FLUSH_MS);
  }

  recent(): SwasgiEvent[] {
    return [...this.#recent];
  }
}

/** A built site has no host page open: its console is where details go (DESIGN.md). */
function mirror(event: SwasgiEvent): void {
  if (event.kind === "updated") console.info(`swasgi: updated to build ${event.build}${event.apps.length ? ` (${event.apps.join(", ")} changed)` : ""}`);
  else if (event.kind === "output") (event.stream === "stderr" ? console.warn : console.log)(`[${event.app}] ${event.text}`);
  else if (event.kind === "notice" && event.level !== "info") {
    (event.level === "error" ? console.error : console.warn)(`swasgi: ${event.message}${event.detail ? `\n${event.detail}` : ""}`);
  }
}
