import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { MemberScores } from "../../domain/member/member-state";
import {
  ANALYTICS_LATEST_SK,
  ANALYTICS_PK,
  kpiSk,
  memberIdOfPk,
  memberPk,
  STATE_SK,
} from "../adapters/dynamo/keys";
import { queryAll } from "../adapters/dynamo/query-items";
import { decodeState, STATE_ATTRIBUTE, stateAttribute } from "../adapters/dynamo/state-codec";
import type { AnalyticsSnapshot } from "./analytics-snapshot";
import { type KpiFacts, kpiFacts } from "./kpi-inputs";
import type { KpiSnapshot } from "./kpi-snapshot";
import { type MemberInputs, memberInputs, storedScores } from "./member-inputs";

// The analytics job's access to the single table (see docs/analytics-at-scale.md):
// - a parallel Scan of the STATE items, eventually consistent, projected to the key, version and encoded state
//   (state-codec.ts: DynamoDB cannot project into it, and a projection never lowers the bill anyway). A nightly
//   batch over every member is what Scan is for; it is billed on every item it reads — ledger and profile items
//   too, which the filter then drops — so the cost grows with the table, not the member count;
// - a scores write under the member's optimistic-lock version, which it bumps: read the STATE item, put the
//   scores into its state, write the whole encoded state back under `version = :expected`. An event commit
//   computed from an older snapshot (a full Put of STATE under `version = :expected`) is then cancelled and
//   retried with the scores included, and scores computed from an older snapshot never land on a newer one;
// - the `PK=ANALYTICS, SK=LATEST` item: the last run's fit, RFM grid and value concentration;
// - one `PK=ANALYTICS, SK=KPI#<YYYY-MM>` item per month: that month's KPI snapshot (kpi-snapshot.ts).

export interface ScannedMember {
  memberId: string;
  version: number;
  inputs: MemberInputs;
  kpi: KpiFacts;
  stored?: MemberScores;
}

export interface ScanPage {
  members: ScannedMember[];
  /** Items DynamoDB read for this page (billed), before the filter dropped non-STATE items. */
  scannedCount: number;
  /** Pass back for the next page of this segment; absent after the segment's last page. */
  cursor?: Record<string, AttributeValue>;
}

const ITEM_NAMES = { "#st": STATE_ATTRIBUTE };
const NAMES = { ...ITEM_NAMES, "#sk": "SK" };
const PROJECTION = "PK, version, #st";

/**
 * A (projected) STATE item as the analytics job sees it; undefined for any other item, and for a merged
 * member's forwarding record (the person counts once, through the member it was merged into).
 */
export function decodeStateItem(item: Record<string, AttributeValue>): ScannedMember | undefined {
  const memberId = memberIdOfPk(item.PK?.S);
  if (memberId === undefined) return undefined;
  const state = decodeState(item[STATE_ATTRIBUTE]);
  if (state.status === "merged") return undefined;
  const stored = storedScores(state.scores);
  return {
    memberId,
    version: Number(item.version?.N ?? 0),
    inputs: memberInputs(state),
    kpi: kpiFacts(state),
    ...(stored && { stored }),
  };
}

export function createAnalyticsStore(options: {
  client: DynamoDBClient;
  tableName: string;
  clock?: () => Date;
}) {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const stateKey = (memberId: string) => ({ PK: { S: memberPk(memberId) }, SK: { S: STATE_SK } });
  /** A snapshot item of the ANALYTICS partition, replacing the one under the same sort key. */
  const putSnapshot = async (sk: string, snapshot: AnalyticsSnapshot | KpiSnapshot) => {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: ANALYTICS_PK },
          SK: { S: sk },
          snapshot: { M: marshall(snapshot, { removeUndefinedValues: true }) },
          updatedAt: { S: clock().toISOString() },
        },
      }),
    );
  };

  return {
    /** One page (≤ 1 MB read) of segment `segment` of `totalSegments` of a parallel Scan of STATE items. */
    async scanMembers(
      segment: number,
      totalSegments: number,
      cursor?: Record<string, AttributeValue>,
    ): Promise<ScanPage> {
      const result = await client.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: totalSegments,
          FilterExpression: "#sk = :state",
          ProjectionExpression: PROJECTION,
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ":state": { S: STATE_SK } },
          ...(cursor && { ExclusiveStartKey: cursor }),
        }),
      );
      const members: ScannedMember[] = [];
      for (const item of result.Items ?? []) {
        const member = decodeStateItem(item);
        if (member) members.push(member);
      }
      return {
        members,
        scannedCount: result.ScannedCount ?? 0,
        ...(result.LastEvaluatedKey && { cursor: result.LastEvaluatedKey }),
      };
    },

    /** The member's analytics fields now (strongly consistent), after a lost race; undefined if gone. */
    async getMember(memberId: string): Promise<ScannedMember | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: stateKey(memberId),
          ProjectionExpression: PROJECTION,
          ExpressionAttributeNames: ITEM_NAMES,
          ConsistentRead: true,
        }),
      );
      return Item ? decodeStateItem(Item) : undefined;
    },

    /**
     * Sets `state.scores` if the member is still at `expectedVersion`, and bumps the version: a strongly
     * consistent GetItem, then an UpdateItem of the whole encoded state under `version = :expected`. "conflict":
     * the member changed (or was removed) since it was read; nothing was written.
     */
    async updateScores(
      memberId: string,
      expectedVersion: number,
      scores: MemberScores,
    ): Promise<"updated" | "conflict"> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: stateKey(memberId),
          ProjectionExpression: "version, #st",
          ExpressionAttributeNames: ITEM_NAMES,
          ConsistentRead: true,
        }),
      );
      if (!Item || Number(Item.version?.N) !== expectedVersion) return "conflict";
      const state = { ...decodeState(Item[STATE_ATTRIBUTE]), scores };
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: stateKey(memberId),
            UpdateExpression: "SET #st = :state, version = version + :one",
            ConditionExpression: "version = :expected",
            ExpressionAttributeNames: ITEM_NAMES,
            ExpressionAttributeValues: {
              ":state": stateAttribute(state),
              ":one": { N: "1" },
              ":expected": { N: String(expectedVersion) },
            },
          }),
        );
        return "updated";
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return "conflict";
        throw error;
      }
    },

    async putLatest(snapshot: AnalyticsSnapshot): Promise<void> {
      await putSnapshot(ANALYTICS_LATEST_SK, snapshot);
    },

    /** Stores the month's KPI snapshot, replacing the one an earlier run of the month wrote. */
    async putKpis(snapshot: KpiSnapshot): Promise<void> {
      await putSnapshot(kpiSk(snapshot.month), snapshot);
    },

    /** The monthly KPI snapshots from `from` to `to` (YYYY-MM, inclusive), oldest first: one Query. */
    async listKpis(from: string, to: string): Promise<KpiSnapshot[]> {
      const items = await queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: {
          ":pk": { S: ANALYTICS_PK },
          ":from": { S: kpiSk(from) },
          ":to": { S: kpiSk(to) },
        },
      });
      return items.flatMap((item) => (item.snapshot?.M ? [unmarshall(item.snapshot.M) as KpiSnapshot] : []));
    },

    /** The last completed run's snapshot; undefined before the first run. */
    async getLatest(): Promise<AnalyticsSnapshot | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { PK: { S: ANALYTICS_PK }, SK: { S: ANALYTICS_LATEST_SK } },
        }),
      );
      return Item?.snapshot?.M ? (unmarshall(Item.snapshot.M) as AnalyticsSnapshot) : undefined;
    },
  };
}

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;
