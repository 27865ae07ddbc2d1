import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { itemSize } from "../../functions/adapters/dynamo/item-size";
import type { ReplayEvent } from "../replay/replay-events";
import { median, perSecond } from "./rounds";

// The storage ceiling of a replay's event mix: for each event, in the replay's order, the bare DynamoDB requests
// its handler needs (no bus, no handler code, no outbox), with items of the sizes the replay wrote, at the
// bus's concurrency, on the same DynamoDB Local and table. Rounds alternate with raw single UpdateItems (on
// `rawTableName` when given), as the pipeline bench does, so each ratio compares the same server at the same moment.
//
//   Member Enrolled:    PutItem STATE (new) + PutItem PROFILE (new; a profile that exists would be read and merged)
//   Purchase Completed: GetItem STATE + TransactWriteItems [STATE, business-key record, ledger entry]

type Item = Record<string, AttributeValue>;

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
}

export interface Ceiling {
  /** Events/s of the mix's bare storage requests (median round). */
  eventsPerSecond: number;
  rawPerSecond: number;
  /** Median over rounds of ceiling / raw of the same round. */
  ratio: number;
  roundRatios: number[];
  /** Requests the mix needs, by kind. */
  requests: Record<string, number>;
  /** DynamoDB Local CPU per event of the bare requests, in ms (when measurable). */
  dynamoCpuMsPerEvent?: number;
}

/** An item with these keys, padded to `bytes` (at least its keys). */
function sized(keys: Item, bytes: number | undefined): Item {
  const bare = { ...keys, pad: { S: "" } };
  return { ...keys, pad: { S: "x".repeat(Math.max(0, (bytes ?? 0) - itemSize(bare))) } };
}

export async function measureCeiling(options: CeilingOptions): Promise<Ceiling> {
  const { client, tableName: TableName, itemBytes } = options;
  const KEY_PREFIX = options.keyPrefix ?? "CEILING#";
  const requests: Record<string, number> = {};
  const tally = (name: string) => {
    requests[name] = (requests[name] ?? 0) + 1;
  };
  const getItem = (Key: Item) => {
    tally("GetItem");
    return client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }));
  };
  const putItem = (Item: Item, condition?: string) => {
    tally("PutItem");
    return client.send(
      new PutItemCommand({ TableName, Item, ...(condition && { ConditionExpression: condition }) }),
    );
  };
  const memberKey = (memberId: string, sk: string): Item => ({
    PK: { S: `${KEY_PREFIX}MEMBER#${memberId}` },
    SK: { S: sk },
  });
  const storageOf = async (event: ReplayEvent, n: number) => {
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
      await getItem(state);
      const put = (Item: Item, condition?: string) => ({
        Put: { TableName, Item, ...(condition && { ConditionExpression: condition }) },
      });
      const key = { PK: { S: `${KEY_PREFIX}KEY#${n}` }, SK: { S: "KEY" } };
      tally("TransactWriteItems");
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
  const perRound = Math.ceil(options.events.length / options.rounds);
  const rounds: { raw: number; ceiling: number }[] = [];
  let dynamoCpuMs = 0;
  for (let r = 0; r < options.rounds; r += 1) {
    const slice = options.events.slice(r * perRound, (r + 1) * perRound);
    if (slice.length === 0) break;
    const rawRate = await perSecond(slice.length, raw, options.concurrency);
    const offset = r * perRound;
    const cpuBefore = options.dynamoCpu?.() ?? 0;
    const ceiling = await perSecond(
      slice.length,
      (i) => storageOf(slice[i] as ReplayEvent, offset + i),
      options.concurrency,
    );
    dynamoCpuMs += (options.dynamoCpu?.() ?? 0) - cpuBefore;
    rounds.push({ raw: rawRate, ceiling });
  }
  const roundRatios = rounds.map((round) => round.ceiling / round.raw);
  return {
    eventsPerSecond: median(rounds.map((round) => round.ceiling)),
    rawPerSecond: median(rounds.map((round) => round.raw)),
    ratio: median(roundRatios),
    roundRatios,
    requests,
    ...(options.dynamoCpu && { dynamoCpuMsPerEvent: dynamoCpuMs / options.events.length }),
  };
}
