import { parseAppSpec } from "./devApps.ts";
import { startDevServer } from "./devServer.ts";
import { parsePositiveInt, UsageError } from "./usage.ts";

export interface DevFlags {
  port?: string | number;
  host?: string;
}

/**
 * `swasgi dev APP_DIR[=MOUNT]...`: serves the host page, the Service Worker and the apps until
 * interrupted; prints the URL. Resolves with the exit code once the server has stopped.
 */
export async function devCommand(appDirs: string[], flags: DevFlags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  if (!appDirs.length) throw new UsageError("give at least one app folder: swasgi dev APP_DIR[=/mount/]...");
  // --port 0 asks the system for a free port (scripts, tests).
  const port = flags.port === undefined ? 5173 : Number(flags.port) === 0 ? 0 : parsePositiveInt("--port", flags.port);
  const server = await startDevServer({
    apps: appDirs.map(parseAppSpec),
    port,
    host: flags.host ?? "127.0.0.1",
    log: (line) => stderr.write(`${line}\n`),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") throw new UsageError(`port ${port} is in use: pick another with --port N`);
    throw error;
  });
  stdout.write(`swasgi dev: ${server.url}\n`);
  for (const app of server.manifest().apps) {
    stdout.write(`  ${app.name.padEnd(16)} ${new URL(app.config.mount.slice(1), server.url).href}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void server.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}
