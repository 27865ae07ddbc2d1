// CDK synthesis time (the real `npm run synth`: local esbuild bundling + cdk-nag) and the total size of the
// Lambda assets it produces.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "./types";

const root = join(import.meta.dirname, "..", "..");

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

export async function runSynthBench(): Promise<BenchResult[]> {
  const out = mkdtempSync(join(tmpdir(), "patron-cdk-out-"));
  try {
    const started = performance.now();
    const synth = spawnSync("npx", ["cdk", "synth", "--quiet", "--output", out], {
      cwd: root,
      encoding: "utf8",
    });
    const seconds = (performance.now() - started) / 1000;
    if (synth.status !== 0) throw new Error(`cdk synth failed:\n${synth.stderr || synth.stdout}`);
    const manifest = readdirSync(out).find((name) => name.endsWith(".assets.json"));
    if (!manifest) throw new Error(`no asset manifest in ${out}`);
    const files = JSON.parse(readFileSync(join(out, manifest), "utf8")).files as Record<
      string,
      { source: { path: string; packaging?: string } }
    >;
    const zips = Object.values(files).filter((asset) => asset.source.packaging === "zip");
    const bytes = zips.reduce((sum, asset) => sum + sizeOf(join(out, asset.source.path)), 0);
    return [
      {
        name: "`npm run synth` (esbuild bundling of every function + cdk-nag), wall time",
        value: Number(seconds.toFixed(1)),
        unit: "s",
      },
      {
        name: `Lambda assets: ${zips.length} functions, total size before zipping`,
        value: Math.round(bytes / 1024),
        unit: "KiB",
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
