// sqlite3 through the real runner: the app's database lives in /data, is saved with the
// request (all or nothing), is refused outside /data and /tmp, and SQL counts against the time limit.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { AppHost } from "../../../src/host/appHost.ts";
import { AppRunner, type LogEntry } from "../../../src/runner/appRunner.ts";
import { appConfig } from "../../../src/runner/appConfig.ts";
import { loadRuntimeNode } from "../../../src/runner/loadRuntimeNode.ts";
import { loadSqliteEngineNode } from "../../../src/runner/sqliteEngineNode.ts";
import { DirectoryStore } from "../../../src/store/directoryStore.ts";
import type { DataChanges } from "../../../src/store/protocol.ts";

// A key-value app on sqlite3. /set?k=K&v=V commits; /setcrash commits then raises; /opencrash
// writes in an open transaction then raises; /get lists every pair; /cte runs forever in SQL;
// /attach tries to reach the app's own (read-only) source file.
const APP = `
import json
import sqlite3

db = sqlite3.connect("/data/app.db")
db.execute("create table if not exists kv(k text primary key, v)")
db.commit()

def qs(scope):
    return dict(p.split("=") for p in scope["query_string"].decode().split("&") if "=" in p)

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    q = qs(scope)
    body = "ok"
    if path in ("/set", "/setcrash", "/opencrash"):
        db.execute("insert or replace into kv values (?, ?)", (q["k"], q["v"]))
        if path != "/opencrash":
            db.commit()
        if path != "/set":
            raise ValueError("after writing")
    elif path == "/get":
        body = json.dumps(db.execute("select k, v from kv order by k").fetchall())
    elif path == "/cte":
        db.execute("with recursive c(i) as (select 1 union all select i + 1 from c) select count(*) from c").fetchone()
    elif path == "/attach":
        try:
            db.execute("attach '/app/app.py' as other")
        except sqlite3.Error as e:
            body = type(e).__name__ + ": " + str(e)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body.encode()})
`;

/** The store's commits, as the paths each one wrote. */
class CountingStore extends DirectoryStore {
  commits: string[][] = [];
  override commit(changes: DataChanges): Promise<void> {
    this.commits.push(changes.ops.map((op) => op.path));
    return super.commit(changes);
  }
}

async function serve(dataDir: string, options: { source?: string; name?: string } = {}) {
  const files = new Map([["app.py", new TextEncoder().encode(options.source ?? APP)]]);
  const logs: LogEntry[] = [];
  const store = new CountingStore(dataDir);
  const runner = new AppRunner(
    { files, config: appConfig(options.name ?? "kv", files, { mount: "/", timeoutMs: 400 }) },
    { runtime: await loadRuntimeNode(), store, graceMs: 100, sqlite: loadSqliteEngineNode, onLog: (entry) => logs.push(entry) },
  );
  const host = new AppHost({ dev: true });
  host.mount({ mount: "/", runner });
  const get = async (target: string) => {
    const res = (await host.request({ url: new URL(target, "http://localhost"), method: "GET", headers: [], body: null }))!;
    const body = res.body ? await new Response(res.body).text() : "";
    await res.done;
    return { status: res.status, body };
  };
  return { runner, get, logs, store };
}

const dataDir = () => mkdtemp(path.join(tmpdir(), "swasgi-sqlite-"));

test("a committed row is saved with the request and read by a new runner", async () => {
  const dir = await dataDir();
  const first = await serve(dir);
  expect(await first.get("/set?k=a&v=1")).toEqual({ status: 200, body: "ok" });
  await first.runner.close();
  const second = await serve(dir);
  expect(await second.get("/get")).toEqual({ status: 200, body: '[["a", "1"]]' });
  // Only the database: its journal was deleted at the commit.
  expect(await readdir(dir)).toEqual(["app.db"]);
});

test("a read-only request saves nothing; a write saves the database file alone", async () => {
  const { get, store } = await serve(await dataDir());
  await get("/get");
  store.commits.length = 0; // (the boot saved the table the app created at import)
  await get("/get");
  await get("/get");
  expect(store.commits).toEqual([]);
  await get("/set?k=a&v=1");
  expect(store.commits).toEqual([["app.db"]]);
});

test("a request that commits and then fails leaves the database as before it, for the same connection too", async () => {
  const dir = await dataDir();
  const { runner, get } = await serve(dir);
  await get("/set?k=a&v=before");
  expect((await get("/setcrash?k=a&v=after")).status).toBe(500);
  // The connection's page cache held "after": SQLite must see the restored file.
  expect(await get("/get")).toEqual({ status: 200, body: '[["a", "before"]]' });
  expect(await get("/set?k=b&v=2")).toEqual({ status: 200, body: "ok" });
  await runner.close();
  expect((await (await serve(dir)).get("/get")).body).toBe('[["a", "before"], ["b", "2"]]');
});

test("what the app wrote at import is saved at boot: a failing first request keeps its table", async () => {
  const dir = await dataDir();
  const { get, store } = await serve(dir);
  expect((await get("/setcrash?k=a&v=lost")).status).toBe(500);
  expect(await get("/get")).toEqual({ status: 200, body: "[]" });
  expect(store.commits[0]).toEqual(["app.db"]);
});

test("a request that fails inside an open transaction leaves no transaction behind", async () => {
  const dir = await dataDir();
  const { get } = await serve(dir);
  expect((await get("/opencrash?k=x&v=lost")).status).toBe(500);
  expect(await get("/set?k=y&v=kept")).toEqual({ status: 200, body: "ok" });
  expect(await get("/get")).toEqual({ status: 200, body: '[["y", "kept"]]' });
});

test("a runaway recursive CTE ends in a 504 at the time limit, and the app answers afterwards", async () => {
  const dir = await dataDir();
  const { get } = await serve(dir);
  await get("/set?k=a&v=1");
  expect((await get("/cte")).status).toBe(504);
  expect(await get("/get")).toEqual({ status: 200, body: '[["a", "1"]]' });
});

test("ATTACH of a file outside /data and /tmp is refused", async () => {
  const { get } = await serve(await dataDir());
  expect(await get("/attach")).toEqual({ status: 200, body: "DatabaseError: not authorized" });
});

test("two apps' databases are invisible to each other, even at the same path", async () => {
  const writer = `
import sqlite3
db = sqlite3.connect("/tmp/shared.db")
db.execute("create table secret(x)")
db.execute("insert into secret values ('a')")
db.commit()
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"written"})
`;
  const reader = `
import sqlite3
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    db = sqlite3.connect("/tmp/shared.db")
    tables = db.execute("select name from sqlite_master").fetchall()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": repr(tables).encode()})
`;
  const a = await serve(await dataDir(), { source: writer, name: "a" });
  const b = await serve(await dataDir(), { source: reader, name: "b" });
  expect((await a.get("/")).body).toBe("written");
  expect((await b.get("/")).body).toBe("[]");
});

test("an app that imports sqlite3 where the scan cannot see it gets an ImportError saying why", async () => {
  const hidden = `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    try:
        __import__("sqlite" + "3")
        body = "imported"
    except ImportError as e:
        body = str(e)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body.encode()})
`;
  const { get } = await serve(await dataDir(), { source: hidden });
  const { body } = await get("/");
  expect(body).toMatch(/^sqlite3 is not available: swasgi loads the SQLite engine only for apps that import sqlite3/);
});

test("`swasgi request --data-dir` leaves a real SQLite file that CPython's sqlite3 opens", async () => {
  const dir = await dataDir();
  const appDir = await mkdtemp(path.join(tmpdir(), "swasgi-sqlite-app-"));
  execFileSync("sh", ["-c", `cat > ${appDir}/app.py`], { input: APP });
  const bin = path.resolve("bin/swasgi.js");
  const out = execFileSync(process.execPath, [bin, "request", appDir, "/set?k=big&v=9223372036854775807", "--data-dir", dir]).toString();
  expect(out).toMatch(/^HTTP\/1.1 200 OK/);
  const read = execFileSync("python3", ["-c", `import sqlite3; print(sqlite3.connect(${JSON.stringify(`${dir}/app.db`)}).execute("select k, v from kv").fetchall())`]).toString();
  expect(read).toBe("[('big', '9223372036854775807')]\n");
  // And the sqlite3 command-line tool, where it is installed.
  const tool = spawnSync("sqlite3", [`${dir}/app.db`, "pragma integrity_check; select k, v from kv;"]);
  if (!tool.error) expect(tool.stdout.toString()).toBe("ok\nbig|9223372036854775807\n");
});

test("two clients writing at once (two tabs share the worker's interpreter): every row is saved", async () => {
  const source = `
import asyncio
import sqlite3

db = sqlite3.connect("/data/app.db")
db.execute("create table if not exists hits(who text, n integer)")
db.commit()

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/count":
        body = str(db.execute("select count(*) from hits").fetchone()[0])
    else:
        who = scope["query_string"].decode()
        for n in range(5):
            with db:
                db.execute("insert into hits values (?, ?)", (who, n))
            await asyncio.sleep(0.01)  # the other client's request runs here
        body = "ok"
    await send({"type": "http.response.start", "status": 200})
    await send({"type": "http.response.body", "body": body.encode()})
`;
  const dir = await dataDir();
  const first = await serve(dir, { source, name: "hits" });
  const answers = await Promise.all(["left", "right", "left", "right"].map((who) => first.get(`/write?${who}`)));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  await first.runner.close();
  const second = await serve(dir, { source, name: "hits" });
  expect(await second.get("/count")).toEqual({ status: 200, body: "20" });
});
