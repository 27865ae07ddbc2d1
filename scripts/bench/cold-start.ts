import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { build, type Metafile } from "esbuild";
import { coldStartOutputs, patronEsbuildOptions } from "../../infra/function-bundle";
import { patronEnvironment, repoRoot } from "../../infra/patron-function";
import { coldProcessCpuMs } from "./process-cpu";
import { median } from "./rounds";
import type { BenchResult } from "./types";

// Cold start as whole-process CPU: each Lambda's bundle, built with the construct's own esbuild options
// (infra/function-bundle.ts) and run with the construct's environment, against the floor — a handler that
// bundles @aws-sdk/client-dynamodb into one minified, tree-shaken file with the same options but no splitting,
// and builds its client at import (scripts/bench/fixtures/floor-handler.ts). A row shows the floor split too.
// Each round runs the floor and the function back to back, in alternating order, and takes their ratio, so a
// busy shared machine shifts both sides of a pair alike; the figure is the median ratio over the rounds.

const ROUNDS = 21;
const TARGET_RATIO = 1.25;
const BUNDLE_DIR = join(repoRoot, "node_modules", ".cache", "patron-bench-cold-start");
const FIXTURES = join(repoRoot, "scripts", "bench", "fixtures");
const FLOOR_ENTRY = join(FIXTURES, "floor-handler.ts");
/** Where the gap to the floor comes from: the floor plus one thing Patron's handlers load (no target). */
const ANATOMY = [
  { name: "floor + zod", entry: join(FIXTURES, "floor-with-zod.ts") },
  { name: "floor + Powertools logger and metrics", entry: join(FIXTURES, "floor-with-powertools.ts") },
  { name: "floor + Secrets Manager provider", entry: join(FIXTURES, "floor-with-secrets.ts") },
];

// What the stack passes the functions; handlers parse their configuration at import or on first call.
const LAMBDA_ENV = {
  AWS_REGION: "us-east-1",
  TABLE_NAME: "patron",
  EVENT_BUS_NAME: "patron",
  SIGNING_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:000000000000:secret:patron-signing-AbCdEf",
};

interface Bundle {
  readonly name: string;
  readonly file: string;
  /** index.mjs and every chunk it imports statically: what a cold start loads. */
  readonly eagerBytes: number;
  readonly eagerFiles: number;
  /** Every chunk in the asset, the ones loaded on demand included (source maps not counted). */
  readonly totalBytes: number;
  readonly mapBytes: number;
  readonly env: Readonly<Record<string, string>>;
}

/** What a cold start loads (files and bytes) and all the asset's JavaScript. */
function loadedCode(metafile: Metafile): { files: number; eager: number; total: number } {
  const outputs = metafile.outputs;
  const bytesOf = (paths: readonly string[]) => paths.reduce((sum, p) => sum + (outputs[p]?.bytes ?? 0), 0);
  const eager = coldStartOutputs(metafile);
  const code = Object.keys(outputs).filter((path) => path.endsWith(".mjs"));
  return { files: eager.length, eager: bytesOf(eager), total: bytesOf(code) };
}

async function bundleAs(
  name: string,
  entry: string,
  options: { split: boolean; env: Readonly<Record<string, string>> },
): Promise<Bundle> {
  const outdir = join(BUNDLE_DIR, name);
  const { metafile } = await build({
    ...patronEsbuildOptions({ entry, outdir }),
    splitting: options.split,
    metafile: true,
    logLevel: "silent",
  });
  const code = loadedCode(metafile);
  const maps = Object.entries(metafile.outputs).filter(([path]) => path.endsWith(".map"));
  return {
    name,
    file: join(outdir, "index.mjs"),
    eagerBytes: code.eager,
    eagerFiles: code.files,
    totalBytes: code.total,
    mapBytes: maps.reduce((sum, [, output]) => sum + output.bytes, 0),
    env: options.env,
  };
}

const cpuOf = (bundle: Bundle) => coldProcessCpuMs({ file: bundle.file, env: bundle.env, cwd: repoRoot });

interface PairedRuns {
  readonly cpuMs: number[];
  readonly floorMs: number[];
  readonly ratios: number[];
}

async function pairedRuns(floor: Bundle, subjects: readonly Bundle[]): Promise<Map<string, PairedRuns>> {
  const runs = new Map(subjects.map((s) => [s.name, { cpuMs: [], floorMs: [], ratios: [] } as PairedRuns]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const subject of subjects) {
      const floorFirst = round % 2 === 0;
      const first = await cpuOf(floorFirst ? floor : subject);
      const second = await cpuOf(floorFirst ? subject : floor);
      const [floorMs, cpuMs] = floorFirst ? [first, second] : [second, first];
      const run = runs.get(subject.name) as PairedRuns;
      run.cpuMs.push(cpuMs);
      run.floorMs.push(floorMs);
      run.ratios.push(cpuMs / floorMs);
    }
  }
  return runs;
}

const kib = (bytes: number) => Number((bytes / 1024).toFixed(1));
const fixed = (value: number, digits: number) => Number(value.toFixed(digits));

function figures(bundle: Bundle, floor: Bundle, run: PairedRuns, target?: number): BenchResult[] {
  const ratio = median(run.ratios);
  const spread = `${Math.min(...run.ratios).toFixed(2)}–${Math.max(...run.ratios).toFixed(2)}`;
  return [
    {
      name: `${bundle.name}: cold-start CPU`,
      value: fixed(median(run.cpuMs), 1),
      unit: "ms",
      ...(target !== undefined && { target: `≤ ${target}× floor`, meetsTarget: ratio <= target }),
      baseline: { name: `${floor.name}, same pairs`, value: fixed(median(run.floorMs), 1), unit: "ms" },
      ratio: fixed(ratio, 2),
      note:
        `user+sys CPU (getrusage, all threads) of a fresh node ${process.version} process from start until ` +
        "the bundle's import settles (module evaluation: the floor builds its client there, Patron's handlers " +
        `on their first call); median of ${ROUNDS} paired runs in alternating order, ratio spread ${spread}`,
    },
    {
      name: `${bundle.name}: bundle`,
      value: kib(bundle.eagerBytes),
      unit: "KiB",
      baseline: { name: floor.name, value: kib(floor.eagerBytes), unit: "KiB" },
      ratio: fixed(bundle.eagerBytes / floor.eagerBytes, 2),
      note:
        `loaded at a cold start: index.mjs and the chunks it imports statically (${bundle.eagerFiles} files); ` +
        `${kib(bundle.totalBytes)} KiB ` +
        `of JavaScript in the asset with the chunks loaded on demand; source maps beside them ` +
        `${kib(bundle.mapBytes)} KiB (not loaded at run time)`,
    },
  ];
}

export async function runColdStartBench(): Promise<BenchResult[]> {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await mkdir(BUNDLE_DIR, { recursive: true });
  try {
    const functionEnv = { PATH: process.env.PATH ?? "", ...LAMBDA_ENV, ...patronEnvironment };
    const bareEnv = { PATH: process.env.PATH ?? "", ...LAMBDA_ENV };
    // The floor as the issue sets it: one file with the SDK inside, minified and tree-shaken, not split.
    const floor = await bundleAs("floor", FLOOR_ENTRY, { split: false, env: bareEnv });
    const splitFloor = await bundleAs(
      "floor, split at dynamic imports as Patron's functions are",
      FLOOR_ENTRY,
      {
        split: true,
        env: bareEnv,
      },
    );
    const emptyEntry = join(BUNDLE_DIR, "empty-handler.ts");
    await writeFile(emptyEntry, "export const handler = async () => undefined;\n");
    const empty = await bundleAs("empty handler", emptyEntry, { split: false, env: bareEnv });
    const handlersDir = join(repoRoot, "functions", "handlers");
    const names = (await readdir(handlersDir))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => basename(f, ".ts"));
    const handlers: Bundle[] = [];
    for (const name of names.sort()) {
      const entry = join(handlersDir, `${name}.ts`);
      handlers.push(await bundleAs(name, entry, { split: true, env: functionEnv }));
    }
    const anatomy: Bundle[] = [];
    for (const part of ANATOMY) {
      anatomy.push(await bundleAs(part.name, part.entry, { split: false, env: functionEnv }));
    }
    const untargeted = [empty, splitFloor, ...anatomy];
    const runs = await pairedRuns(floor, [...untargeted, ...handlers]);
    return [...untargeted, ...handlers].flatMap((bundle) =>
      figures(
        bundle,
        floor,
        runs.get(bundle.name) as PairedRuns,
        untargeted.includes(bundle) ? undefined : TARGET_RATIO,
      ),
    );
  } finally {
    await rm(BUNDLE_DIR, { recursive: true, force: true });
  }
}
