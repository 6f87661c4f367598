import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { pythonSource } from "./src/python/pythonSourcePlugin.ts";

export default defineConfig({
  plugins: [pythonSource()],
  // As in the Service Worker build (vite.config.ts): tough-cookie without the Public Suffix List.
  resolve: { alias: { tldts: fileURLToPath(new URL("src/host/tldtsLite.ts", import.meta.url)) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Rebuilds build/cli/main.mjs when src/ changed: the CLI tests run the real binary.
    globalSetup: ["tests/unit/globalSetup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        // Real Chromium against the dev server and the built site (npm run build:site first;
        // `npm test` does it in pretest). One file at a time, and only after the unit project
        // (groupOrder): each file launches a browser, several tests measure time, and the
        // machines have two cores.
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.e2e.test.ts"],
          // Rebuilds build/site (and build/cli) when src/ changed.
          globalSetup: ["tests/unit/globalSetup.ts", "tests/e2e/globalSetup.ts"],
          testTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
