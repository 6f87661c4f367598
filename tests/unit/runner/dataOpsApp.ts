// A test app that runs a list of file operations on /data (POST /ops), then answers or raises,
// and lists /data (GET /dump): the runner's /data suites drive the real runtime through it.
import { createHash } from "node:crypto";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import type { AppConfig } from "../../../src/runner/protocol.ts";
import type { DataStore, StoredTree } from "../../../src/store/protocol.ts";

/** Bytes for a write: small ones as hex, large ones as `[length, byte]` (made in Python). */
export type OpData = string | [number, number];

export type DataOp =
  | ["create", string, OpData]
  | ["write", string, number, OpData]
  | ["append", string, OpData]
  | ["remove", string]
  | ["mkdir", string]
  | ["rmdir", string]
  | ["rename", string, string];

const APP = String.raw`
import asyncio, binascii, hashlib, json, os

def data(spec):
    if isinstance(spec, str):
        return binascii.unhexlify(spec)
    return bytes([spec[1]]) * spec[0]

def full(path):
    return "/data/" + path if path else "/data"

def do(op):
    kind, path = op[0], full(op[1])
    if kind == "create":
        with open(path, "wb") as f:
            f.write(data(op[2]))
    elif kind == "write":
        with open(path, "r+b") as f:
            f.seek(op[2])
            f.write(data(op[3]))
    elif kind == "append":
        with open(path, "ab") as f:
            f.write(data(op[2]))
    elif kind == "remove":
        os.remove(path)
    elif kind == "mkdir":
        os.mkdir(path)
    elif kind == "rmdir":
        os.rmdir(path)
    elif kind == "rename":
        os.rename(path, full(op[2]))
    elif kind == "exec":
        exec(op[1], {"os": os})
    else:
        raise ValueError(kind)

def tree():
    out = {}
    def walk(folder, prefix):
        for name in sorted(os.listdir(folder)):
            path = folder + "/" + name
            if os.stat(path)[0] & 0o170000 == 0o040000:
                out[prefix + name] = None
                walk(path, prefix + name + "/")
            else:
                with open(path, "rb") as f:
                    content = f.read()
                out[prefix + name] = "%d:%s" % (len(content), binascii.hexlify(hashlib.sha256(content).digest()).decode())
    walk("/data", "")
    return out

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/dump":
        answer = tree()
    else:
        request = json.loads(body)
        answer = []
        for op in request["ops"]:
            if op[0] == "sleep":
                await asyncio.sleep_ms(op[1])
                answer.append(None)
                continue
            try:
                do(op)
                answer.append(None)
            except OSError as e:
                answer.append(e.errno)
        if request.get("fail"):
            raise RuntimeError("failing on purpose after %r" % answer)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(answer).encode()})
`;

/**
 * `{ path: "size:sha256" | null }`, null for a folder: /data as the app lists it, or a store's
 * tree (digests, since big files printed whole would make the listing the slow part).
 */
export type Listing = Record<string, string | null>;

export function digest(bytes: Uint8Array): string {
  return `${bytes.byteLength}:${createHash("sha256").update(bytes).digest("hex")}`;
}

export function listing(tree: StoredTree): Listing {
  const out: Listing = {};
  for (const [path, entry] of tree) out[path] = entry.kind === "dir" ? null : digest(entry.bytes);
  return out;
}

export async function serveOps(store: DataStore, config: Partial<AppConfig> = {}) {
  const files = new Map([["app.py", new TextEncoder().encode(APP)]]);
  const runner = new AppRunner(
    { files, config: appConfig("ops", files, { mount: "/", timeoutMs: 2000, ...config }) },
    { runtime: await loadRuntimeNode(), store, graceMs: 200 },
  );
  const host = new AppHost({ dev: true });
  host.mount({ mount: "/", runner });
  const call = async (method: string, target: string, body: string | null) => {
    const res = (await host.request({ url: new URL(target, "http://localhost"), method, headers: [], body: body === null ? null : new TextEncoder().encode(body) }))!;
    const text = res.body ? await new Response(res.body).text() : "";
    await res.done;
    return { status: res.status, text };
  };
  return {
    runner,
    /** Runs `ops`; the errno of each that failed (null when it worked), or the status of a failed request. */
    async run(ops: (DataOp | ["exec", string] | ["sleep", number])[], fail = false): Promise<{ status: number; errnos?: (number | null)[]; text: string }> {
      const { status, text } = await call("POST", "/ops", JSON.stringify({ ops, fail }));
      return status === 200 ? { status, errnos: JSON.parse(text) as (number | null)[], text } : { status, text };
    },
    async dump(): Promise<Listing> {
      const { status, text } = await call("GET", "/dump", null);
      if (status !== 200) throw new Error(`dump failed: ${status} ${text}`);
      return JSON.parse(text) as Listing;
    },
  };
}

/**
 * Error numbers as apps see them: emscripten's today, POSIX once the runtime maps them
 * (DESIGN.md: "OSError.errno uses the numbering of the errno module").
 */
export const ERRNO = {
  EACCES: [2, 13],
  EBUSY: [10, 16],
  ENAMETOOLONG: [37, 36],
  ENOSPC: [51, 28],
} as const;
