import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, RemovalPolicy, Stack } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PatronFunction } from "../../infra/patron-function";
import { cdkContext, SYNTH_TIMEOUT_MS } from "./synth-patron";

const entry = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "sdk-handler.ts");
let outdir: string;
let bundle: string;
let assetDir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "patron-bundling-"));
  const app = new App({ outdir, context: cdkContext });
  const stack = new Stack(app, "Bundling");
  new PatronFunction(stack, "Fn", {
    name: "sdk-handler",
    entry,
    description: "bundling test",
    logRetention: RetentionDays.ONE_DAY,
    logRemovalPolicy: RemovalPolicy.DESTROY,
  });
  app.synth();
  const assets = readdirSync(outdir).filter((name) => name.startsWith("asset."));
  expect(assets).toHaveLength(1);
  assetDir = join(outdir, assets[0] as string);
  bundle = readFileSync(join(assetDir, "index.mjs"), "utf8");
}, SYNTH_TIMEOUT_MS);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe("PatronFunction bundling (local esbuild, no Docker)", () => {
  it("emits an ES module that recreates require for CommonJS dependencies", () => {
    expect(bundle.startsWith("import { createRequire as __patronCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(bundle).toMatch(/export\s*\{[^}]*as handler\s*\}/);
  });

  it("bundles the AWS SDK client, tree-shaken: nothing is left for the runtime's unbundled copy", () => {
    expect(bundle).not.toMatch(/from\s*"@aws-sdk\//);
    expect(bundle).toContain("DynamoDB_20120810");
    // The client and its middleware, without the commands the handler never sends.
    expect(statSync(join(assetDir, "index.mjs")).size).toBeLessThan(400_000);
  });

  it("keeps the SDK's profile, SSO and STS credential providers out of the cold start: chunks loaded on demand", () => {
    // A Lambda's credentials are in its environment, so the provider chain never imports these.
    const chunks = readdirSync(join(assetDir, "chunks")).filter((name) => name.endsWith(".mjs"));
    const staticImports = [...bundle.matchAll(/from\s*"\.\/chunks\/([^"]+)"/g)].map((m) => m[1]);
    const lazy = chunks.filter((name) => !staticImports.includes(name));
    const lazyCode = lazy.map((name) => readFileSync(join(assetDir, "chunks", name), "utf8")).join("\n");
    expect(bundle).not.toContain("AssumeRoleWithWebIdentity");
    expect(lazyCode).toContain("AssumeRoleWithWebIdentity");
    expect(bundle).toMatch(/import\("\.\/chunks\//);
  });

  it("drops the parts of a barrel import the handler does not use (package.json sideEffects: false)", () => {
    // domain/index.ts also exports the example program (parsed at import) and the program schema.
    expect(bundle).not.toContain("maison-market-2025");
    expect(bundle).not.toContain("Patron loyalty program");
  });

  it("writes a linked source map without embedded sources", () => {
    expect(bundle).toContain("//# sourceMappingURL=index.mjs.map");
    const map = JSON.parse(readFileSync(join(assetDir, "index.mjs.map"), "utf8"));
    expect(map.sourcesContent).toBeUndefined();
  });
});

describe("the HTTP API's cold start", () => {
  it(
    "loads neither the marketer's route groups and ports, nor the program schema, nor the unsubscribe page's e-mail layout",
    async () => {
      const { build } = await import("esbuild");
      const { coldStartOutputs, patronEsbuildOptions } = await import("../../infra/function-bundle");
      const outdir = mkdtempSync(join(tmpdir(), "patron-http-api-"));
      try {
        const entry = join(
          dirname(fileURLToPath(import.meta.url)),
          "..",
          "..",
          "functions",
          "handlers",
          "http-api.ts",
        );
        const { metafile } = await build({
          ...patronEsbuildOptions({ entry, outdir }),
          metafile: true,
          logLevel: "silent",
        });
        const outputs = metafile.outputs;
        const loaded = coldStartOutputs(metafile).flatMap((path) => Object.keys(outputs[path]?.inputs ?? {}));
        const bundled = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
        for (const onDemand of [
          "program-routes.ts",
          "program-schema.ts",
          "adjustment-store.ts",
          "member-privacy.ts",
          "email-layout.json",
        ]) {
          expect(bundled.some((input) => input.endsWith(onDemand))).toBe(true);
          expect(loaded.filter((input) => input.endsWith(onDemand))).toEqual([]);
        }
        expect(loaded.some((input) => input.endsWith("member-routes.ts"))).toBe(true);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    },
    SYNTH_TIMEOUT_MS,
  );
});
