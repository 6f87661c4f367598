import { readFileSync, writeFileSync } from "node:fs";
import { test } from "vitest";
import { startPython } from "./loadLib.ts";
test("probe", async () => {
  const s = await startPython({ compat: process.env.COMPAT !== "0" });
  const code = readFileSync("/tmp/pm2/probe.py", "utf8");
  let out: string;
  try { out = s.run(code); } catch (e) { out = String(e); }
  writeFileSync("/tmp/pm2/out.txt", out);
}, 60000);
