// src/runner/gcLayout.ts BREAK: where the built wasm's sbrk keeps the allocator's break. Images
// scan memory only up to it, so a wrong address would leave written memory out of them.
import { readFileSync } from "node:fs";
import binaryen from "binaryen";
import { expect, test } from "vitest";
import { BREAK } from "../../../src/runner/gcLayout.ts";

test("BREAK is the address sbrk (the caller of emscripten_resize_heap) loads and stores, and sbrk cannot shrink", { timeout: 60_000 }, () => {
  const module = binaryen.readBinary(readFileSync(new URL("../../../build/runtime/micropython.wasm", import.meta.url)));
  module.setFeatures(binaryen.Features.All);
  const text = module.emitText();
  module.dispose();
  const resize = /\(import "env" "emscripten_resize_heap" \(func (\$\S+)/.exec(text)?.[1];
  expect(resize).toBeDefined();
  const callers = text.split(/\n \(func /).filter((body) => body.includes(`(call ${resize}\n`));
  expect(callers).toHaveLength(1);
  const sbrk = callers[0];
  expect(sbrk).toContain(`(i32.load offset=${BREAK}\n`);
  expect(sbrk).toContain(`(i32.store offset=${BREAK}\n`);
  // The increment is widened unsigned to 64 bits and the new break must fit in 32: a negative
  // increment fails, so memory above the break has never been handed out.
  expect(sbrk).toMatch(/\(i64\.extend_i32_u\s+\(local\.get \$0\)/);
  expect(sbrk).toContain("(i64.const 4294967295)");
});
