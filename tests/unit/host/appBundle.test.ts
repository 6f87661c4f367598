import { zipSync } from "fflate";
import { expect, test } from "vitest";
import { packAppBundle, unpackAppBundle } from "../../../src/host/appBundle.ts";

const text = (s: string) => new TextEncoder().encode(s);

test("an app folder survives packing and unpacking byte for byte: text, binary, empty, nested, large", async () => {
  const random = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
  const files = new Map<string, Uint8Array>([
    ["app.py", text("async def app(scope, receive, send):\n    pass\n")],
    ["static/logo.bin", random],
    ["empty.txt", new Uint8Array(0)],
    ["pkg/sub/__init__.py", text("x = 1\n".repeat(10_000))],
  ]);
  const back = await unpackAppBundle(packAppBundle(files));
  expect([...back.keys()].sort()).toEqual([...files.keys()].sort());
  for (const [path, bytes] of files) expect(Buffer.from(back.get(path)!).equals(Buffer.from(bytes))).toBe(true);
});

test("entries that are folders or climb out of the app folder are dropped", async () => {
  const zip = zipSync({ "ok.py": text("1"), "dir/": new Uint8Array(0), "../evil.py": text("2"), "a//b.py": text("3") });
  expect([...(await unpackAppBundle(zip)).keys()]).toEqual(["ok.py"]);
});

test("bytes that are not a zip, a zip cut short, or one with a damaged entry are rejected", async () => {
  await expect(unpackAppBundle(text("not a zip at all, just some text"))).rejects.toThrow("not a zip archive");
  const zip = packAppBundle(new Map([["a.py", text("x = 1\n".repeat(1000))], ["b.py", text("y")]]));
  await expect(unpackAppBundle(zip.subarray(0, 60))).rejects.toThrow("not a zip archive");
  // The entries' middle gone, the directory and its end record kept.
  const damaged = new Uint8Array([...zip.subarray(0, 50), ...zip.subarray(zip.length - 120)]);
  await expect(unpackAppBundle(damaged)).rejects.toThrow(/damaged|cut short|deflate/);
});

test("a method other than stored or deflate is refused by name", async () => {
  const zip = zipSync({ "x.py": text("y = 2\n".repeat(100)) });
  // Central directory entry's method field (offset 10) set to 14 (LZMA).
  const at = zip.length - 22 - new DataView(zip.buffer).getUint32(zip.length - 22 + 12, true);
  new DataView(zip.buffer).setUint16(at + 10, 14, true);
  await expect(unpackAppBundle(zip)).rejects.toThrow("x.py: zip compression method 14 is not supported");
});

test("stored (uncompressed) entries are read as they are", async () => {
  const zip = zipSync({ "a.txt": text("hello") }, { level: 0 });
  expect(new TextDecoder().decode((await unpackAppBundle(zip)).get("a.txt"))).toBe("hello");
});
