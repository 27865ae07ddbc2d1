import type { CreateTableCommandInput, UpdateTimeToLiveCommandInput } from "@aws-sdk/client-dynamodb";

// The single Patron table as plain data, shared by the CDK stack, the local stack and the
// integration tests (no CDK import here). Design and access patterns: functions/adapters/dynamo/TABLE-DESIGN.md.

export const TABLE_DEFINITION = {
  defaultName: "patron",
  billingMode: "PAY_PER_REQUEST",
  partitionKey: { name: "PK", type: "S" },
  sortKey: { name: "SK", type: "S" },
  timeToLiveAttribute: "expiresAt",
  /** Ledger inserts carry outbound events; the stream consumer publishes them from the new image. */
  streamViewType: "NEW_IMAGE",
  globalSecondaryIndexes: [
    {
      /**
       * Overloaded, sparse: members by the day the retention job must next look at them (`DUE#<day>#<shard>`,
       * from the STATE item's `state.retention.dueOn`), retention e-mails still owed (`RETRY`), and members by
       * e-mail address (`EMAIL#<lower-cased e-mail>`, from the PROFILE item).
       */
      indexName: "GSI1",
      partitionKey: { name: "GSI1PK", type: "S" },
      sortKey: { name: "GSI1SK", type: "S" },
      projectionType: "KEYS_ONLY",
    },
  ],
} as const;

export interface TableInputOptions {
  /**
   * The stream the outbox reads (default true). Tests and benches that never read it leave it out: DynamoDB Local
   * scans every stream record it has kept, dropped tables' included, on each write to a table with a stream, so
   * such writes slow down in step with all the stream writes before them; reads and writes are otherwise the same.
   */
  stream?: boolean;
}

export function createTableInput(
  tableName: string = TABLE_DEFINITION.defaultName,
  options: TableInputOptions = {},
): CreateTableCommandInput {
  const { partitionKey, sortKey, globalSecondaryIndexes } = TABLE_DEFINITION;
  const keyAttributes = [
    partitionKey,
    sortKey,
    ...globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: TABLE_DEFINITION.billingMode,
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: "HASH" },
      { AttributeName: sortKey.name, KeyType: "RANGE" },
    ],
    AttributeDefinitions: keyAttributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: "HASH" },
        { AttributeName: index.sortKey.name, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: index.projectionType },
    })),
    ...(options.stream !== false && {
      StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DEFINITION.streamViewType },
    }),
  };
}

/** TTL is not part of CreateTable; enable it with UpdateTimeToLive after the table is active. */
export function timeToLiveInput(
  tableName: string = TABLE_DEFINITION.defaultName,
): UpdateTimeToLiveCommandInput {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
  };
}
