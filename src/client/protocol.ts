/**
 * The page ⇄ Service Worker boundary. Calls go over comlink (a MessageChannel per call, see
 * registerSwasgi.ts); live events go over a BroadcastChannel. Types only: nothing else
 * unpacks these messages.
 */

/** Posted to the Service Worker with the comlink port in `ports[0]`. */
export interface ConnectMessage {
  type: "swasgi:connect";
}
/**
 * Take control of this page now (first visit, or after a hard reload) and re-read the
 * manifest; answered with "claimed" on `ports[0]` when one is sent.
 */
export interface ClaimMessage {
  type: "swasgi:claim";
}
export type PageMessage = ConnectMessage | ClaimMessage;

/** The name of the BroadcastChannel the Service Worker of a site base posts events on. */
export function eventChannelName(base: string): string {
  return `swasgi-events:${base}`;
}

export type AppState = "idle" | "booting" | "ready" | "failed";

export interface AppInfo {
  name: string;
  /** As the browser sees it ("/app/", or "/sub/app/" on a site under /sub/). */
  mount: string;
  version: string;
  state: AppState;
  timeoutMs: number;
  memoryMb: number;
  /** Set when state is "failed". */
  error?: string;
}

export type RuntimePhase = "idle" | "downloading" | "compiling" | "ready" | "failed";

export interface HostStatus {
  dev: boolean;
  /** The build id of a site made by `swasgi build`; absent under `swasgi dev`. */
  build?: string;
  runtime: { phase: RuntimePhase; loaded: number; total: number; error?: string };
  apps: AppInfo[];
}

/** The API the Service Worker exposes to pages over comlink. */
export interface SwasgiApi {
  /** The mounted apps (loads the manifest if needed). */
  apps(): AppInfo[] | Promise<AppInfo[]>;
  status(): HostStatus | Promise<HostStatus>;
  /** Downloads and compiles the runtime and boots every app; resolves with the status. */
  warm(): Promise<HostStatus>;
  /** Re-reads the manifest and reloads apps whose version changed; resolves with their names. */
  sync(): Promise<string[]>;
  /** The latest events (the Service Worker keeps a short backlog), oldest first. */
  recent(): SwasgiEvent[] | Promise<SwasgiEvent[]>;
}

export interface RequestEvent {
  kind: "request";
  app: string;
  method: string;
  /** Path and query as the browser sees them. */
  path: string;
  status: number;
  /** Until the response head was ready. */
  headMs: number;
  /** Until the body was fully produced (or failed). */
  ms: number;
  bytes: number;
  /** Set when the app failed (an error page, or a cut stream). */
  error?: string;
  at: number;
}

export interface OutputEvent {
  kind: "output";
  app: string;
  stream: "stdout" | "stderr";
  text: string;
  at: number;
}

export interface NoticeEvent {
  kind: "notice";
  /** Empty for notices about the host itself (runtime, manifest). */
  app: string;
  level: "info" | "warn" | "error";
  message: string;
  /** A traceback or other detail. */
  detail?: string;
  at: number;
}

export interface ProgressEvent {
  kind: "progress";
  status: HostStatus;
  at: number;
}

/** App versions changed (dev reload); pages of these apps should refresh. */
export interface ReloadEvent {
  kind: "reload";
  apps: { name: string; mount: string; version: string }[];
  at: number;
}

/**
 * A new build of the site took over (`swasgi build` deployed again): its Service Worker
 * installed, cached the new files and activated. Pages opened or reloaded from now on run it;
 * `/data` and cookies are kept.
 */
export interface UpdatedEvent {
  kind: "updated";
  build: string;
  /** The build it replaced ("" when that one did not say). */
  previous: string;
  /** Apps added, removed or changed by the new build. */
  apps: string[];
  at: number;
}

export type SwasgiEvent = RequestEvent | OutputEvent | NoticeEvent | ProgressEvent | ReloadEvent | UpdatedEvent;
