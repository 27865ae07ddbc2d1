import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { type GrantAudience, inAudience } from "../../domain/grants/grant-points";
import type { MemberState } from "../../domain/member/member-state";
import type { GrantStore } from "../adapters/dynamo/grant-store";
import { memberIdOfPk, STATE_SK } from "../adapters/dynamo/keys";
import type { MemberRepository } from "../adapters/dynamo/member-repository";
import { decodeState, STATE_ATTRIBUTE } from "../adapters/dynamo/state-codec";

// Who a grant goes to, a page at a time. A segment, tier or stage audience is a parallel Scan of the STATE
// items (the analytics job's pattern: the state is one encoded attribute, so DynamoDB cannot filter on it;
// every item is read and the domain's `inAudience` keeps the members); part i is Scan segment i. An uploaded
// list is stored in chunks beside the grant; part i is chunk i. Each page ends at a position a later run
// resumes from.

export interface AudienceSource {
  client: DynamoDBClient;
  tableName: string;
  grants: GrantStore;
  members: Pick<MemberRepository, "getMembers">;
}

export interface AudiencePage {
  memberIds: string[];
  /** Where the part's next page starts; absent after its last page. */
  next?: string;
}

/** Parallel Scan segments of a segment, tier or stage audience: the parts of its run. */
export const DEFAULT_SCAN_PARTS = 8;

/** How many parts a grant's run has. */
export function partsOf(audience: GrantAudience, listChunkSize: number, scanParts: number): number {
  return audience.kind === "list" ? Math.max(1, Math.ceil(audience.size / listChunkSize)) : scanParts;
}

async function scanPage(
  source: AudienceSource,
  scan: { segment: number; totalSegments: number; limit: number; start?: Record<string, AttributeValue> },
): Promise<{ members: { memberId: string; state: MemberState }[]; next?: Record<string, AttributeValue> }> {
  const result = await source.client.send(
    new ScanCommand({
      TableName: source.tableName,
      Segment: scan.segment,
      TotalSegments: scan.totalSegments,
      Limit: scan.limit,
      FilterExpression: "#sk = :state",
      ProjectionExpression: "PK, #st",
      ExpressionAttributeNames: { "#sk": "SK", "#st": STATE_ATTRIBUTE },
      ExpressionAttributeValues: { ":state": { S: STATE_SK } },
      ...(scan.start && { ExclusiveStartKey: scan.start }),
    }),
  );
  const members: { memberId: string; state: MemberState }[] = [];
  for (const item of result.Items ?? []) {
    const memberId = memberIdOfPk(item.PK?.S);
    if (memberId !== undefined)
      members.push({ memberId, state: decodeState<MemberState>(item[STATE_ATTRIBUTE]) });
  }
  return { members, ...(result.LastEvaluatedKey && { next: result.LastEvaluatedKey }) };
}

/** One page of part `part` from `position` (undefined: the part's start). */
export async function audiencePage(
  source: AudienceSource,
  page: {
    grantId: string;
    audience: GrantAudience;
    part: number;
    parts: number;
    position: string | undefined;
    /** Items a Scan page reads, or ids a list page takes. */
    size: number;
  },
): Promise<AudiencePage> {
  if (page.audience.kind === "list") {
    const ids = await source.grants.listChunk(page.grantId, page.part);
    const from = page.position === undefined ? 0 : Number(page.position);
    const to = from + page.size;
    return { memberIds: ids.slice(from, to), ...(to < ids.length && { next: String(to) }) };
  }
  const audience = page.audience;
  const { members, next } = await scanPage(source, {
    segment: page.part,
    totalSegments: page.parts,
    limit: page.size,
    ...(page.position !== undefined && { start: JSON.parse(page.position) }),
  });
  return {
    memberIds: members.filter((m) => inAudience(audience, m.state)).map((m) => m.memberId),
    ...(next && { next: JSON.stringify(next) }),
  };
}

/** How many members the audience holds now: a full parallel Scan, or the listed ids that exist. */
export async function countAudience(
  source: AudienceSource,
  audience: GrantAudience,
  options: { memberIds?: readonly string[]; scanParts?: number } = {},
): Promise<number> {
  if (audience.kind === "list") return (await source.members.getMembers(options.memberIds ?? [])).size;
  const totalSegments = options.scanParts ?? DEFAULT_SCAN_PARTS;
  const counts = await Promise.all(
    Array.from({ length: totalSegments }, async (_, segment) => {
      let count = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await scanPage(source, {
          segment,
          totalSegments,
          limit: 1_000,
          ...(start && { start }),
        });
        count += page.members.filter((m) => inAudience(audience, m.state)).length;
        start = page.next;
      } while (start);
      return count;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** `countAudience` with its source bound once (the HTTP API's grant preview holds one). */
export interface AudienceCounter {
  count(
    audience: GrantAudience,
    options?: { memberIds?: readonly string[]; scanParts?: number },
  ): Promise<number>;
}

export function createAudienceCounter(source: AudienceSource): AudienceCounter {
  return { count: (audience, options) => countAudience(source, audience, options) };
}
