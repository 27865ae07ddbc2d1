import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { ReplayEvent } from "../replay/replay-events";
import { batchedStorage, type Item, sized } from "./replay-batched-storage";
import { median, perSecond } from "./rounds";

// The storage ceiling of a replay's event mix: for each event, in the replay's order, the bare DynamoDB requests
// its handler needs (no bus, no handler code, no outbox), with items of the sizes the replay wrote, at the
// bus's concurrency, on the same DynamoDB Local and table. Rounds alternate with raw single UpdateItems (on
// `rawTableName` when given), as the pipeline bench does, so each ratio compares the same server at the same moment.
//
//   Member Enrolled:    PutItem STATE (new) + PutItem PROFILE (new; a profile that exists would be read and merged)
//   Purchase Completed: GetItem STATE + TransactWriteItems [STATE, business-key record, ledger entry]
//
// With `writesOnly`, each round also runs the mix without the purchases' GetItem; with `batch`, the requests of a
// batched design (replay-batched-storage.ts). The passes of a round take turns to go first.
// STATE goes into the transaction without the handler's version check (which the pipeline bench's storage pattern
// includes): two events of one member can be in flight here, and a check would need the handler's retry. Checking
// costs DynamoDB Local more, so this ceiling is if anything above the true one, and a target above it is too.

export interface CeilingOptions {
  client: DynamoDBClient;
  tableName: string;
  events: readonly ReplayEvent[];
  /** Mean item sizes by request and kind, as profileReplay measured them ("PutItem STATE", …). */
  itemBytes: Readonly<Record<string, number>>;
  concurrency: number;
  rounds: number;
  /** DynamoDB Local's CPU so far in ms, to tell what the bare requests cost it per event. */
  dynamoCpu?: () => number;
  /** Where the raw UpdateItems go (default: tableName); the replay's baseline uses a table without a stream. */
  rawTableName?: string;
  /** Prefix of every key written (default "CEILING#"): a warm-up pass writes under another one. */
  keyPrefix?: string;
  /**
   * Also measure the purchases' writes alone, as a design that kept member state in a warm function's memory,
   * checked by version at commit, would send them on every cache hit: alternating, so both meet the same server.
   */
  writesOnly?: boolean;
  /** Also measure a batched design's requests (replay-batched-storage.ts): batches of `size`, `inFlight` at once. */
  batch?: { size: number; inFlight: number };
}

export interface CeilingRates {
  /** Events/s of the mix's bare storage requests (median round). */
  eventsPerSecond: number;
  /** Median over rounds of ceiling / raw of the same round. */
  ratio: number;
  roundRatios: number[];
}

export interface Ceiling extends CeilingRates {
  rawPerSecond: number;
  /** The same mix without the purchases' reads, when asked for. */
  writesOnly?: CeilingRates;
  /** The batched design's, when asked for, with how many of its transactions lost a race and ran again. */
  batched?: CeilingRates & { retries: number };
  /** Requests the mix needs, by kind. */
  requests: Record<string, number>;
  /** DynamoDB Local CPU per event of the bare requests, in ms (when measurable). */
  dynamoCpuMsPerEvent?: number;
}

type PassName = "ceiling" | "writesOnly" | "batched";

export async function measureCeiling(options: CeilingOptions): Promise<Ceiling> {
  const { client, tableName: TableName, itemBytes } = options;
  const KEY_PREFIX = options.keyPrefix ?? "CEILING#";
  const requests: Record<string, number> = {};
  const tally = (name: string) => {
    requests[name] = (requests[name] ?? 0) + 1;
  };
  const storageOf = async (event: ReplayEvent, n: number, reads = true) => {
    // The writes-only pass writes under keys of its own (its key records would collide with the mix's), and
    // `requests` counts the mix's.
    const prefix = reads ? KEY_PREFIX : `${KEY_PREFIX}W#`;
    const count = (name: string) => reads && tally(name);
    const putItem = (Item: Item, condition?: string) => {
      count("PutItem");
      return client.send(
        new PutItemCommand({ TableName, Item, ...(condition && { ConditionExpression: condition }) }),
      );
    };
    const memberKey = (memberId: string, sk: string): Item => ({
      PK: { S: `${prefix}MEMBER#${memberId}` },
      SK: { S: sk },
    });
    const detail = JSON.parse(event.entry.Detail ?? "{}") as { memberId: string };
    const state = memberKey(detail.memberId, "STATE");
    const profile = memberKey(detail.memberId, "PROFILE");
    if (event.entry.DetailType === "Member Enrolled") {
      // Conditional as the handler's; when the member's purchase got there first (16 in flight) it fails as there.
      await putItem(sized(state, itemBytes["PutItem STATE"]), "attribute_not_exists(PK)").catch(
        (error: unknown) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        },
      );
      await putItem(sized(profile, itemBytes["PutItem PROFILE"]), "attribute_not_exists(PK)");
    } else if (event.entry.DetailType === "Purchase Completed") {
      if (reads) {
        tally("GetItem");
        await client.send(new GetItemCommand({ TableName, Key: state, ConsistentRead: true }));
      }
      const put = (Item: Item, condition?: string) => ({
        Put: { TableName, Item, ...(condition && { ConditionExpression: condition }) },
      });
      const key = { PK: { S: `${prefix}KEY#${n}` }, SK: { S: "KEY" } };
      count("TransactWriteItems");
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            put(sized(state, itemBytes["TransactWriteItems STATE"])),
            put(sized(key, itemBytes["TransactWriteItems KEY"]), "attribute_not_exists(PK)"),
            put(
              sized(memberKey(detail.memberId, `LEDGER#${n}`), itemBytes["TransactWriteItems LEDGER"]),
              "attribute_not_exists(PK)",
            ),
          ],
        }),
      );
    } else {
      throw new Error(`the ceiling has no storage pattern for "${event.entry.DetailType}"`);
    }
  };
  const raw = (i: number) =>
    client.send(
      new UpdateItemCommand({
        TableName: options.rawTableName ?? TableName,
        Key: { PK: { S: `${KEY_PREFIX}RAW#${i % 1000}` }, SK: { S: "COUNTER" } },
        UpdateExpression: "ADD n :one",
        ExpressionAttributeValues: { ":one": { N: "1" } },
      }),
    );
  const batch = options.batch;
  const batched =
    batch && batchedStorage({ client, tableName: TableName, itemBytes, keyPrefix: `${KEY_PREFIX}B#` });
  const perRound = Math.ceil(options.events.length / options.rounds);
  const rounds: ({ raw: number } & Partial<Record<PassName, number>>)[] = [];
  let dynamoCpuMs = 0;
  for (let r = 0; r < options.rounds; r += 1) {
    const slice = options.events.slice(r * perRound, (r + 1) * perRound);
    if (slice.length === 0) break;
    const rawRate = await perSecond(slice.length, raw, options.concurrency);
    const offset = r * perRound;
    const pass = (reads: boolean) =>
      perSecond(
        slice.length,
        (i) => storageOf(slice[i] as ReplayEvent, offset + i, reads),
        options.concurrency,
      );
    const passes: { name: PassName; run: () => Promise<number> }[] = [
      {
        name: "ceiling",
        run: async () => {
          const cpuBefore = options.dynamoCpu?.() ?? 0;
          const rate = await pass(true);
          dynamoCpuMs += (options.dynamoCpu?.() ?? 0) - cpuBefore;
          return rate;
        },
      },
      ...(options.writesOnly ? [{ name: "writesOnly" as const, run: () => pass(false) }] : []),
      ...(batched && batch
        ? [
            {
              name: "batched" as const,
              run: async () => {
                const batches = Math.ceil(slice.length / batch.size);
                const commit = (b: number) =>
                  batched.commit(slice.slice(b * batch.size, (b + 1) * batch.size), offset + b * batch.size);
                return ((await perSecond(batches, commit, batch.inFlight)) * slice.length) / batches;
              },
            },
          ]
        : []),
    ];
    // Every write to a table with a stream makes the next ones dearer on DynamoDB Local: the passes take turns.
    const round: (typeof rounds)[number] = { raw: rawRate };
    for (let k = 0; k < passes.length; k += 1) {
      const next = passes[(r + k) % passes.length];
      if (next) round[next.name] = await next.run();
    }
    rounds.push(round);
  }
  const rates = (rate: (round: (typeof rounds)[number]) => number): CeilingRates => {
    const roundRatios = rounds.map((round) => rate(round) / round.raw);
    return { eventsPerSecond: median(rounds.map(rate)), ratio: median(roundRatios), roundRatios };
  };
  return {
    ...rates((round) => round.ceiling ?? 0),
    rawPerSecond: median(rounds.map((round) => round.raw)),
    ...(options.writesOnly && { writesOnly: rates((round) => round.writesOnly ?? 0) }),
    ...(batched && { batched: { ...rates((round) => round.batched ?? 0), retries: batched.retries() } }),
    requests,
    ...(options.dynamoCpu && { dynamoCpuMsPerEvent: dynamoCpuMs / options.events.length }),
  };
}
