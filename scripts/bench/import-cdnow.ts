// The migration import against members the pipeline built from real purchases: the whole CDNOW master log
// (23,570 customers, 69,659 purchases; the shared data set, read in place) replayed through the local
// platform, exported as an import file and imported into a fresh stack (scripts/import/replay-roundtrip.ts);
// every member compared. The integration test runs every 50th customer (test/integration/migration).
// Standalone: `npx tsx scripts/bench/import-cdnow.ts [every-nth-customer]`.

import { existsSync, readFileSync } from "node:fs";
import { replayThenImport } from "../import/replay-roundtrip";
import { parsePurchaseLog } from "../replay/purchase-log";
import { CDNOW_MASTER } from "../shared/shared-data";
import type { BenchResult } from "./types";

const master = CDNOW_MASTER;

export async function runImportCdnowBench(everyNth = 1): Promise<BenchResult[]> {
  if (!existsSync(master)) throw new Error(`the CDNOW master log is absent (${master}); nothing to compare`);
  const started = performance.now();
  const rows = parsePurchaseLog(readFileSync(master, "utf8"), master).filter(
    (row) => Number(row.customerId) % everyNth === 0,
  );
  const trip = await replayThenImport(rows);
  const n = (value: number) => value.toLocaleString("en-US");
  const which = everyNth === 1 ? "every CDNOW master customer" : `every ${everyNth}th CDNOW master customer`;
  return [
    {
      name: "CDNOW members imported equal to the same members built by the replay",
      value: trip.equal,
      unit: `of ${n(trip.members)} members`,
      target: "all",
      meetsTarget: trip.equal === trip.members,
      note: `${which}: ${n(trip.events)} events replayed through bus and handlers (${trip.replaySeconds.toFixed(0)} s, ${trip.rejectedEvents} rejected), ${n(trip.exported)} exported (${trip.skipped.length} left out), ${n(trip.imported)} imported into a fresh stack (${trip.importSeconds.toFixed(0)} s); compared: balance, lots with expiry, qualifying months, tier and keepsUntil, punch cards, unlocked rewards${trip.mismatches.length > 0 ? `; first differences: ${trip.mismatches.slice(0, 3).join("; ")}` : ""}`,
    },
    {
      name: "CDNOW replay, export and import wall time",
      value: Math.round((performance.now() - started) / 1000),
      unit: "s",
    },
  ];
}

if (import.meta.filename === process.argv[1]) {
  const everyNth = process.argv[2] === undefined ? 1 : Number(process.argv[2]);
  console.log(JSON.stringify(await runImportCdnowBench(everyNth), null, 2));
}
