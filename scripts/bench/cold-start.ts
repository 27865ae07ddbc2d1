import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";
import { type BuildOptions, build } from "esbuild";
import { patronBundling, patronEnvironment, repoRoot } from "../../infra/patron-function";
import { coldProcessCpuMs } from "./process-cpu";
import { median } from "./rounds";
import type { BenchResult } from "./types";

// Cold start as whole-process CPU: each Lambda's bundle, built from the construct's own bundling options and
// run with the construct's environment, against the floor — a handler that bundles @aws-sdk/client-dynamodb
// with the same esbuild options and builds its client at import (scripts/bench/fixtures/floor-handler.ts).
// Each round runs the floor and the function back to back, in alternating order, and takes their ratio, so a
// busy shared machine shifts both sides of a pair alike; the figure is the median ratio over the rounds.

const ROUNDS = 15;
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
  readonly bytes: number;
  readonly mapBytes: number;
  readonly env: Readonly<Record<string, string>>;
}

/** The esbuild options `NodejsFunction` derives from these bundling props (see its buildEsbuildArgs). */
function esbuildOptions(bundling: BundlingOptions): BuildOptions {
  return {
    bundle: true,
    platform: "node",
    ...(bundling.format && { format: bundling.format }),
    ...(bundling.target && { target: bundling.target }),
    ...(bundling.mainFields && { mainFields: bundling.mainFields }),
    ...(bundling.banner && { banner: { js: bundling.banner } }),
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: bundling.externalModules ?? [],
    logLevel: "silent",
  };
}

async function bundleAs(
  name: string,
  entry: string,
  options: { bundling: BundlingOptions; env: Readonly<Record<string, string>> },
): Promise<Bundle> {
  const file = join(BUNDLE_DIR, name, "index.mjs");
  await build({ ...esbuildOptions(options.bundling), entryPoints: [entry], outfile: file });
  const mapBytes = options.bundling.sourceMap ? (await stat(`${file}.map`)).size : 0;
  return { name, file, bytes: (await stat(file)).size, mapBytes, env: options.env };
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
      value: kib(bundle.bytes),
      unit: "KiB",
      baseline: { name: floor.name, value: kib(floor.bytes), unit: "KiB" },
      ratio: fixed(bundle.bytes / floor.bytes, 2),
      note: `index.mjs; source map beside it ${kib(bundle.mapBytes)} KiB (not loaded at run time)`,
    },
  ];
}

export async function runColdStartBench(): Promise<BenchResult[]> {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await mkdir(BUNDLE_DIR, { recursive: true });
  try {
    const functionEnv = { PATH: process.env.PATH ?? "", ...LAMBDA_ENV, ...patronEnvironment };
    const bareEnv = { PATH: process.env.PATH ?? "", ...LAMBDA_ENV };
    // The floor always bundles the SDK: the floor is the cheapest way to ship a DynamoDB reader.
    const floorBundling = { ...patronBundling, externalModules: [] };
    const floor = await bundleAs("floor", FLOOR_ENTRY, { bundling: floorBundling, env: bareEnv });
    const emptyEntry = join(BUNDLE_DIR, "empty-handler.ts");
    await writeFile(emptyEntry, "export const handler = async () => undefined;\n");
    const empty = await bundleAs("empty handler", emptyEntry, { bundling: floorBundling, env: bareEnv });
    const handlersDir = join(repoRoot, "functions", "handlers");
    const names = (await readdir(handlersDir))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => basename(f, ".ts"));
    const handlers: Bundle[] = [];
    for (const name of names.sort()) {
      const entry = join(handlersDir, `${name}.ts`);
      handlers.push(await bundleAs(name, entry, { bundling: patronBundling, env: functionEnv }));
    }
    const anatomy: Bundle[] = [];
    for (const part of ANATOMY) {
      anatomy.push(await bundleAs(part.name, part.entry, { bundling: floorBundling, env: functionEnv }));
    }
    const untargeted = [empty, ...anatomy];
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
