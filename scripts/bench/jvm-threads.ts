import { readdirSync, readFileSync } from "node:fs";

// A JVM's CPU by the kind of thread that spent it (Linux /proc, by thread name): it told that DynamoDB Local's
// JIT compiler, not its requests, took a third of its CPU during a replay (README, DynamoDB Local's JVM options).

export type JvmThreadKind = "requests" | "SQLite" | "JIT" | "GC" | "other";

const TICKS_PER_SECOND = 100;

/** DynamoDB Local's thread names: Jetty's pool serves requests, one queue thread runs SQLite. */
export function jvmThreadKind(name: string): JvmThreadKind {
  if (name.startsWith("qtp")) return "requests";
  if (name.startsWith("SQLiteQueue")) return "SQLite";
  if (/^C\d CompilerThre/.test(name)) return "JIT";
  if (/^(GC Thread|G1 |VM Thread)/.test(name)) return "GC";
  return "other";
}

/** CPU milliseconds of each kind of thread of process `pid` so far; undefined off Linux or once it is gone. */
export function jvmThreadCpuMs(pid: number): Record<JvmThreadKind, number> | undefined {
  const cpu: Record<JvmThreadKind, number> = { requests: 0, SQLite: 0, JIT: 0, GC: 0, other: 0 };
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of threads) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // The name sits in parentheses (and may hold spaces); utime and stime are the 12th and 13th fields after it.
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    cpu[jvmThreadKind(name)] += ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  }
  return cpu;
}
