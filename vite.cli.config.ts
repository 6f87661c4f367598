import { defineConfig } from "vite";
import { pythonSource } from "./src/python/pythonSourcePlugin.ts";

// The Node CLI: one ESM bundle in build/cli with the Python bridge and the runtime glue inlined;
// npm packages stay external (they are installed beside it).
export default defineConfig({
  plugins: [pythonSource()],
  build: {
    ssr: "src/cli/main.ts",
    outDir: "build/cli",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    rollupOptions: { output: { entryFileNames: "main.mjs" } },
  },
  logLevel: "warn",
});
