import { withCompatHint } from "./compatHints.ts";
import type { Failure, Outcome, ResponseHead, RunnerReply, RunnerRequest } from "./protocol.ts";

/** Largest piece of request body handed to Python at once (it holds two copies briefly). */
const RECEIVE_CHUNK = 1 << 20;
const NULL_BODY_STATUS = new Set([204, 205, 304]);
/** Body chunks queued for the consumer before the app's send() waits (back-pressure). */
const STREAM_HIGH_WATER = 4;

/** How the Python side said a request ended (`host.done`). */
export type PyOutcome = "ok" | "error" | "timeout" | "memory" | "no-response" | "incomplete";

export interface CycleHooks {
  /** Persists what the request changed; a Failure when that could not be done. */
  commit(): Promise<Failure | undefined>;
  /** Rolls back what a failed request changed. */
  rollback(): void;
  maxBodyBytes: number;
  maxResponseBytes: number;
}

/**
 * The JS half of one request: feeds the body to `receive()`, turns `send()` events into a
 * head and a body stream, and settles exactly once.
 *
 * The head is held until the app either streams (a body message with more_body) or
 * finishes: a complete response is only released after its `/data` changes are committed,
 * so a storage failure can still become a 507 instead of a success that was not saved.
 */
export class RequestCycle {
  readonly reply: Promise<RunnerReply>;
  readonly done: Promise<Outcome>;
  #resolveReply!: (reply: RunnerReply) => void;
  #resolveDone!: (outcome: Outcome) => void;

  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #pendingBytes: Uint8Array | undefined;
  #inbox: Uint8Array = new Uint8Array(0);
  #bodyEnded = false;
  #received = 0;

  #head: ResponseHead | undefined;
  #dropBody = false;
  #held: Uint8Array[] = [];
  #released = false;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #stream: ReadableStream<Uint8Array>;
  #pull: (() => void) | undefined;
  #sent = 0;

  #settled = false;
  /** Errors the body stream once the consumer has read what is queued (finishWith). */
  #failAfterDrain: (() => void) | undefined;
  /** The app sent its last body message. */
  #complete = false;
  #disconnected = false;
  #onDisconnect: (() => void)[] = [];

  constructor(
    readonly id: number,
    private readonly request: RunnerRequest,
    private readonly hooks: CycleHooks,
  ) {
    this.reply = new Promise((resolve) => (this.#resolveReply = resolve));
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    const body = request.body;
    if (body instanceof Uint8Array) this.#pendingBytes = body;
    else if (body) this.#reader = body.getReader();
    else this.#bodyEnded = true;
    this.#stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => {
          this.#pull?.();
          this.#pull = undefined;
          if (this.#failAfterDrain && this.#controller?.desiredSize === STREAM_HIGH_WATER) this.#failAfterDrain();
        },
        cancel: () => this.#clientGone(),
      },
      { highWaterMark: STREAM_HIGH_WATER },
    );
    request.signal?.addEventListener("abort", () => this.#clientGone(), { once: true });
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** The head went out to the client (a stream, or a finished response). */
  get released(): boolean {
    return this.#released;
  }

  /** `host.receive`: "<length> <more 0|1>" once a piece of body is ready, or "disconnect". */
  async receive(): Promise<string> {
    if (!this.#finalDelivered && !this.#disconnected) {
      if (this.#inbox.byteLength === 0 && !this.#bodyEnded) await this.#fillInbox();
      if (!this.#disconnected) {
        const size = Math.min(this.#inbox.byteLength, RECEIVE_CHUNK);
        const more = this.#inbox.byteLength > size || !this.#bodyEnded;
        this.#finalDelivered = !more;
        this.#ready = size;
        return `${size} ${more ? 1 : 0}`;
      }
    }
    // The body is over: wait for the response to finish or the client to leave.
    if (!this.#disconnected && !this.#settled && !this.#complete) {
      await new Promise<void>((resolve) => this.#onDisconnect.push(resolve));
    }
    return "disconnect";
  }
  #ready = 0;
  #finalDelivered = false;

  /** `host.read`: hands the piece announced by the last `receive` to `write`. */
  take(): Uint8Array {
    const piece = this.#inbox.subarray(0, this.#ready);
    this.#inbox = this.#inbox.subarray(this.#ready);
    this.#ready = 0;
    return piece;
  }

  async #fillInbox(): Promise<void> {
    let chunk: Uint8Array | undefined;
    if (this.#pendingBytes) {
      chunk = this.#pendingBytes;
      this.#pendingBytes = undefined;
      this.#bodyEnded = true;
    } else if (this.#reader) {
      try {
        const { value, done } = await this.#reader.read();
        if (done) this.#bodyEnded = true;
        else chunk = value;
      } catch {
        this.#clientGone();
        return;
      }
    }
    if (chunk) {
      this.#received += chunk.byteLength;
      if (this.#received > this.hooks.maxBodyBytes) {
        this.#bodyEnded = true;
        this.finishWith({
          code: "body-too-large",
          message: `The request body is larger than this app accepts (maxBodyBytes ${this.hooks.maxBodyBytes}).`,
        });
        this.#clientGone();
        return;
      }
      this.#inbox = chunk;
    }
    // Skip empty chunks: a zero-length piece with more_body would only make the app spin.
    if (!this.#bodyEnded && this.#reader && this.#inbox.byteLength === 0) await this.#fillInbox();
  }

  /**
   * `host.start`, with a head `parseResponseHead` checked. Answers why it was refused: the
   * host keeps the order of events itself (start once, before any body), whoever calls.
   */
  start(head: ResponseHead): string | undefined {
    if (this.#settled) return undefined;
    if (this.#head) return "Unexpected ASGI message 'http.response.start' sent, after response already started.";
    this.#head = head;
    this.#dropBody = this.request.scope.method === "HEAD" || head.status < 200 || NULL_BODY_STATUS.has(head.status);
    return undefined;
  }

  /** `host.body`: resolves when the consumer is ready for more. */
  body(chunk: Uint8Array, more: boolean): Promise<void> {
    if (this.#settled || !this.#head) return Promise.resolve();
    if (this.#disconnected) {
      if (!more) this.#complete = true;
      return Promise.resolve();
    }
    if (!this.#dropBody && chunk.byteLength) {
      this.#sent += chunk.byteLength;
      if (this.#sent > this.hooks.maxResponseBytes) {
        this.finishWith({
          code: "response-too-large",
          message: `The response is larger than this app may send (maxResponseBytes ${this.hooks.maxResponseBytes}).`,
        });
        return Promise.resolve();
      }
      if (this.#released) this.#controller?.enqueue(chunk);
      else this.#held.push(chunk);
    }
    if (more && !this.#released) this.#release();
    if (!more) {
      // The response is complete: a receive() waiting in a background task now gets
      // http.disconnect (the app may keep running, so do not wait for it to return).
      this.#complete = true;
      this.#wakeDisconnect();
    }
    if (!this.#released || (this.#controller?.desiredSize ?? 1) > 0) return Promise.resolve();
    return new Promise((resolve) => (this.#pull = resolve));
  }

  /** `host.done`: the app returned or raised. */
  async finish(outcome: PyOutcome, traceback: string): Promise<void> {
    if (this.#settled) return;
    // An "ok" that does not match what the host saw (a forged `host.done`, or a bridge bug)
    // is judged by the events themselves: no head is no response, no last body is incomplete.
    if (outcome === "ok" && !this.#head) outcome = "no-response";
    else if (outcome === "ok" && !this.#complete) outcome = "incomplete";
    if (outcome === "ok") {
      const failure = await this.hooks.commit();
      if (failure) return this.finishWith(failure);
      this.#settled = true;
      if (!this.#released) this.#release();
      try {
        this.#controller?.close();
      } catch {
        // The consumer cancelled the body (a client that left): closing throws, and `done`
        // must still settle or the runner never drains this interpreter.
      }
      this.#wakeDisconnect();
      this.#resolveDone({ ok: true, bytes: this.#sent });
      return;
    }
    if ((outcome === "incomplete" || outcome === "error") && this.#head) {
      // Like uvicorn: once the app sent http.response.start, a failure closes the connection
      // mid-body instead of becoming a 500, even while the head is still held here.
      if (!this.#released) this.#release();
      return this.finishWith(
        outcome === "incomplete"
          ? { code: "app-exception", message: "The app returned before finishing its response body." }
          : failureFor(outcome, traceback),
      );
    }
    this.finishWith(failureFor(outcome, traceback));
  }

  /** Settles with a failure: an error page before the head went out, a cut stream after. */
  finishWith(failure: Failure): void {
    if (this.#settled) return;
    this.#settled = true;
    this.hooks.rollback();
    if (this.#released) {
      const fail = () => {
        this.#failAfterDrain = undefined;
        try {
          this.#controller?.error(new Error(failure.message));
        } catch {
          // The consumer already cancelled.
        }
      };
      // error() drops the chunks still queued: let the consumer read what the app sent before
      // it failed (as a socket would have delivered it), then fail the stream (see `pull`).
      if ((this.#controller?.desiredSize ?? STREAM_HIGH_WATER) < STREAM_HIGH_WATER) this.#failAfterDrain = fail;
      else fail();
    } else {
      this.#resolveReply({ kind: "failure", failure });
    }
    this.#wakeDisconnect();
    this.#resolveDone({ ok: false, failure, bytes: this.#sent });
  }

  // Always a stream, even for a body complete before the head goes out: Chromium turns a
  // Service Worker Response made from bytes into a blob (a registry round trip per response),
  // which measured at half the throughput of a stream body.
  #release(): void {
    const head = this.#head!;
    this.#released = true;
    for (const chunk of this.#held.splice(0)) this.#controller?.enqueue(chunk);
    this.#resolveReply({ kind: "response", status: head.status, headers: head.headers, body: this.#stream, done: this.done });
  }

  #clientGone(): void {
    if (this.#disconnected) return;
    this.#disconnected = true;
    this.#pull?.();
    this.#wakeDisconnect();
    void this.#reader?.cancel().catch(() => {});
  }

  #wakeDisconnect(): void {
    for (const wake of this.#onDisconnect.splice(0)) wake();
  }
}

export function failureFor(outcome: PyOutcome, traceback: string): Failure {
  const where = locate(traceback);
  switch (outcome) {
    case "timeout":
      return { code: "timeout", message: "The app ran past its CPU time limit.", traceback: traceback || undefined, ...where };
    case "memory":
      return { code: "memory", message: "The app ran out of memory (its memory cap).", traceback, ...where };
    case "no-response":
      return { code: "no-response", message: "The app returned without sending a response ('http.response.start')." };
    default: {
      const last = traceback.trim().split("\n").pop() ?? "";
      return { code: "app-exception", message: `The app raised an exception: ${withCompatHint(last)}`, traceback, ...where };
    }
  }
}

/** The innermost `File "x", line N` of a MicroPython traceback. */
export function locate(traceback: string): { file?: string; line?: number } {
  const matches = [...traceback.matchAll(/File "([^"]+)", line (\d+)/g)];
  const last = matches.at(-1);
  return last ? { file: last[1], line: Number(last[2]) } : {};
}
