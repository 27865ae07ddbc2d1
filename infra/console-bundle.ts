import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { AssetHashType, DockerImage, FileSystem } from "aws-cdk-lib";
import { Asset } from "aws-cdk-lib/aws-s3-assets";
import type { Construct } from "constructs";
import { repoRoot } from "./patron-function";

export const CONSOLE_ROOT = join(repoRoot, "console");

/**
 * What a console build reads: console/ itself (sources, index.html, vite.config.ts), the domain modules it
 * imports (the program schema) and the lock file (Vite, React and the other packages it bundles).
 */
const BUILD_INPUTS = [CONSOLE_ROOT, join(repoRoot, "domain"), join(repoRoot, "package-lock.json")];
// Vite writes its config, bundled, beside it as `vite.config.ts.timestamp-<n>-<hash>.mjs` while a build runs.
const NOT_INPUTS = ["dist", "node_modules", "*.timestamp-*"];

export const VITE_BIN = join(repoRoot, "node_modules", "vite", "bin", "vite.js");

/** Builds done once per source hash, shared by every synth on this machine (each test file is its own process). */
export const CONSOLE_BUILD_CACHE = join(repoRoot, "node_modules", ".cache", "patron-console");

/** Changes exactly when the console's build inputs change; its own dist/ is not one. */
export function consoleSourceHash(): string {
  const hash = createHash("sha256");
  for (const input of BUILD_INPUTS) hash.update(FileSystem.fingerprint(input, { exclude: NOT_INPUTS }));
  return hash.digest("hex");
}

/** The Vite production build of console/ for `hash`, built once and then copied from the cache. */
export function buildConsoleInto(outputDir: string, hash: string = consoleSourceHash()): void {
  const cached = join(CONSOLE_BUILD_CACHE, hash);
  if (!existsSync(join(cached, "index.html"))) {
    mkdirSync(CONSOLE_BUILD_CACHE, { recursive: true });
    const building = `${cached}.building-${process.pid}`;
    const config = join(CONSOLE_ROOT, "vite.config.ts");
    const args = [
      VITE_BIN,
      "build",
      "--config",
      config,
      "--outDir",
      building,
      "--emptyOutDir",
      "--logLevel",
      "warn",
    ];
    // A test runner's NODE_ENV=test would give React's development build.
    const env = { ...process.env, NODE_ENV: "production" };
    const result = spawnSync(process.execPath, args, { cwd: repoRoot, env, encoding: "utf8" });
    if (result.status !== 0) {
      rmSync(building, { recursive: true, force: true });
      throw new Error(
        `console build failed (vite build):\n${result.error ?? ""}${result.stdout}${result.stderr}`,
      );
    }
    try {
      renameSync(building, cached);
    } catch {
      // Another synth finished the same build first; its copy is identical.
      rmSync(building, { recursive: true, force: true });
    }
    pruneBuildCache();
  }
  cpSync(cached, outputDir, { recursive: true });
}

/**
 * Keeps the newest few builds: old sources are rarely built again, and a concurrent synth of other sources (files
 * saved mid-run) still finds its own.
 */
function pruneBuildCache(keep = 4): void {
  const builds = readdirSync(CONSOLE_BUILD_CACHE)
    .filter((entry) => !entry.includes(".building-"))
    .map((entry) => ({
      path: join(CONSOLE_BUILD_CACHE, entry),
      at: statSync(join(CONSOLE_BUILD_CACHE, entry), { throwIfNoEntry: false })?.mtimeMs ?? 0,
    }))
    .sort((a, b) => b.at - a.at);
  for (const build of builds.slice(keep)) rmSync(build.path, { recursive: true, force: true });
}

/**
 * The built console as an asset: bundled at synth by the local Vite (never Docker: the image is a placeholder
 * CDK requires and never runs), staged under the hash of its inputs, so an unchanged console is neither rebuilt
 * nor uploaded again.
 */
export function consoleBuildAsset(scope: Construct, id: string): Asset {
  const hash = consoleSourceHash();
  return new Asset(scope, id, {
    path: CONSOLE_ROOT,
    assetHashType: AssetHashType.CUSTOM,
    assetHash: hash,
    exclude: NOT_INPUTS,
    bundling: {
      image: DockerImage.fromRegistry("patron/console-build-runs-locally"),
      local: {
        tryBundle(outputDir) {
          buildConsoleInto(outputDir, hash);
          return true;
        },
      },
    },
  });
}
