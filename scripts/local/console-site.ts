import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { consoleContentSecurityPolicy } from "../../infra/console-content-security-policy";

// The marketer console on the local API's origin, as CloudFront serves it in AWS:
//   GET  /console/*            the built single-page app (any unknown path answers index.html: client routes)
//   GET  /console/config.json  where the API is ("" = this origin) and how to sign in (the local token path)
// The console's local sign-in, POST /_local/token, is answered by the platform (local-routes.ts) with or
// without the console.
// Responses carry the security headers the deployed distribution sets (infra/console-hosting.ts).

export const CONSOLE_ROOT = resolve(import.meta.dirname, "..", "..", "console");
export const CONSOLE_DIST = join(CONSOLE_ROOT, "dist");

/** Builds the console once with Vite (production build, as deployed) into console/dist. */
export async function buildConsole(options: { outDir?: string } = {}): Promise<string> {
  const { build } = await import("vite");
  const outDir = options.outDir ?? CONSOLE_DIST;
  await build({
    configFile: join(CONSOLE_ROOT, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir },
  });
  return outDir;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

const SECURITY_HEADERS = {
  "content-security-policy": consoleContentSecurityPolicy(),
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

function send(res: ServerResponse, status: number, body: Buffer | string, type: string): true {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    "cache-control": type.startsWith("text/html") ? "no-cache" : "public, max-age=3600",
  });
  res.end(body);
  return true;
}

/** Answers the console's paths and the local sign-in; false lets the request through to the API. */
export function createConsoleRoutes(options: { distDir: string }) {
  const distDir = resolve(options.distDir);
  const indexPath = join(distDir, "index.html");
  if (!existsSync(indexPath)) throw new Error(`no console build at ${distDir}: run npm run console:build`);
  const config = JSON.stringify({ apiUrl: "", auth: { mode: "local", tokenUrl: "/_local/token" } });
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://local");
    const method = req.method ?? "GET";
    if (url.pathname === "/console") {
      res.writeHead(308, { location: "/console/" }).end();
      return true;
    }
    if (!url.pathname.startsWith("/console/")) return false;
    req.resume();
    if (method !== "GET" && method !== "HEAD") return send(res, 405, "Method Not Allowed", "text/plain");
    if (url.pathname === "/console/config.json") return send(res, 200, config, "application/json");
    const file = normalize(join(distDir, decodeURIComponent(url.pathname.slice("/console/".length))));
    // A path without an extension is a client-side route: the app's index.html. Files come from dist/ only.
    if (extname(file) === "") return send(res, 200, await readFile(indexPath), "text/html; charset=utf-8");
    if (!file.startsWith(`${distDir}/`) || !existsSync(file))
      return send(res, 404, "Not Found", "text/plain");
    return send(res, 200, await readFile(file), TYPES[extname(file)] ?? "application/octet-stream");
  };
}
