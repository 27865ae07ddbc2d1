import { execFile } from "node:child_process";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

// Whole-process CPU of a cold start: a fresh Node process (the one running the bench, i.e. the repo's Node 22)
// starts, imports one bundle and reports its own user + system CPU time (all threads, from getrusage via
// process.resourceUsage) right after the import settles, then exits. Only process exit itself is not counted.

export interface ColdProcessOptions {
  /** The bundle to import. */
  readonly file: string;
  /** The child's whole environment (nothing is inherited, so the bench's own NODE_OPTIONS cannot leak in). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Extra Node flags, e.g. `--cpu-prof` when profiling. */
  readonly nodeArgs?: readonly string[];
}

/** User + system CPU milliseconds of one fresh process that imports `file`. */
export async function coldProcessCpuMs(options: ColdProcessOptions): Promise<number> {
  const script =
    `await import(${JSON.stringify(pathToFileURL(options.file).href)});` +
    "const u=process.resourceUsage();process.stdout.write(String(u.userCPUTime+u.systemCPUTime));process.exit(0)";
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...(options.nodeArgs ?? []), "--input-type=module", "-e", script],
    { cwd: options.cwd, env: options.env },
  );
  const micros = Number(stdout);
  if (!Number.isFinite(micros) || micros <= 0) throw new Error(`no CPU figure from ${options.file}`);
  return micros / 1000;
}
