import type { ScopeInit } from "../runner/protocol.ts";

export interface ScopeSource {
  url: URL;
  method: string;
  /** In arrival order, repeats kept; names in any case. */
  headers: Iterable<[string, string]>;
  /** The app's mount ("/app/"), or "/" for an app served at the root (the CLI). */
  mount: string;
  /** The browser is both ends: without a socket, the client is the loopback. */
  client?: [string, number];
}

/**
 * Builds the HTTP scope as uvicorn would: `path` and `raw_path` below the mount, `root_path`
 * the mount without its trailing slash (as WSGI's PATH_INFO and SCRIPT_NAME).
 * @example buildScope({ url: new URL("http://h/app/a%20b?x=1"), method: "GET", headers: [], mount: "/app/" })
 *   // → { path: "/a b", raw_path: "/a%20b", root_path: "/app", query_string: "x=1", ... }
 */
export function buildScope({ url, method, headers, mount, client }: ScopeSource): ScopeInit {
  const rootPath = mount.replace(/\/$/, "");
  const pathname = url.pathname;
  const below = pathname.startsWith(mount) ? pathname.slice(rootPath.length) : pathname === rootPath ? "/" : pathname;
  const scheme = url.protocol.replace(/:$/, "");
  const port = url.port ? Number(url.port) : scheme === "https" ? 443 : 80;
  return {
    type: "http",
    http_version: "1.1",
    method: method.toUpperCase(),
    scheme,
    path: percentDecode(below),
    raw_path: below,
    query_string: url.search.replace(/^\?/, ""),
    root_path: rootPath,
    headers: [...headers].map(([name, value]) => [name.toLowerCase(), value]),
    client: client ?? ["127.0.0.1", 0],
    // URL keeps the brackets of an IPv6 host ("[::1]"); ASGI servers give the bare address.
    server: [url.hostname.replace(/^\[(.*)\]$/, "$1"), port],
  };
}

/** Percent-decodes as UTF-8, keeping malformed escapes as they are (never throws). */
export function percentDecode(text: string): string {
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...new TextEncoder().encode(text[i]));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
