// node bench/dataCost/run.mjs: bundles probe.ts (TypeScript, and the Python it imports) with
// the CLI's Vite config into build/bench, then runs it. Prints JSON.
import { build } from "vite";

await build({
  configFile: new URL("../../vite.cli.config.ts", import.meta.url).pathname,
  build: {
    ssr: new URL("probe.ts", import.meta.url).pathname,
    outDir: new URL("../../build/bench/", import.meta.url).pathname,
    emptyOutDir: true,
    rollupOptions: { output: { entryFileNames: "dataCost.mjs" } },
  },
  logLevel: "warn",
});
const { main } = await import(new URL("../../build/bench/dataCost.mjs", import.meta.url).href);
await main();
