import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type MemberState, migrationSourceKey, type Program, spendableBalance } from "../../domain";
import { nextReview, tierIndexFor, windowMonths } from "../../domain/tiers/qualifying";
import { utcDay } from "../../domain/time";
import { batchGetItems } from "../../functions/adapters/dynamo/batch-get";
import {
  BUSINESS_KEY_SK,
  businessKeyPk,
  LEDGER_PREFIX,
  memberIdOfPk,
  memberPk,
  PROFILE_SK,
  PROGRAM_PK,
  STATE_SK,
} from "../../functions/adapters/dynamo/keys";
import { queryAll } from "../../functions/adapters/dynamo/query-items";
import { decodeState, STATE_ATTRIBUTE } from "../../functions/adapters/dynamo/state-codec";
import type { ExpectedMember } from "./synthetic-members";

// Proof that an import landed exactly: every member read by key (STATE, PROFILE, business key, ledger Query)
// and compared with what the generated file says they are — the stored STATE decoded (balance, lots with their expiry, qualifying months,
// tier and the day it is kept until, punch cards, unlocked rewards, nothing pending, no debt), the ledger
// (one migration entry per lot, summing to the balance), the business key and the PROFILE — and no item the
// import should not have written. For the bench and the integration tests.

export interface VerifyImportOptions {
  client: DynamoDBClient;
  tableName: string;
  program: Program;
  importId: string;
  importedAt: string;
  expected: readonly ExpectedMember[];
  /** Set when the table holds other members too: the table's item count is then not checked. */
  idPrefix?: string;
  /** Chunks of 33 members read at once (default 4). */
  concurrency?: number;
}

export interface ImportVerification {
  /** Members the file promised. */
  members: number;
  /** Members stored exactly as promised. */
  exact: number;
  /** Items in the table apart from the program. */
  items: number;
  /** Items the import should have written (STATE, PROFILE, ledger entries, business keys). */
  expectedItems: number;
  /** Every difference found (the first 50), by member and aspect, never a personal value. */
  mismatches: string[];
  mismatchCount: number;
}

interface Stored {
  state?: MemberState;
  email?: string;
  ledger: { kind: string; points: number; statusPoints: number; sourceKey: string; expiresOn?: string }[];
  key: boolean;
}

type Item = Record<string, AttributeValue>;
type Key = { PK: { S: string }; SK: { S: string } };

const KEYS_PER_BATCH = 99;

/** Items by key, read with BatchGetItem (unprocessed keys asked again after a backoff). */
const getItems = (options: VerifyImportOptions, keys: Key[]): Promise<Item[]> =>
  batchGetItems(options.client, options.tableName, keys, { consistentRead: true });

function ledgerOf(options: VerifyImportOptions, memberId: string): Promise<Item[]> {
  return queryAll(options.client, {
    TableName: options.tableName,
    KeyConditionExpression: "PK = :pk AND begins_with(SK, :ledger)",
    ExpressionAttributeValues: { ":pk": { S: memberPk(memberId) }, ":ledger": { S: LEDGER_PREFIX } },
    ConsistentRead: true,
  });
}

/** One member's items, by key (a Scan of DynamoDB Local slows to seconds a page on a big table). */
async function readMembers(options: VerifyImportOptions, ids: string[]): Promise<Map<string, Stored>> {
  const stored = new Map<string, Stored>(ids.map((id) => [id, { ledger: [], key: false }]));
  const keys = ids.flatMap((id): Key[] => [
    { PK: { S: memberPk(id) }, SK: { S: STATE_SK } },
    { PK: { S: memberPk(id) }, SK: { S: PROFILE_SK } },
    { PK: { S: businessKeyPk(migrationSourceKey(options.importId, id)) }, SK: { S: BUSINESS_KEY_SK } },
  ]);
  for (const item of await getItems(options, keys)) {
    const pk = item.PK?.S ?? "";
    const memberId = memberIdOfPk(pk);
    const entry = memberId === undefined ? undefined : stored.get(memberId);
    if (entry && item.SK?.S === STATE_SK) entry.state = decodeState<MemberState>(item[STATE_ATTRIBUTE]);
    else if (entry) entry.email = (unmarshall(item.profile?.M ?? {}) as { email?: string }).email;
    else {
      const keyed = stored.get(pk.slice(businessKeyPk(migrationSourceKey(options.importId, "")).length));
      if (keyed) keyed.key = true;
    }
  }
  await Promise.all(
    ids.map(async (id) => {
      for (const item of await ledgerOf(options, id)) {
        const entry = unmarshall(item.entry?.M ?? {}) as Stored["ledger"][number] & {
          details?: { expiresOn?: string };
        };
        stored.get(id)?.ledger.push({
          kind: entry.kind,
          points: entry.points,
          statusPoints: entry.statusPoints,
          sourceKey: entry.sourceKey,
          ...(entry.details?.expiresOn && { expiresOn: entry.details.expiresOn }),
        });
      }
    }),
  );
  return stored;
}

/** Items in the table apart from the program's (DynamoDB Local keeps ItemCount live). */
async function tableItems(options: VerifyImportOptions): Promise<number> {
  const { Table } = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
  const { Count } = await options.client.send(
    new QueryCommand({
      TableName: options.tableName,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": { S: PROGRAM_PK } },
      Select: "COUNT",
    }),
  );
  return (Table?.ItemCount ?? 0) - (Count ?? 0);
}

/** The tier a member without one in the file must have: the one their months reach, reviewed a window on. */
function derivedTier(want: ExpectedMember, program: Program, today: string) {
  const { first, last } = windowMonths(program, today);
  const field = program.tierQualification.metric === "statusPoints" ? "statusPoints" : "spendMinor";
  const metric = want.qualifying
    .filter((m) => m.month >= first && m.month <= last)
    .reduce((sum, m) => sum + m[field], 0);
  return { tierId: program.tiers[tierIndexFor(program, metric)]?.id, keepsUntil: nextReview(program, today) };
}

function compare(want: ExpectedMember, got: Stored | undefined, options: VerifyImportOptions): string[] {
  const state = got?.state;
  if (!got || !state) return ["no STATE item"];
  const differs: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const today = utcDay(options.importedAt);
  if (spendableBalance(state) !== want.balance) differs.push("balance");
  if (!same(state.points.lots, want.lots)) differs.push("lots");
  if (state.points.pending.length > 0 || state.points.debt !== 0) differs.push("pending or debt");
  if (!same(state.qualifying, want.qualifying)) differs.push("qualifying");
  const tier = want.tierId
    ? { tierId: want.tierId, keepsUntil: want.keepsUntil }
    : derivedTier(want, options.program, today);
  if (state.tier.tierId !== tier.tierId || state.tier.reviewOn !== tier.keepsUntil) differs.push("tier");
  if (!same(state.frequency.punchCards, want.punchCards)) differs.push("punch_cards");
  if (!same(state.rewards.unlocked, want.unlocked)) differs.push("unlocked_rewards");
  const sourceKey = migrationSourceKey(options.importId, want.memberId);
  const ledger = got.ledger;
  const ledgerOk =
    ledger.length === Math.max(1, want.lots.length) &&
    ledger.every((e) => e.kind === "migration" && e.sourceKey === sourceKey) &&
    ledger.reduce((sum, e) => sum + e.points, 0) === want.balance &&
    same(
      ledger.map((e) => e.expiresOn ?? "").sort(),
      want.lots
        .map((l) => l.expiresOn)
        .sort()
        .concat(want.lots.length === 0 ? [""] : []),
    ) &&
    ledger.reduce((sum, e) => sum + e.statusPoints, 0) ===
      want.qualifying.reduce((sum, m) => sum + m.statusPoints, 0);
  if (!ledgerOk) differs.push("ledger");
  if (!got.key) differs.push("business key");
  if (got.email !== want.email) differs.push("profile");
  return differs;
}

export async function verifyImport(options: VerifyImportOptions): Promise<ImportVerification> {
  const mismatches: string[] = [];
  let mismatchCount = 0;
  let exact = 0;
  let expectedItems = 0;
  let items = 0;
  const note = (text: string) => {
    mismatchCount += 1;
    if (mismatches.length < 50) mismatches.push(text);
  };
  const chunks: ExpectedMember[][] = [];
  for (let i = 0; i < options.expected.length; i += KEYS_PER_BATCH / 3)
    chunks.push(options.expected.slice(i, i + KEYS_PER_BATCH / 3));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] ?? [];
      const stored = await readMembers(
        options,
        chunk.map((m) => m.memberId),
      );
      for (const want of chunk) {
        const got = stored.get(want.memberId);
        items += (got?.state ? 1 : 0) + (got?.email !== undefined ? 1 : 0) + (got?.key ? 1 : 0);
        items += got?.ledger.length ?? 0;
        expectedItems += 3 + Math.max(1, want.lots.length);
        const differs = compare(want, got, options);
        if (differs.length === 0) exact += 1;
        else note(`${want.memberId}: ${differs.join(", ")}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  // Nothing else written: the table holds exactly the promised items (only when the import had it alone).
  const inTable = options.idPrefix === undefined ? await tableItems(options) : items;
  if (inTable !== expectedItems) note(`the table holds ${inTable} items for ${expectedItems} expected`);
  return {
    members: options.expected.length,
    exact,
    items: inTable,
    expectedItems,
    mismatches,
    mismatchCount,
  };
}
