import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type MemberState, migrationSourceKey, type Program, spendableBalance } from "../../domain";
import { nextReview, tierIndexFor, windowMonths } from "../../domain/tiers/qualifying";
import { utcDay } from "../../domain/time";
import {
  BUSINESS_KEY_SK,
  businessKeyPk,
  LEDGER_PREFIX,
  memberIdOfPk,
  PROFILE_SK,
  STATE_SK,
} from "../../functions/adapters/dynamo/keys";
import { decodeState, STATE_ATTRIBUTE } from "../../functions/adapters/dynamo/state-codec";
import type { ExpectedMember } from "./synthetic-members";

// Proof that an import landed exactly: the whole table is scanned once and every member compared with what the
// generated file says they are — the stored STATE decoded (balance, lots with their expiry, qualifying months,
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
  /** Only members whose id starts with this (and this import's keys) are looked at; default: the whole table. */
  idPrefix?: string;
  /** Scan segments read in parallel (default 4). */
  segments?: number;
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

async function scanSegment(
  options: VerifyImportOptions,
  segment: number,
  total: number,
  visit: (item: Item) => void,
) {
  let start: Item | undefined;
  do {
    const page = await options.client.send(
      new ScanCommand({
        TableName: options.tableName,
        Segment: segment,
        TotalSegments: total,
        ConsistentRead: true,
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) visit(item);
    start = page.LastEvaluatedKey;
  } while (start);
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
  const stored = new Map<string, Stored>();
  const entryOf = (memberId: string) => {
    const found = stored.get(memberId) ?? { ledger: [], key: false };
    stored.set(memberId, found);
    return found;
  };
  const keyPrefix = businessKeyPk(migrationSourceKey(options.importId, ""));
  const stray: string[] = [];
  let items = 0;
  const visit = (item: Item) => {
    const pk = item.PK?.S ?? "";
    const sk = item.SK?.S ?? "";
    if (pk === "PROGRAM") return;
    const memberId = memberIdOfPk(pk);
    const scope = options.idPrefix;
    if (scope !== undefined && !(memberId ?? pk.slice(keyPrefix.length)).startsWith(scope)) return;
    if (scope !== undefined && memberId === undefined && !pk.startsWith(keyPrefix)) return;
    items += 1;
    if (memberId !== undefined && sk === STATE_SK)
      entryOf(memberId).state = decodeState(item[STATE_ATTRIBUTE]);
    else if (memberId !== undefined && sk === PROFILE_SK)
      entryOf(memberId).email = (unmarshall(item.profile?.M ?? {}) as { email?: string }).email;
    else if (memberId !== undefined && sk.startsWith(LEDGER_PREFIX)) {
      const entry = unmarshall(item.entry?.M ?? {}) as Stored["ledger"][number] & {
        details?: { expiresOn?: string };
      };
      entryOf(memberId).ledger.push({
        kind: entry.kind,
        points: entry.points,
        statusPoints: entry.statusPoints,
        sourceKey: entry.sourceKey,
        ...(entry.details?.expiresOn && { expiresOn: entry.details.expiresOn }),
      });
    } else if (pk.startsWith(keyPrefix) && sk === BUSINESS_KEY_SK)
      entryOf(pk.slice(keyPrefix.length)).key = true;
    else stray.push(`${pk.split("#")[0]}/${sk.split("#")[0]}`);
  };
  const segments = options.segments ?? 4;
  await Promise.all(Array.from({ length: segments }, (_, s) => scanSegment(options, s, segments, visit)));

  const mismatches: string[] = [];
  let mismatchCount = 0;
  let exact = 0;
  let expectedItems = 0;
  const note = (text: string) => {
    mismatchCount += 1;
    if (mismatches.length < 50) mismatches.push(text);
  };
  for (const want of options.expected) {
    expectedItems += 3 + Math.max(1, want.lots.length);
    const differs = compare(want, stored.get(want.memberId), options);
    if (differs.length === 0) exact += 1;
    else note(`${want.memberId}: ${differs.join(", ")}`);
    stored.delete(want.memberId);
  }
  for (const memberId of stored.keys()) note(`${memberId}: not in the file, yet stored`);
  for (const item of stray) note(`unexpected item ${item}`);
  return { members: options.expected.length, exact, items, expectedItems, mismatches, mismatchCount };
}
