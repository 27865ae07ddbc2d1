import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `npm run console:dev`: Vite serves the console with hot reload and forwards to the running platform what the
// platform answers — the API, the local sign-in, and /console/config.json (without which the app cannot start).

let api: Server;
let vite: ViteDevServer;
let base: string;

beforeAll(async () => {
  api = createHttpServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ servedByPlatform: req.url }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  process.env.PATRON_API_URL = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  vite = await createServer({
    configFile: join(import.meta.dirname, "..", "..", "..", "console", "vite.config.ts"),
    logLevel: "silent",
    server: { port: 0, host: "127.0.0.1" },
  });
  await vite.listen();
  base = vite.resolvedUrls?.local[0]?.replace(/\/console\/$/, "") ?? "";
});

afterAll(async () => {
  await vite?.close();
  api?.close();
  delete process.env.PATRON_API_URL;
});

describe("console dev server", () => {
  it("asks the platform for config.json, the API and the local sign-in", async () => {
    for (const path of ["/console/config.json", "/program", "/_local/token"])
      expect(await (await fetch(`${base}${path}`)).json()).toEqual({ servedByPlatform: path });
  });

  it("serves the app itself for the console's own routes", async () => {
    const page = await fetch(`${base}/console/members`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('<div id="root"></div>');
  });
});
