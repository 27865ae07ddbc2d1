import { readdirSync, readFileSync } from "node:fs";

// CPU of a process group from /proc (Linux): DynamoDB Local runs detached, so its group is its own JVM (and any
// wrapper). With the bench process's own process.cpuUsage() it splits an event's cost into Node and storage.

const TICKS_PER_SECOND = 100;

/** User + system CPU milliseconds of every live process in group `pgid`; undefined off Linux. */
export function processGroupCpuMs(pgid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command name (which may hold spaces): state ppid pgrp … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
