import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { GrantAudience } from "../../../domain/grants/grant-points";
import type { AdjustmentParty } from "../../../domain/member/adjustment-controls";
import { conditionHeld, statusTransition } from "./conditional-write";
import { expiresAfter } from "./item-expiry";
import { readItem } from "./item-read";
import { GRANT_LIST_PREFIX, GRANT_PART_PREFIX, grantChildKey, grantKey, grantPartitionKey } from "./keys";
import { queryPrefix } from "./query-items";

// Bulk grants in the single table (TABLE-DESIGN.md "Bulk grants"): the request with its status, its uploaded
// member ids in chunks, and one progress item per part of its run. A part's progress moves on only from the
// position it was read at (a condition), so two runners of the same part never both count a page.

export type GrantStatus = "pending-approval" | "approved" | "running" | "done" | "failed" | "rejected";

export interface GrantPreview {
  /** Members in the audience when the grant was previewed. */
  members: number;
  /** points × members. */
  totalPoints: number;
  /** totalPoints at the program's point cost (retention.offers.pointCostMinor), in minor units. */
  costMinor: number;
  currency: string;
}

export interface StoredGrant {
  grantId: string;
  points: number;
  reason: string;
  expiresOn?: string;
  audience: GrantAudience;
  status: GrantStatus;
  needsApproval: boolean;
  requestedBy: AdjustmentParty;
  requestedAt: string;
  /** The approver (or rejecter) and when. */
  decidedBy?: AdjustmentParty;
  decidedAt?: string;
  preview: GrantPreview;
  /** How many parts the run is split into (scan segments, or list chunks). */
  parts: number;
  /** Fingerprint of what the Idempotency-Key promised. */
  payload: string;
  idempotencyKey: string;
  /** Why the last run stopped short (status failed). */
  error?: string;
  finishedAt?: string;
}

export interface PartCounts {
  /** Members handled in finished pages (granted, not eligible or not found). */
  processed: number;
  /** Members holding the grant's entry (written by this grant, in any attempt). */
  granted: number;
  /** Of `granted`, members found granted already: met again after a retry. */
  duplicates: number;
  notEligible: number;
  notFound: number;
}

export interface GrantPart extends PartCounts {
  part: number;
  /** Where the next page starts (a scan's start key as JSON, or a list offset); absent before the first. */
  position?: string;
  done: boolean;
  /** Members whose change failed in the page the last attempt stopped at. */
  failed: number;
}

export const NO_COUNTS: PartCounts = { processed: 0, granted: 0, duplicates: 0, notEligible: 0, notFound: 0 };

const LIST_CHUNK_SIZE = 2_000;
/** Kept as long as the audit trail. */
const GRANT_TTL_DAYS = 400;

export function createGrantStore(options: { client: DynamoDBClient; tableName: string }) {
  const { client, tableName: TableName } = options;
  const expiresAt = (iso: string) => expiresAfter(iso, GRANT_TTL_DAYS);

  const update = async (
    input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], "TableName">,
  ): Promise<boolean> => conditionHeld(client.send(new UpdateItemCommand({ TableName, ...input })));

  return {
    listChunkSize: LIST_CHUNK_SIZE,

    async get(grantId: string): Promise<StoredGrant | undefined> {
      const item = await readItem(client, TableName, grantKey(grantId));
      if (!item) return undefined;
      const { grant, status, decidedBy, decidedAt, error, finishedAt } = unmarshall(item);
      return {
        ...(grant as StoredGrant),
        status,
        ...(decidedBy && { decidedBy }),
        ...(decidedAt && { decidedAt }),
        ...(error && { error }),
        ...(finishedAt && { finishedAt }),
      };
    },

    /**
     * Stores the member ids (chunks first: the same request writes the same chunks), then the grant under
     * attribute_not_exists. "exists": a grant with this id was stored before; nothing new was written.
     */
    async create(grant: StoredGrant, memberIds: readonly string[] = []): Promise<"created" | "exists"> {
      for (let chunk = 0; chunk * LIST_CHUNK_SIZE < memberIds.length; chunk += 1) {
        const ids = memberIds.slice(chunk * LIST_CHUNK_SIZE, (chunk + 1) * LIST_CHUNK_SIZE);
        await client.send(
          new PutItemCommand({
            TableName,
            Item: {
              ...grantChildKey(grant.grantId, GRANT_LIST_PREFIX, chunk),
              memberIds: { L: ids.map((id) => ({ S: id })) },
              expiresAt: expiresAt(grant.requestedAt),
            },
          }),
        );
      }
      const { status, ...base } = grant;
      const put = new PutItemCommand({
        TableName,
        Item: {
          ...grantKey(grant.grantId),
          ...marshall({ grant: base }, { removeUndefinedValues: true }),
          status: { S: status },
          expiresAt: expiresAt(grant.requestedAt),
        },
        ConditionExpression: "attribute_not_exists(PK)",
      });
      return (await conditionHeld(client.send(put))) ? "created" : "exists";
    },

    /** Moves the grant from one of `from` to `to`; false when it was in none of them. */
    transition(
      grantId: string,
      change: {
        from: readonly GrantStatus[];
        to: GrantStatus;
        decision?: { by: AdjustmentParty; at: string };
        error?: string;
        finishedAt?: string;
      },
    ): Promise<boolean> {
      const { sets, condition, names, values } = statusTransition({
        ...change,
        set: { error: change.error, finishedAt: change.finishedAt },
      });
      return update({
        Key: grantKey(grantId),
        UpdateExpression: `SET ${sets.join(", ")}${change.error === undefined ? " REMOVE #error" : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { ...names, "#error": "error" },
        ExpressionAttributeValues: values,
      });
    },

    /** One chunk of the uploaded member ids (empty when there is no such chunk). */
    async listChunk(grantId: string, chunk: number): Promise<string[]> {
      const item = await readItem(client, TableName, grantChildKey(grantId, GRANT_LIST_PREFIX, chunk));
      return (item?.memberIds?.L ?? []).map((v) => v.S ?? "");
    },

    async getPart(grantId: string, part: number): Promise<GrantPart> {
      const item = await readItem(client, TableName, grantChildKey(grantId, GRANT_PART_PREFIX, part));
      return item ? toPart(item, part) : { part, done: false, failed: 0, ...NO_COUNTS };
    },

    /** Every part that has started (strongly consistent). */
    async listParts(grantId: string): Promise<GrantPart[]> {
      const pk = grantPartitionKey(grantId);
      const items = await queryPrefix(client, { tableName: TableName, pk, prefix: GRANT_PART_PREFIX });
      return items.map((item) => toPart(item, Number((item.SK?.S ?? "").slice(GRANT_PART_PREFIX.length))));
    },

    /**
     * Counts a finished page and moves the part to `next` (or marks it done), only if it still stands at
     * `from`: false when another runner moved it first (this runner's page is then not counted twice).
     */
    checkpoint(
      grantId: string,
      page: { part: number; from: string | undefined; next: string | undefined; counts: PartCounts },
    ): Promise<boolean> {
      // Counter names (processed…) are DynamoDB reserved words: every attribute goes through a name.
      const names: Record<string, string> = { "#position": "position", "#done": "done", "#failed": "failed" };
      const values: Record<string, AttributeValue> = {
        ":false": { BOOL: false },
        ":done": { BOOL: page.next === undefined },
        ":zero": { N: "0" },
      };
      const adds = Object.entries(page.counts).map(([name, n]) => {
        names[`#${name}`] = name;
        values[`:${name}`] = { N: String(n) };
        return `#${name} :${name}`;
      });
      const sets = ["#done = :done", "#failed = :zero"];
      if (page.next !== undefined) {
        sets.push("#position = :next");
        values[":next"] = { S: page.next };
      }
      if (page.from !== undefined) values[":from"] = { S: page.from };
      return update({
        Key: grantChildKey(grantId, GRANT_PART_PREFIX, page.part),
        UpdateExpression: `SET ${sets.join(", ")} ADD ${adds.join(", ")}${page.next === undefined ? " REMOVE #position" : ""}`,
        ConditionExpression: `(attribute_not_exists(#done) OR #done = :false) AND ${
          page.from === undefined ? "attribute_not_exists(#position)" : "#position = :from"
        }`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    },

    /** Records how many members failed in the page a part stopped at (the page is retried whole). */
    async recordFailures(grantId: string, part: number, failed: number): Promise<void> {
      await update({
        Key: grantChildKey(grantId, GRANT_PART_PREFIX, part),
        UpdateExpression: "SET #failed = :failed",
        ExpressionAttributeNames: { "#failed": "failed" },
        ExpressionAttributeValues: { ":failed": { N: String(failed) } },
      });
    },
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;

function toPart(item: Record<string, AttributeValue>, part: number): GrantPart {
  const n = (name: string) => Number(item[name]?.N ?? 0);
  return {
    part,
    ...(item.position?.S !== undefined && { position: item.position.S }),
    done: item.done?.BOOL === true,
    failed: n("failed"),
    processed: n("processed"),
    granted: n("granted"),
    duplicates: n("duplicates"),
    notEligible: n("notEligible"),
    notFound: n("notFound"),
  };
}

/** The counts of every part together. */
export function sumParts(parts: readonly GrantPart[]): PartCounts & { failed: number; partsDone: number } {
  const total = { ...NO_COUNTS, failed: 0, partsDone: 0 };
  for (const p of parts) {
    total.processed += p.processed;
    total.granted += p.granted;
    total.duplicates += p.duplicates;
    total.notEligible += p.notEligible;
    total.notFound += p.notFound;
    total.failed += p.failed;
    if (p.done) total.partsDone += 1;
  }
  return total;
}
