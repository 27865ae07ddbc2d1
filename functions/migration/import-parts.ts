import type { LedgerEntry, MemberState } from "../../domain";
import { migrationPartKey, type PartSizes } from "../../domain/migration/migration-parts";
import type { AppliedKey } from "../adapters/dynamo/business-keys";
import type { LedgerPartResult, MemberRepository } from "../adapters/dynamo/member-repository";
import { withOptimisticRetry } from "../adapters/dynamo/optimistic-retry";

// A member with more lots than one transaction holds is imported in parts (domain/migration/migration-parts.ts):
// the member first — STATE with the full balance, the business key (noting the part count), PROFILE and the
// first 97 entries, under every conflict check of a one-part member — then the rest of the ledger, part by part
// in order (adapters/dynamo/ledger-parts.ts). A run interrupted between parts leaves a member whose balance is
// right and whose ledger lacks the later parts' entries; a re-run finds the last part's key missing and writes
// what is missing, each part once. A member merged or erased between parts gets no more entries (a merged
// member's ledger is history, an erased member is left alone): its balance stays whole — STATE holds every lot
// from the first part on — its ledger lacks the remaining entries, and the row is reported (MEMBER_LEFT).

/**
 * Entries per part. FROZEN: a part's business key names entries by position, so a changed size would make a
 * re-run of a partly imported member propose other parts. The first part's transaction also holds STATE, the
 * business key and PROFILE (member-commit.ts allows 98 entries and extra actions); a later part's holds its
 * own key and three checks (ledger-parts.ts MAX_PART_ENTRIES).
 */
export const IMPORT_PART_SIZES: PartSizes = { firstPart: 97, laterParts: 96 };

export const MEMBER_LEFT =
  "the member was merged or erased before the import wrote all its lots: the balance is whole, the ledger lacks the remaining migration entries";

export interface PartsContext {
  members: MemberRepository;
  importId: string;
}

type PartOutcome = Exclude<LedgerPartResult, { outcome: "conflict" }> | { outcome: "member-left" };

/** Part `index` (0-based, from 1) once: against a freshly read STATE that is not merged, retried on conflict. */
async function writePart(
  ctx: PartsContext,
  input: {
    memberId: string;
    ownerKey: string;
    payload: string;
    entries: readonly LedgerEntry[];
    part: number;
  },
): Promise<PartOutcome> {
  return withOptimisticRetry(async () => {
    const snapshot = await ctx.members.getMember<MemberState & Record<string, unknown>>(input.memberId);
    // A merged member's balance moved to the survivor; its ledger is history and gets no more entries. An
    // erased member (its ERASURE record) is refused by the write's own condition.
    if (!snapshot || snapshot.state.status === "merged") return { outcome: "member-left" as const };
    return ctx.members.writeLedgerPart({
      memberId: input.memberId,
      stateVersion: snapshot.version,
      ownerKey: input.ownerKey,
      partKey: migrationPartKey(ctx.importId, input.memberId, input.part),
      payload: input.payload,
      entries: input.entries,
    });
  });
}

/**
 * Writes the parts after the first, in order (so the last part's key stands for them all); parts already
 * written are skipped by their keys. `written`: parts this call wrote; "stopped": why the rest cannot be.
 */
export async function writeLaterParts(
  ctx: PartsContext,
  member: { memberId: string; ownerKey: string; payload: string; parts: readonly (readonly LedgerEntry[])[] },
): Promise<
  { outcome: "complete"; written: number } | { outcome: "stopped"; reason: "member-left" | "key-conflict" }
> {
  let written = 0;
  for (let index = 1; index < member.parts.length; index += 1) {
    const entries = member.parts[index] ?? [];
    const result = await writePart(ctx, { ...member, entries, part: index + 1 });
    if (result.outcome === "written") written += 1;
    else if (result.outcome === "key-conflict") return { outcome: "stopped", reason: "key-conflict" };
    else if (result.outcome !== "duplicate") return { outcome: "stopped", reason: "member-left" };
  }
  return { outcome: "complete", written };
}

/**
 * Members whose import key says they came in several parts but whose last part is not stored: interrupted, to
 * be completed. One read per multi-part member (batched); a one-part member costs nothing.
 */
export async function unfinishedMembers(
  ctx: PartsContext,
  applied: readonly { memberId: string; key: AppliedKey }[],
): Promise<Set<string>> {
  const lastKeys = new Map(
    applied
      .filter(({ key }) => (key.parts ?? 1) > 1)
      .map(({ memberId, key }) => [migrationPartKey(ctx.importId, memberId, key.parts ?? 1), memberId]),
  );
  if (lastKeys.size === 0) return new Set();
  const found = await ctx.members.getAppliedKeys([...lastKeys.keys()]);
  return new Set([...lastKeys].filter(([key]) => !found.has(key)).map(([, memberId]) => memberId));
}
