import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type * as z from "zod";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import { redeemReward } from "../../domain/member/redeem-reward";
import { memberPk } from "../adapters/dynamo/keys";
import type { redemptionSchema } from "./api-schemas";
import { UnprocessableError } from "./http-errors";
import { changeMember, type HttpApiDeps } from "./member-access";
import { voucherCode } from "./signed-token";

// POST /me/redemptions with an Idempotency-Key. The ledger entry and the STATE change are one transaction
// keyed on `redemption:<member>:<key>` (the repository's recent-keys ring turns a retry into "duplicate").
// A small REDEMPTION#<key> item, written after the commit, lets a retry at any later time return the
// first answer with one GetItem; if it is missing (crash right after the commit) the ledger is searched.

type Redemption = z.input<typeof redemptionSchema>;
type StoredRedemption = Omit<Redemption, "replayed" | "redemptionId">;

const recordKey = (memberId: string, key: string) => ({
  PK: { S: memberPk(memberId) },
  SK: { S: `REDEMPTION#${key}` },
});
const LEDGER_SEARCH_PAGES = 5;

async function getRecord(
  deps: HttpApiDeps,
  memberId: string,
  key: string,
): Promise<StoredRedemption | undefined> {
  const { Item } = await deps.client.send(
    new GetItemCommand({ TableName: deps.tableName, Key: recordKey(memberId, key), ConsistentRead: true }),
  );
  return Item?.redemption?.M ? (unmarshall(Item.redemption.M) as StoredRedemption) : undefined;
}

async function putRecord(
  deps: HttpApiDeps,
  memberId: string,
  key: string,
  record: StoredRedemption,
): Promise<void> {
  try {
    await deps.client.send(
      new PutItemCommand({
        TableName: deps.tableName,
        Item: { ...recordKey(memberId, key), redemption: { M: marshall(record) } },
        ConditionExpression: "attribute_not_exists(PK)",
      }),
    );
  } catch (error) {
    // Written by a concurrent retry of the same request: same content, nothing to do.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

function fromEntry(deps: HttpApiDeps, entry: LedgerEntry, sourceKey: string): StoredRedemption {
  if (entry.details?.type !== "redemption")
    throw new Error(`ledger entry ${entry.entryId} is not a redemption`);
  return {
    rewardId: entry.details.rewardId,
    voucherCode: voucherCode(deps.signer, sourceKey),
    pointsSpent: -entry.points,
    ledgerEntryId: entry.entryId,
    redeemedAt: entry.occurredAt,
  };
}

async function findInLedger(
  deps: HttpApiDeps,
  memberId: string,
  entryId: string,
): Promise<LedgerEntry | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < LEDGER_SEARCH_PAGES; page += 1) {
    const result = await deps.members.queryLedger<LedgerEntry>(memberId, {
      limit: 100,
      ...(cursor && { cursor }),
    });
    const found = result.records.find((r) => r.entry.entryId === entryId);
    if (found) return found.entry;
    if (!result.cursor) return undefined;
    cursor = result.cursor;
  }
  return undefined;
}

function answer(key: string, record: StoredRedemption, rewardId: string, replayed: boolean): Redemption {
  if (record.rewardId !== rewardId) {
    throw new UnprocessableError(
      `Idempotency-Key ${key} was already used to redeem ${record.rewardId}; use a new key for a new redemption.`,
      "idempotency-key-reused",
    );
  }
  return { ...record, redemptionId: key, replayed };
}

export async function redeem(
  deps: HttpApiDeps,
  memberId: string,
  key: string,
  rewardId: string,
  now: Date,
): Promise<Redemption> {
  const stored = await getRecord(deps, memberId, key);
  if (stored) return answer(key, stored, rewardId, true);
  const sourceKey = `redemption:${memberId}:${key}`;
  const outcome = await changeMember(deps, memberId, sourceKey, now, (state, program) =>
    redeemReward(state, program, rewardId, { now, redemptionKey: sourceKey }),
  );
  if (outcome.outcome === "duplicate") {
    // The first request committed; its record may not be written yet, the ledger entry is.
    const record =
      (await getRecord(deps, memberId, key)) ?? (await findInLedger(deps, memberId, `redeem:${sourceKey}`));
    if (!record)
      throw new Error(`redemption ${sourceKey} was applied but its ledger entry is not in the newest pages`);
    const first = "entryId" in record ? fromEntry(deps, record, sourceKey) : record;
    return answer(key, first, rewardId, true);
  }
  const entry = outcome.result.entries.find((e) => e.kind === "redeem");
  if (!entry) throw new Error("redeemReward returned no redeem entry");
  const record = fromEntry(deps, entry, sourceKey);
  await putRecord(deps, memberId, key, record);
  return answer(key, record, rewardId, false);
}
