import { DYNAMO_LOCAL_JVM_OPTIONS } from "../local/dynamo-local";
import type { Ceiling, CeilingRates } from "./replay-ceiling";
import type { ReplayProfile } from "./replay-profile";
import type { BenchResult } from "./types";

// The replay bench's rows for its ceilings and for where the replay's time went (replay.ts measures them).

// Issue #15's end-to-end target, against raw UpdateItem of the same DynamoDB Local.
export const REPLAY_TARGET = 0.3;
// The bus's delivery workers (event-bus-core.ts default); the baseline and the ceiling get the same concurrency.
export const BUS_CONCURRENCY = 16;
// The batched design's ceiling: an SQS event source's default batch of 10; 4 batches in flight did best of 2, 4, 8
// and 16 in a trial on this machine (fewer starve the server, more queue on its one SQLite thread).
export const BATCH = { size: 10, inFlight: 4 };

export const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** DynamoDB Local's CPU per event by kind of thread: ": Jetty's request threads 2.1, SQLite 2.0, JIT 0.1, …". */
function threadSplit(profile: ReplayProfile, events: number): string {
  const threads = profile.dynamoThreadsMs;
  if (!threads) return "";
  const names: Record<string, string> = {
    requests: "Jetty's request threads",
    SQLite: "its one SQLite thread",
  };
  const parts = Object.entries(threads).map(([kind, ms]) => `${names[kind] ?? kind} ${fixed(ms / events)}`);
  return `: ${parts.join(", ")} ms (JVM options ${DYNAMO_LOCAL_JVM_OPTIONS.join(" ")})`;
}

/** Where the target lies against a ceiling's rounds. */
function verdictOf({ roundRatios }: CeilingRates): string {
  if (Math.max(...roundRatios) < REPLAY_TARGET)
    return `${REPLAY_TARGET}× raw UpdateItem is above this ceiling in every round: not reachable with this storage pattern on DynamoDB Local`;
  if (Math.min(...roundRatios) >= REPLAY_TARGET)
    return `the ${REPLAY_TARGET}× target lies below this ceiling in every round`;
  return `the ${REPLAY_TARGET}× target lies within this ceiling's spread: reachable only by a pipeline that loses almost nothing to the bus, the handlers and the outbox`;
}

/** A ceiling's row without its note: its rate and its ratio to the raw rounds it alternated with. */
function ceilingRow(name: string, ceiling: CeilingRates, rawPerSecond: number): BenchResult {
  return {
    name,
    value: Math.round(ceiling.eventsPerSecond),
    unit: "events/s",
    baseline: {
      name: `raw DynamoDB Local UpdateItem, no stream, ${BUS_CONCURRENCY} in flight, alternating rounds`,
      value: Math.round(rawPerSecond),
      unit: "ops/s",
    },
    ratio: Number(fixed(ceiling.ratio, 3)),
  };
}

const roundsAndVerdict = (ceiling: CeilingRates) =>
  `median of ${ceiling.roundRatios.length} rounds (ratios ${ceiling.roundRatios.map((r) => fixed(r, 3)).join(", ")}); ` +
  verdictOf(ceiling);

/** Another design's ceiling, measured in the same rounds as the mix's. */
function designCeilingFigure(input: {
  name: string;
  ceiling: CeilingRates;
  rawPerSecond: number;
  what: string;
}): BenchResult {
  return {
    ...ceilingRow(input.name, input.ceiling, input.rawPerSecond),
    note: `${input.what}; its rounds alternate with the mix's, against the same raw rounds; ${roundsAndVerdict(input.ceiling)}`,
  };
}

const writesOnlyFigure = (ceiling: CeilingRates, rawPerSecond: number): BenchResult =>
  designCeilingFigure({
    name: "Storage ceiling of the same mix without the member read (writes only)",
    ceiling,
    rawPerSecond,
    what:
      "the ceiling above without a purchase's GetItem STATE: what a design gains that keeps member state in a warm " +
      "function's memory and lets the transaction's version check catch a stale copy (a miss would read it as now); " +
      "the exactly-once transaction stays",
  });

/** How full the replay's purchase batches were: its purchases over its BatchGetItems (one a batch). */
function batchFill(profile: ReplayProfile, purchases: number): string {
  const batches = profile.requests.BatchGetItem?.count ?? 0;
  if (batches === 0) return "the replay sent no batch";
  return (
    `in the replay, ${purchases.toLocaleString("en-US")} purchases went in ${batches.toLocaleString("en-US")} ` +
    `batches, ${fixed(purchases / batches)} a batch on average: the replay handles each event at its own time, so a ` +
    "batch holds events of one simulated day (scripts/local/consumers.ts atEventTimes)"
  );
}

const batchedFigure = (
  ceiling: CeilingRates & { retries: number },
  rawPerSecond: number,
  fill: string,
): BenchResult => {
  const row = designCeilingFigure({
    name: `Storage ceiling of the same mix committed in batches (${BATCH.size} events a transaction)`,
    ceiling,
    rawPerSecond,
    what:
      `each ${BATCH.size} events in replay order: one BatchGetItem (consistent) of their members' STATE and one ` +
      "TransactWriteItems of all their items (a member's STATE once, PROFILE for an enrolment, business-key record " +
      `and ledger entry for a purchase, each under attribute_not_exists), ${BATCH.inFlight} batches in flight; ` +
      `${ceiling.retries} transactions met another on an item and ran again`,
  });
  return {
    ...row,
    note:
      `${row.note}. The purchase consumer commits its batches this way (functions/pipeline/process-purchase-batch.ts); ` +
      `enrolments it leaves one at a time; ${fill}`,
  };
};

export function ceilingFigures(input: {
  replayRatio: number;
  ceiling: Ceiling;
  profile: ReplayProfile;
  events: number;
  /** Purchases among the events. */
  purchases: number;
  idleDynamoCpu: number | undefined;
}): BenchResult[] {
  const { replayRatio, ceiling, profile, events, idleDynamoCpu } = input;
  const needed = Object.entries(ceiling.requests)
    .map(([command, count]) => `${count.toLocaleString("en-US")} ${command}`)
    .join(" + ");
  const made = Object.entries(profile.requests)
    .map(([command, r]) => `${r.count.toLocaleString("en-US")} ${command} (mean ${fixed(r.meanMs, 0)} ms)`)
    .join(", ");
  const sizes = Object.entries(profile.itemBytes)
    .map(([kind, bytes]) => `${kind} ${bytes} B`)
    .join(", ");
  const wallS = profile.wallMs / 1000;
  const perEvent = (ms: number) => `${fixed(ms / events)} ms`;
  return [
    {
      ...ceilingRow(
        "Storage ceiling of the replay's event mix one event at a time (bare requests, same DynamoDB Local)",
        ceiling,
        ceiling.rawPerSecond,
      ),
      note:
        `each replayed event's requests as a consumer taking one event an invocation sends them, without bus, ` +
        `handler or outbox (${needed}), items of the sizes ` +
        `the replay wrote (${sizes}), ${BUS_CONCURRENCY} in flight` +
        (ceiling.dynamoCpuMsPerEvent === undefined
          ? ""
          : `, DynamoDB Local CPU ${fixed(ceiling.dynamoCpuMsPerEvent)} ms/event`) +
        `; ${roundsAndVerdict(ceiling)}`,
    },
    ...(ceiling.writesOnly ? [writesOnlyFigure(ceiling.writesOnly, ceiling.rawPerSecond)] : []),
    ...(ceiling.batched
      ? [batchedFigure(ceiling.batched, ceiling.rawPerSecond, batchFill(profile, input.purchases))]
      : []),
    {
      name: "Replay end to end as a share of the one-event-at-a-time storage ceiling",
      value: Math.round((100 * replayRatio) / ceiling.ratio),
      unit: "%",
      note:
        `replay ${fixed(replayRatio, 3)}× raw ÷ ceiling ${fixed(ceiling.ratio, 3)}× raw. Where the replay's ` +
        `${fixed(wallS)} s went: DynamoDB Local CPU ${profile.dynamoCpuMs === undefined ? "n/a" : `${fixed(profile.dynamoCpuMs / 1000)} s (${perEvent(profile.dynamoCpuMs)}/event${threadSplit(profile, events)})`}, ` +
        `this process (SDK, bus, handlers, outbox) ${fixed(profile.nodeCpuMs / 1000)} s (${perEvent(profile.nodeCpuMs)}/event); ` +
        `bus workers ${fixed(profile.meanInFlight)} of ${BUS_CONCURRENCY} busy on average, none busy ` +
        `${fixed(100 * profile.idleShare, 0)}% of the time (settles, outbox polls); handler requests ${made}` +
        (ceiling.dynamoCpuMsPerEvent === undefined || idleDynamoCpu === undefined
          ? ""
          : `; DynamoDB Local CPU per event: ${perEvent(profile.dynamoCpuMs ?? 0)} here, ` +
            `${fixed(ceiling.dynamoCpuMsPerEvent)} ms for the bare requests (ceiling rounds); the outbox's stream ` +
            `polls (GetRecords every 50 ms; shards listed every 5 s) and the platform's other idle work keep it ${fixed(100 * idleDynamoCpu, 0)}% of a core busy ` +
            "even while nothing happens, a cost per second that weighs more on the slower run"),
    },
  ];
}
