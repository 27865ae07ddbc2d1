import { readdirSync, readFileSync } from "node:fs";
import { itemSize } from "../../functions/adapters/dynamo/item-size";
import { BUSINESS_KEY_SK, LEDGER_PREFIX, PROFILE_SK, STATE_SK } from "../../functions/adapters/dynamo/keys";
import type { Platform } from "../local/platform";
import { type JvmThreadKind, jvmThreadCpuMs } from "./jvm-threads";

// Where a replay's wall time goes, measured while it runs: the bus workers' occupancy (sampled), the
// handlers' DynamoDB requests (count, mean latency, item sizes by kind of item), this process's CPU and
// DynamoDB Local's (its JVM, read from /proc on Linux, in all and by kind of thread).

export interface ReplayProfile {
  wallMs: number;
  /** Mean deliveries running at once, of the bus's workers. */
  meanInFlight: number;
  /** Share of samples with no delivery running (the pipeline stalled). */
  idleShare: number;
  requests: Record<string, { count: number; meanMs: number }>;
  /** Mean item size in bytes by request and kind of item ("PutItem STATE", "TransactWriteItems LEDGER"). */
  itemBytes: Record<string, number>;
  nodeCpuMs: number;
  /** Undefined where /proc is not available. */
  dynamoCpuMs?: number;
  /** DynamoDB Local's CPU by kind of thread (jvm-threads.ts); undefined where /proc is not available. */
  dynamoThreadsMs?: Record<JvmThreadKind, number>;
}

const SAMPLE_MS = 10;

/** The kind of item a key names, for sizing the ceiling's items like the replay's. */
export function itemKind(sk: string | undefined): string {
  if (sk === undefined) return "other";
  if (sk.startsWith(LEDGER_PREFIX)) return "LEDGER";
  return [STATE_SK, PROFILE_SK, BUSINESS_KEY_SK].includes(sk) ? sk : "other";
}

/** DynamoDB Local's JVM for an endpoint's port, by its command line (Linux /proc only). */
export function dynamoLocalPid(endpoint: string): number | undefined {
  const port = new URL(endpoint).port;
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.some((arg) => arg.includes("DynamoDBLocal")) && args.includes(port)) return Number(entry);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** User + system CPU of a process in ms (clock ticks of 10 ms, the Linux default). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** DynamoDB Local's CPU so far in ms, when its process can be read (Linux); undefined elsewhere. */
export function dynamoLocalCpu(endpoint: string): (() => number) | undefined {
  const pid = dynamoLocalPid(endpoint);
  return pid === undefined ? undefined : () => processCpuMs(pid);
}

type WriteInput = {
  Item?: Record<string, { S?: string }>;
  TransactItems?: { Put?: { Item: Record<string, { S?: string }> } }[];
};

/** Starts profiling the platform's handlers; `stop()` ends it and returns the figures. */
export function profileReplay(platform: Pick<Platform, "client" | "bus" | "urls">) {
  const requests = new Map<string, { count: number; totalMs: number }>();
  const sizes = new Map<string, { count: number; bytes: number }>();
  const addSize = (command: string, item: Record<string, { S?: string }>) => {
    const kind = `${command} ${itemKind(item.SK?.S)}`;
    const seen = sizes.get(kind) ?? { count: 0, bytes: 0 };
    seen.count += 1;
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's AttributeValue union, as the handlers built it
    seen.bytes += itemSize(item as any);
    sizes.set(kind, seen);
  };
  let active = true;
  const name = "replayProfile";
  platform.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!active) return next(args);
      const command = (context.commandName ?? "unknown").replace(/Command$/, "");
      const input = args.input as WriteInput;
      if (input.Item) addSize(command, input.Item);
      for (const action of input.TransactItems ?? []) if (action.Put) addSize(command, action.Put.Item);
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        const seen = requests.get(command) ?? { count: 0, totalMs: 0 };
        seen.count += 1;
        seen.totalMs += performance.now() - started;
        requests.set(command, seen);
      }
    },
    { step: "initialize", name },
  );
  let samples = 0;
  let inFlight = 0;
  let idle = 0;
  const sampler = setInterval(() => {
    const running = platform.bus.stats().inFlight;
    samples += 1;
    inFlight += running;
    if (running === 0) idle += 1;
  }, SAMPLE_MS);
  const dynamoCpu = dynamoLocalCpu(platform.urls.dynamodb);
  const dynamoCpuAtStart = dynamoCpu?.();
  const dynamoPid = dynamoLocalPid(platform.urls.dynamodb);
  const threadsAtStart = dynamoPid === undefined ? undefined : jvmThreadCpuMs(dynamoPid);
  const cpuAtStart = process.cpuUsage();
  const started = performance.now();
  return {
    stop(): ReplayProfile {
      active = false;
      clearInterval(sampler);
      platform.client.middlewareStack.remove(name);
      const cpu = process.cpuUsage(cpuAtStart);
      const threads = dynamoPid === undefined ? undefined : jvmThreadCpuMs(dynamoPid);
      return {
        wallMs: performance.now() - started,
        meanInFlight: samples === 0 ? 0 : inFlight / samples,
        idleShare: samples === 0 ? 0 : idle / samples,
        requests: Object.fromEntries(
          [...requests].map(([command, r]) => [command, { count: r.count, meanMs: r.totalMs / r.count }]),
        ),
        itemBytes: Object.fromEntries([...sizes].map(([kind, s]) => [kind, Math.round(s.bytes / s.count)])),
        nodeCpuMs: (cpu.user + cpu.system) / 1000,
        ...(dynamoCpu && dynamoCpuAtStart !== undefined && { dynamoCpuMs: dynamoCpu() - dynamoCpuAtStart }),
        ...(threads &&
          threadsAtStart && {
            dynamoThreadsMs: Object.fromEntries(
              Object.entries(threads).map(([kind, ms]) => [kind, ms - threadsAtStart[kind as JvmThreadKind]]),
            ) as Record<JvmThreadKind, number>,
          }),
      };
    },
  };
}
