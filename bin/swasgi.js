#!/usr/bin/env node
// The built CLI lives in build/cli (made by `npm install` / `npm run build:cli`).
import { existsSync } from "node:fs";

const entry = new URL("../build/cli/main.mjs", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("swasgi: the CLI is not built yet. Run `npm install` (or `npm run build:cli`) in the swasgi folder.\n");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
