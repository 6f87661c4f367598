/**
 * The runner's calls and results: what a host (the Service Worker, the CLI, tests) hands an
 * AppRunner and what it gets back. Nothing else unpacks these.
 */

/** An app's settings: swasgi.json merged over the defaults (src/runner/appConfig.ts). */
export interface AppConfig {
  /** Shown in logs and error pages: the folder name unless swasgi.json says otherwise. */
  name: string;
  /** "module:attribute", default "app:app". */
  entry: string;
  /** URL prefix with leading and trailing slash, default "/app/". */
  mount: string;
  /** CPU time one synchronous run of the app may take. */
  timeoutMs: number;
  /** Cap on the interpreter's memory. */
  memoryMb: number;
  /** Cap on the bytes of files in `/tmp` and `/data` together (ENOSPC beyond). */
  storageMb: number;
  /** Largest request body accepted (413 beyond). */
  maxBodyBytes: number;
  /** Largest response body produced (the response is cut beyond). */
  maxResponseBytes: number;
}

/** An app folder: its files by `/`-separated relative path, and its settings. */
export interface AppSource {
  config: AppConfig;
  files: Map<string, Uint8Array>;
  /** Names these files, as a content hash does: what an app image kept elsewhere is checked by. */
  version?: string;
}

/** The JSON-able part of an ASGI HTTP scope; the bridge turns strings into bytes. */
export interface ScopeInit {
  type: "http";
  http_version: string;
  method: string;
  scheme: string;
  path: string;
  /** Latin-1 text of the still-encoded path below the mount. */
  raw_path: string;
  /** Latin-1 text, no "?". */
  query_string: string;
  root_path: string;
  /** Lowercased names, latin-1 text, order and duplicates kept. */
  headers: [string, string][];
  client: [string, number];
  server: [string, number];
  extensions?: Record<string, unknown>;
}

export interface RunnerRequest {
  scope: ScopeInit;
  body: ReadableStream<Uint8Array> | Uint8Array | null;
  /** Aborts when the client goes away. */
  signal?: AbortSignal;
}

export type FailureCode =
  | "load-error"
  | "startup-failed"
  | "app-exception"
  | "no-response"
  | "timeout"
  | "memory"
  | "crashed"
  | "body-too-large"
  | "response-too-large"
  | "quota";

/** Why there is no response from the app; the host turns it into an error page. */
export interface Failure {
  code: FailureCode;
  /** One line for a person: what went wrong and what to do. */
  message: string;
  /** The Python traceback, when there is one (shown in dev only). */
  traceback?: string;
  /** Where, when known: file and line of the app. */
  file?: string;
  line?: number;
}

export interface ResponseHead {
  status: number;
  /** Lowercased names, in the order sent, repeats kept. */
  headers: [string, string][];
}

export type RunnerReply =
  | ({ kind: "response"; body: ReadableStream<Uint8Array>; done: Promise<Outcome> } & ResponseHead)
  | { kind: "failure"; failure: Failure };

/** How a request ended, once its body stream is closed or errored. */
export interface Outcome {
  ok: boolean;
  failure?: Failure;
  /** Response body bytes produced. */
  bytes: number;
}
