// `--storage-mb` and `storageMb` as a user meets them: the real binary (rebuilt by
// tests/unit/globalSetup.ts), an app that fills /tmp and reports the OSError it gets.
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { ERRNO } from "./dataOpsApp.ts";

const BIN = fileURLToPath(new URL("../../../bin/swasgi.js", import.meta.url));

const FILLER = `
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    written = 0
    try:
        with open("/tmp/big", "wb") as f:
            chunk = b"x" * (1 << 20)
            for i in range(100):
                f.write(chunk)
                written += 1
        message = "no cap"
    except OSError as e:
        message = "errno %d after %d MB" % (e.errno, written)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": message.encode()})
`;

function swasgi(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function appDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "swasgi-storage-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const errnoAfter = (body: string, mb: number) => {
  const match = new RegExp(`errno (\\d+) after ${mb} MB$`).exec(body);
  return match ? Number(match[1]) : undefined;
};

test("--storage-mb caps /tmp and /data: past it the app gets OSError ENOSPC", async () => {
  const dir = await appDir({ "app.py": FILLER });
  const run = await swasgi(["request", dir, "/", "--storage-mb", "3"]);
  expect(run.code).toBe(0);
  expect(ERRNO.ENOSPC).toContain(errnoAfter(run.stdout, 3));
});

test("storageMb in swasgi.json does the same, and a bad value is an error naming the key", async () => {
  const dir = await appDir({ "app.py": FILLER, "swasgi.json": '{"storageMb": 2}' });
  expect(ERRNO.ENOSPC).toContain(errnoAfter((await swasgi(["request", dir, "/"])).stdout, 2));
  const bad = await appDir({ "app.py": FILLER, "swasgi.json": '{"storageMb": 0}' });
  const run = await swasgi(["request", bad, "/"]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('"storageMb" must be a number from 1 to 4096, got 0');
  const flag = await swasgi(["request", dir, "/", "--storage-mb", "lots"]);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain('--storage-mb expects a positive whole number, got "lots"');
});
