import { type MemberState, migrateMember, migrationSourceKey, type Program } from "../../domain";
import { migrationProblems } from "../../domain/migration/migrate-member";
import { splitMigrationEntries } from "../../domain/migration/migration-parts";
import { toIsoInstant } from "../../domain/time";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import type { MemberRepository } from "../adapters/dynamo/member-repository";
import { IMPORT_PART_SIZES, MEMBER_LEFT, unfinishedMembers, writeLaterParts } from "./import-parts";
import { type ImportRow, migratedMember, profileChanges, type RowProblem } from "./import-row-schema";

// Writing checked import rows to the table, a batch at a time (the CLI locally; a Distributed Map worker
// later). A member arrives in ONE transaction (STATE, the business-key record `migration:<import>:<member>` and one
// ledger entry per lot, and the PROFILE), so a member is imported whole or not at all, and once: a re-run
// finds the key. A member with more lots than that transaction holds gets the rest of its ledger in later
// parts (import-parts.ts), which a re-run completes if a run stopped between them. A member Patron already
// holds (state or profile: enrolled, or imported by another import) is never overwritten.

export interface CheckedRow {
  /** Line of the row in the file. */
  row: number;
  data: ImportRow;
}

export type RowOutcome =
  | { row: number; memberId: string; outcome: "imported" | "already-imported" }
  | { row: number; memberId: string; outcome: "rejected"; field: string; reason: string };

export interface ImportContext {
  members: MemberRepository;
  program: Program;
  importId: string;
  importedAt: string;
}

export const MEMBER_EXISTS = "the member already exists in Patron; an import never overwrites a member";
export const DUPLICATE_MEMBER = "the member is on an earlier row of the file";
export const IMPORTED_DIFFERENTLY = "this import id already imported the member with other data";

type StoredMember = MemberState & Record<string, unknown>;

const payloadOf = (row: ImportRow) => payloadFingerprint({ migration: row });

/** The program-level problems of a row (tier, lots, months, cards), as the domain sees them. */
export function domainProblems(ctx: Omit<ImportContext, "members">, row: CheckedRow): RowProblem[] {
  return migrationProblems(migratedMember(row.data), ctx.program, toIsoInstant(ctx.importedAt)).map((p) => ({
    row: row.row,
    ...p,
  }));
}

/**
 * What writing these rows would do, from reads only: a member already stored was imported before by this
 * import (same data), or is someone Patron already holds. Members not stored come back as "fresh", and so do
 * members this import created whose later parts are not all stored (importMember completes them).
 */
export async function classifyRows(
  ctx: ImportContext,
  rows: readonly CheckedRow[],
): Promise<{ fresh: CheckedRow[]; settled: RowOutcome[] }> {
  const ids = rows.map((r) => r.data.member_id);
  const stored = await ctx.members.getMembers(ids);
  const held = rows.filter((r) => stored.has(r.data.member_id));
  const applied = await ctx.members.getAppliedKeys(
    held.map((r) => migrationSourceKey(ctx.importId, r.data.member_id)),
  );
  const ours = held.flatMap((row) => {
    const memberId = row.data.member_id;
    const key = applied.get(migrationSourceKey(ctx.importId, memberId));
    return key?.memberId === memberId && key.payload === payloadOf(row.data) ? [{ memberId, key }] : [];
  });
  const unfinished = await unfinishedMembers(ctx, ours);
  const oursIds = new Set(ours.map((o) => o.memberId));
  const fresh = rows.filter((r) => !stored.has(r.data.member_id) || unfinished.has(r.data.member_id));
  const settled = held
    .filter((row) => !unfinished.has(row.data.member_id))
    .map((row): RowOutcome => {
      const memberId = row.data.member_id;
      if (oursIds.has(memberId)) return { row: row.row, memberId, outcome: "already-imported" };
      const known = applied.has(migrationSourceKey(ctx.importId, memberId));
      const reason = known ? IMPORTED_DIFFERENTLY : MEMBER_EXISTS;
      return { row: row.row, memberId, outcome: "rejected", field: "member_id", reason };
    });
  return { fresh, settled };
}

/**
 * Writes one member (state, business key, profile and the first ledger entries in one transaction, the rest of
 * the ledger in later parts); idempotent, and completes a member a stopped run left unfinished.
 */
export async function importMember(ctx: ImportContext, row: CheckedRow): Promise<RowOutcome> {
  const memberId = row.data.member_id;
  const outcome = migrateMember(migratedMember(row.data), ctx.program, ctx);
  if (!outcome.ok) {
    const first = outcome.problems[0];
    return {
      row: row.row,
      memberId,
      outcome: "rejected",
      field: first?.field ?? "row",
      reason: first?.reason ?? "",
    };
  }
  const parts = splitMigrationEntries(outcome.entries, IMPORT_PART_SIZES);
  const payload = payloadOf(row.data);
  const result = await ctx.members.commit({
    memberId,
    previous: undefined,
    nextState: outcome.state as StoredMember,
    entries: parts[0] ?? [],
    parts: parts.length,
    sourceKey: outcome.sourceKey,
    payload,
    // The profile in the same transaction: a member arrives whole, and an existing profile is a conflict.
    extraActions: [ctx.members.newProfilePut(memberId, profileChanges(row.data))],
  });
  if (result.outcome === "conflict")
    return { row: row.row, memberId, outcome: "rejected", field: "member_id", reason: MEMBER_EXISTS };
  if (result.outcome === "key-conflict")
    return { row: row.row, memberId, outcome: "rejected", field: "member_id", reason: IMPORTED_DIFFERENTLY };
  // Here the member is this import's (just created, or by an earlier run with the same data).
  const later = await writeLaterParts(ctx, { memberId, ownerKey: outcome.sourceKey, payload, parts });
  if (later.outcome === "stopped") {
    const reason = later.reason === "key-conflict" ? IMPORTED_DIFFERENTLY : MEMBER_LEFT;
    return {
      row: row.row,
      memberId,
      outcome: "rejected",
      field: later.reason === "key-conflict" ? "member_id" : "lots",
      reason,
    };
  }
  const wrote = result.outcome === "committed" || later.written > 0;
  return { row: row.row, memberId, outcome: wrote ? "imported" : "already-imported" };
}
