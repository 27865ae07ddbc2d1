import { BatchWriteItemCommand, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolMember, type MemberState, type Program, spendableBalance } from "../../../domain";
import { addSpendable } from "../../../domain/ledger/lots";
import { createGrantStore, type StoredGrant } from "../../../functions/adapters/dynamo/grant-store";
import { LEDGER_PREFIX, memberIdOfPk, memberPk, STATE_SK } from "../../../functions/adapters/dynamo/keys";
import { createProgramRepository } from "../../../functions/adapters/dynamo/program-repository";
import { stateAttribute } from "../../../functions/adapters/dynamo/state-codec";
import { DEFAULT_SCAN_PARTS } from "../../../functions/grants/grant-audience";
import { grantRunDeps } from "../../../functions/grants/grant-run-deps";
import { type GrantRunDeps, grantPayload, runGrant } from "../../../functions/grants/run-grant";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { seedExampleProgram } from "../../../scripts/local/table";
import { createTestTable, dedicatedDynamoLocal, dynamoClient, type TestTable } from "../support/dynamo";

// A bulk grant to 20,000 members of a segment on DynamoDB Local: the first run dies part-way (every write
// fails after a few thousand members, and one commit's response is lost), a second run resumes it, and every
// member of the segment ends with exactly one entry of the grant and their balance up by exactly its points;
// members outside the segment get nothing.

const IN_SEGMENT = 20_000;
const OUTSIDE = 1_000;
const OPENING = 100;
const GRANT_POINTS = 40;
const FAIL_AFTER = 6_000;

let dynamo: DynamoLocal;
let client: DynamoDBClient;
let table: TestTable;
let program: Program;
const now = new Date();
const enrolledAt = new Date(now.getTime() - 30 * 86_400_000).toISOString();

const memberId = (i: number) => `bg-${String(i).padStart(6, "0")}`;

/** A STATE item as the pipeline would store it: an enrolled member, scored into `segment`, with opening points. */
function stateItem(id: string, segment: string) {
  const state: MemberState = enrolMember(id, enrolledAt, program).state;
  addSpendable(state.points, "2099-01-01", OPENING);
  state.scores = {
    segment,
    recency: 4,
    frequency: 4,
    monetary: 4,
    probabilityAlive: 0.9,
    expectedOrderValueMinor: 2_000,
    clvMinor: 20_000,
    scoredOn: enrolledAt.slice(0, 10),
    modelVersion: "test",
  };
  return {
    PK: { S: memberPk(id) },
    SK: { S: STATE_SK },
    state: stateAttribute(state),
    version: { N: "1" },
    recentKeys: { L: [] },
  };
}

async function seed(count: number, offset: number, segment: string): Promise<void> {
  const items = Array.from({ length: count }, (_, i) => stateItem(memberId(offset + i), segment));
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table.tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Every item of the table: grant ledger entries per member, and each member's state. */
async function readBack(grantId: string) {
  const entries = new Map<string, number>();
  const states = new Map<string, MemberState>();
  const { decodeState } = await import("../../../functions/adapters/dynamo/state-codec");
  let start: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table.tableName, ...(start && { ExclusiveStartKey: start }) }),
    );
    for (const item of page.Items ?? []) {
      const id = memberIdOfPk(item.PK?.S);
      if (id === undefined) continue;
      const sk = item.SK?.S ?? "";
      if (sk === STATE_SK) states.set(id, decodeState<MemberState>(item.state));
      else if (sk.startsWith(LEDGER_PREFIX)) {
        const entry = unmarshall(item).entry as { kind: string; ruleIds: string[] };
        if (entry.kind === "grant" && entry.ruleIds.includes(`grant-${grantId}`))
          entries.set(id, (entries.get(id) ?? 0) + 1);
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { entries, states };
}

/** Every TransactWriteItems after the first `after` fails; the `lostAt`-th commits but its answer is lost. */
function crashAfter(target: DynamoDBClient, after: number, lostAt: number): void {
  let seen = 0;
  target.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      seen += 1;
      if (seen > after) throw new Error("injected: the run's writes fail from here on");
      const result = await next(args);
      if (seen === lostAt) throw new Error("injected: commit answer lost");
      return result;
    },
    { step: "initialize", name: "injectedGrantCrash" },
  );
}

function runDeps(target: DynamoDBClient): GrantRunDeps {
  return grantRunDeps({ client: target, tableName: table.tableName });
}

beforeAll(async () => {
  dynamo = await dedicatedDynamoLocal();
  client = dynamoClient(dynamo.endpoint, 3);
  table = await createTestTable(dynamo.endpoint);
  await seedExampleProgram(client, table.tableName);
  const found = await createProgramRepository({ client, tableName: table.tableName }).inEffectAt(now);
  if (!found) throw new Error("no program in effect");
  program = found;
  await seed(IN_SEGMENT, 0, "champions");
  await seed(OUTSIDE, IN_SEGMENT, "at risk");
}, 240_000);
afterAll(async () => {
  await table?.drop();
  client?.destroy();
  await dynamo?.stop();
});

describe("bulk grant to a segment on DynamoDB Local", () => {
  it("gives 20,000 members exactly one entry each across an injected failure and a retry", async () => {
    const grants = createGrantStore({ client, tableName: table.tableName });
    const grant: StoredGrant = {
      grantId: "bulkgrant-test-0000001",
      points: GRANT_POINTS,
      reason: "Thank you for being a champion",
      audience: { kind: "segment", segment: "champions" },
      status: "approved",
      needsApproval: true,
      requestedBy: { sub: "sub-a", name: "marketer-a" },
      requestedAt: now.toISOString(),
      decidedBy: { sub: "sub-b", name: "marketer-b" },
      decidedAt: now.toISOString(),
      preview: { members: IN_SEGMENT, totalPoints: IN_SEGMENT * GRANT_POINTS, costMinor: 0, currency: "EUR" },
      parts: DEFAULT_SCAN_PARTS,
      payload: grantPayload({ points: GRANT_POINTS, reason: "Thank you for being a champion" }),
      idempotencyKey: "bulk-grant-test",
    };
    expect(await grants.create(grant)).toBe("created");

    const crashing = dynamoClient(dynamo.endpoint, 1);
    crashAfter(crashing, FAIL_AFTER, FAIL_AFTER / 2);
    const first = await runGrant(runDeps(crashing), grant.grantId, { memberAttempts: 2 });
    crashing.destroy();
    expect(first.status).toBe("failed");
    expect(first.errors.length).toBeGreaterThan(0);
    expect(first.granted).toBeLessThan(IN_SEGMENT);
    expect((await grants.get(grant.grantId))?.status).toBe("failed");

    const second = await runGrant(runDeps(client), grant.grantId);
    expect(second).toMatchObject({ status: "done", errors: [], partsDone: DEFAULT_SCAN_PARTS, failed: 0 });
    expect(second.granted).toBe(IN_SEGMENT);
    expect(second.notEligible).toBe(0);
    // The members the first run credited in pages it never finished were met again, and not credited again.
    expect(second.duplicates).toBeGreaterThan(0);

    const { entries, states } = await readBack(grant.grantId);
    expect(entries.size).toBe(IN_SEGMENT);
    expect([...entries.values()].every((n) => n === 1)).toBe(true);
    for (let i = 0; i < IN_SEGMENT + OUTSIDE; i += 1) {
      const state = states.get(memberId(i));
      if (!state) throw new Error(`member ${memberId(i)} is missing`);
      expect(spendableBalance(state)).toBe(i < IN_SEGMENT ? OPENING + GRANT_POINTS : OPENING);
    }

    // A third run finds the grant done and changes nothing.
    const third = await runGrant(runDeps(client), grant.grantId);
    expect(third).toMatchObject({ status: "done", granted: IN_SEGMENT });
  }, 600_000);
});
