import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

// Local stand-in for Lambda's DynamoDB Streams event source: polls the table's stream (DynamoDB Local
// has one) and hands batches to the same handler that runs in AWS, with the same contract — records in
// order per shard, a thrown error retries the batch, reported item failures retry from the first one.

export interface StreamPollerOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  /** Where to start in shards that exist at start-up (later shards start at their beginning). */
  startAt?: "TRIM_HORIZON" | "LATEST";
  pollIntervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}

interface ShardCursor {
  shard: Shard;
  iterator?: string;
  lastSequence?: string;
  /** Records fetched but not yet handled successfully (redelivered first). */
  pending: _Record[];
  finished: boolean;
}

export interface StreamPoller {
  /** Resolves once a full round found no records and nothing is awaiting redelivery. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Shards are listed again at most this often while nothing asks whether the stream is idle: a new shard only
 * follows one that closed (which triggers a listing at once), and DescribeStream on every round cost DynamoDB
 * Local a fifth of a core while the platform idled (the replay bench's profile).
 */
const DISCOVERY_INTERVAL_MS = 5_000;

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const interval = options.pollIntervalMs ?? 200;
  const limit = options.batchSize ?? 100;
  const onError = options.onError ?? (() => undefined);
  const table = await options.dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream enabled`);
  const cursors = new Map<string, ShardCursor>();
  let stopped = false;
  let round = 0;
  let idleWaiters: { after: number; resolve: () => void }[] = [];
  let firstDiscovery = true;
  let discoveredAt = Number.NEGATIVE_INFINITY;
  let shardClosed = false;

  /** Whether this round lists the shards: always when a caller waits for idle, so its proof stays exact. */
  const discoveryDue = () =>
    shardClosed || idleWaiters.length > 0 || performance.now() - discoveredAt >= DISCOVERY_INTERVAL_MS;

  async function discoverShards(): Promise<void> {
    let start: string | undefined;
    do {
      const { StreamDescription } = await options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(start && { ExclusiveStartShardId: start }) }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !cursors.has(shard.ShardId)) {
          cursors.set(shard.ShardId, { shard, pending: [], finished: false });
          const type = firstDiscovery ? (options.startAt ?? "LATEST") : "TRIM_HORIZON";
          await openIterator(cursors.get(shard.ShardId) as ShardCursor, type);
        }
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    firstDiscovery = false;
    shardClosed = false;
    discoveredAt = performance.now();
  }

  async function openIterator(cursor: ShardCursor, type: "TRIM_HORIZON" | "LATEST"): Promise<void> {
    const { ShardIterator } = await options.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: cursor.shard.ShardId,
        ...(cursor.lastSequence
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: cursor.lastSequence }
          : { ShardIteratorType: type }),
      }),
    );
    cursor.iterator = ShardIterator;
    if (!ShardIterator) cursor.finished = true;
  }

  /** Children wait for their parent shard, so records of one key stay in order across a split. */
  const parentBusy = (cursor: ShardCursor) => {
    const parent = cursor.shard.ParentShardId && cursors.get(cursor.shard.ParentShardId);
    return parent !== undefined && parent !== "" && (!parent.finished || parent.pending.length > 0);
  };

  async function deliver(cursor: ShardCursor): Promise<void> {
    const records = cursor.pending as unknown as DynamoDBRecord[];
    try {
      const response = await options.handler({ Records: records });
      const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const firstFailed = records.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ""));
      cursor.pending = firstFailed < 0 ? [] : cursor.pending.slice(firstFailed);
    } catch (error) {
      onError(error);
      await sleep(interval);
    }
  }

  /**
   * One step on a shard: "full" when there may be more right away (a full page, or a batch to redeliver),
   * "some" when a short page was handled, "none" when there was nothing.
   */
  async function pollShard(cursor: ShardCursor): Promise<"full" | "some" | "none"> {
    if (cursor.pending.length > 0) {
      await deliver(cursor);
      return "full";
    }
    if (cursor.finished || !cursor.iterator || parentBusy(cursor)) return "none";
    try {
      const page = await options.streams.send(
        new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: limit }),
      );
      cursor.iterator = page.NextShardIterator;
      if (!page.NextShardIterator) {
        cursor.finished = true;
        shardClosed = true;
      }
      const records = page.Records ?? [];
      if (records.length === 0) return "none";
      cursor.lastSequence = records[records.length - 1]?.dynamodb?.SequenceNumber;
      cursor.pending = records;
      await deliver(cursor);
      return records.length >= limit ? "full" : "some";
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException)) throw error;
      await openIterator(cursor, "TRIM_HORIZON");
      return "full";
    }
  }

  const loop = (async () => {
    while (!stopped) {
      round += 1;
      const steps: ("full" | "some" | "none")[] = [];
      try {
        if (discoveryDue()) await discoverShards();
        for (const cursor of cursors.values()) steps.push(await pollShard(cursor));
      } catch (error) {
        onError(error);
        steps.push("full");
      }
      if (steps.every((step) => step === "none")) {
        // Only a round that started after the caller asked proves nothing is left.
        for (const waiter of idleWaiters) if (round > waiter.after) waiter.resolve();
        idleWaiters = idleWaiters.filter((waiter) => round <= waiter.after);
      }
      // Only a full page says more is waiting; after short pages the shards are drained for now, and polling
      // again at once would fetch a record or two per GetRecords (as Lambda's stream polling, batches grow
      // while the poller waits). Under a steady write load that was most of DynamoDB Local's stream work.
      if (!steps.includes("full")) await sleep(interval);
    }
  })();

  return {
    idle: () => new Promise<void>((resolve) => idleWaiters.push({ after: round, resolve })),
    async stop() {
      stopped = true;
      await loop;
      for (const waiter of idleWaiters) waiter.resolve();
    },
  };
}
