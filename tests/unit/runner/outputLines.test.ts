// App output reaches the log as it is written, and a flood is cut with one clear line: never a
// memory error, in the host or in the interpreter.
import { expect, test } from "vitest";
import { OUTPUT_BYTES_PER_SECOND, OutputLines } from "../../../src/runner/outputLines.ts";
import { appFrom } from "../bridge/appFrom.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

test("lines go out as their newline arrives; a flood past the budget is cut with one note", () => {
  let clock = 0;
  const lines: [string, string][] = [];
  const out = new OutputLines((stream, text) => lines.push([stream, text]), () => clock);
  out.write("stdout", bytes("first "));
  expect(lines).toEqual([]);
  out.write("stdout", bytes("line\nsecond"));
  expect(lines).toEqual([["stdout", "first line"]]);
  // 300 KiB in one second: what fits goes out, then one note, then nothing.
  const row = "x".repeat(1023) + "\n";
  for (let i = 0; i < 300; i++) out.write("stdout", bytes(row));
  const notes = lines.filter(([, text]) => text.startsWith("[swasgi:"));
  expect(notes).toEqual([["stderr", "[swasgi: the app printed more than 256 KiB in one second; its output is dropped until the second is over]"]]);
  const kept = lines.filter(([, text]) => text.startsWith("x")).length;
  expect(kept * 1024).toBeLessThanOrEqual(OUTPUT_BYTES_PER_SECOND);
  expect(kept).toBeGreaterThan(200);
  // The partial line before the cut went out on its own, before the note.
  expect(lines[1]).toEqual(["stdout", "second" + row.slice(0, -1)]);
  // The next second prints again.
  clock = 1000;
  out.write("stdout", bytes("after\n"));
  expect(lines.at(-1)).toEqual(["stdout", "after"]);
});

test("a request that prints 15,000 fresh lines succeeds, its output in the log; a request's print before a timeout is logged too", async () => {
  const app = await appFrom(`
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/spin":
        print("before the spin")
        while True:
            pass
    for i in range(15000):
        print("row", i, "y" * (i % 7))
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"done"})
`, { timeoutMs: 5000 });
  const res = await app.fetch("/");
  expect(res.status).toBe(200);
  expect(res.text).toBe("done");
  const output = app.logs.filter((l) => l.kind === "output").map((l) => (l as { text: string }).text);
  expect(output.slice(0, 2)).toEqual(["row 0 ", "row 1 y"]);
  expect(output).toContain("row 14999 yyyyy");
  expect(output.filter((t) => t.startsWith("[swasgi:"))).toEqual([]);
  expect((await app.fetch("/spin")).status).toBe(504);
  expect(app.logs.some((l) => l.kind === "output" && (l as { text: string }).text === "before the spin")).toBe(true);
  await app.close();
});
