import { cac } from "cac";
import { buildCommand } from "./buildCommand.ts";
import { devCommand } from "./devCommand.ts";
import { requestCommand } from "./requestCommand.ts";
import { AppLoadError, rawFlagValues, UsageError } from "./usage.ts";

/**
 * The `swasgi` command line: thin adapters around the same host and runner the Service
 * Worker uses. Exit codes: 0 done, 1 the app could not be loaded, 2 bad usage.
 */
export async function main(argv: string[]): Promise<number> {
  const cli = cac("swasgi");
  let run: (() => Promise<number>) | undefined;

  cli
    .command("request <appDir> <path>", "Run one request through the sandboxed app; raw HTTP/1.1 response on stdout")
    .option("-X, --request <method>", "HTTP method (default GET, or POST with a body)")
    .option("-H, --header <header>", 'Request header "Name: value" (repeatable)')
    .option("-d, --data <data>", "Request body")
    .option("--data-file <file>", "Request body from a file")
    .option("--timeout-ms <n>", "CPU time limit per run (default 5000, or swasgi.json)")
    .option("--memory-mb <n>", "Memory cap (default 64, or swasgi.json)")
    .option("--storage-mb <n>", "Cap on /tmp + /data file bytes (default 64, or swasgi.json)")
    .option("--data-dir <dir>", "Persist the app's /data in this folder")
    .example('swasgi request ./myapp /notes -X POST -d "title=hi"')
    .action((appDir: string, path: string, flags) => {
      // Bodies, headers and paths as typed: cac would make "-d 007" the number 7.
      const raw = rawFlagValues(argv, {
        "-X": "request", "--request": "request", "-H": "header", "--header": "header", "-d": "data", "--data": "data",
        "--data-file": "dataFile", "--data-dir": "dataDir",
      });
      run = () => requestCommand(appDir, path, { ...flags, ...raw }, process.stdout, process.stderr);
    });

  cli
    .command("dev [...appDirs]", "Serve the host page, the Service Worker and the apps (APP_DIR or APP_DIR=/mount/); reload on change")
    .option("--port <n>", "Port (default 5173)")
    .option("--host <host>", "Interface to listen on (default 127.0.0.1)")
    .example("swasgi dev ./notes ./blog=/blog/")
    .action((appDirs: string[], flags) => {
      run = () => devCommand(appDirs, flags, process.stdout, process.stderr);
    });

  cli
    .command("build [...appDirs]", "Write a static site with the apps (APP_DIR or APP_DIR=/mount/): host page, Service Worker, runtime, one bundle per app")
    .option("--out <dir>", "Folder to write (default dist)")
    .option("--base <path>", "URL path the site is served under (default /), e.g. /myrepo/ for GitHub Pages")
    .example("swasgi build ./notes --base /myrepo/ --out dist")
    .action((appDirs: string[], flags) => {
      // Paths as typed: cac would make "--out 2024" the number 2024.
      const raw = rawFlagValues(argv, { "--out": "out", "--base": "base" });
      run = () => buildCommand(appDirs, { ...flags, ...raw }, process.stdout);
    });

  cli.help();
  cli.version("0.1.0");
  try {
    cli.parse(["node", "swasgi", ...argv], { run: false });
    if (cli.options.help || cli.options.version) {
      await cli.runMatchedCommand();
      return 0;
    }
    if (!cli.matchedCommand) {
      throw new UsageError(argv.length ? `unknown command "${argv[0]}" (see swasgi --help)` : "no command given (see swasgi --help)");
    }
    await cli.runMatchedCommand();
    return run ? await run() : 0;
  } catch (error) {
    if (error instanceof UsageError || (error as Error).name === "CACError") {
      process.stderr.write(`swasgi: ${(error as Error).message}\n`);
      return 2;
    }
    if (error instanceof AppLoadError) {
      process.stderr.write(`swasgi: ${error.message}\n${error.detail ? `${error.detail.trimEnd()}\n` : ""}`);
      return 1;
    }
    throw error;
  }
}
