import { describe, expect, it } from "vitest";
import { type MigratedMember, migrateMember } from "../../../domain";
import { addDays } from "../../../domain/time";
import { MAX_PART_ENTRIES } from "../../../functions/adapters/dynamo/ledger-parts";
import { encodeState } from "../../../functions/adapters/dynamo/state-codec";
import { IMPORT_PART_SIZES } from "../../../functions/migration/import-parts";
import { MAX_IMPORT_LOTS, parseImportRow } from "../../../functions/migration/import-row-schema";
import { programWith } from "../domain/fixtures";

// The lots one imported member may bring, and why the bound holds: the STATE item keeps every lot (one per expiry
// day), and the parts the ledger is written in fit their transactions.

const row = (lots: number) => ({
  lots: Array.from({ length: lots }, (_, i) => `${987_654 + i}@${addDays("2026-04-01", i)}`).join(";"),
});

describe("lots of an imported member", () => {
  it(`accepts ${MAX_IMPORT_LOTS} lots and names the field beyond`, () => {
    const lotProblems = (lots: number) => {
      const parsed = parseImportRow(row(lots), 2);
      return parsed.ok ? [] : parsed.problems.filter((p) => p.field === "lots");
    };
    expect(lotProblems(MAX_IMPORT_LOTS)).toEqual([]);
    expect(lotProblems(MAX_IMPORT_LOTS + 1)).toEqual([
      { row: 2, field: "lots", reason: `at most ${MAX_IMPORT_LOTS} lots` },
    ]);
  });

  it("keeps the most lots in a STATE item of a few KB", () => {
    const lots = Array.from({ length: MAX_IMPORT_LOTS }, (_, i) => ({
      points: 987_654 + i * 7,
      expiresOn: addDays("2026-04-01", i * 3),
    }));
    const member: MigratedMember = { memberId: "m-1", balance: lots.reduce((s, l) => s + l.points, 0), lots };
    const outcome = migrateMember(member, programWith(), {
      importId: "i",
      importedAt: "2026-03-10T08:00:00Z",
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.state.points.lots).toHaveLength(MAX_IMPORT_LOTS);
    const bytes = encodeState(outcome.state).byteLength;
    // Far below DynamoDB's 400 KB item limit; every later write of the member replaces it (1 WU per KB).
    expect(bytes, `${bytes} bytes`).toBeLessThan(16 * 1024);
  });

  it("writes parts that fit their transactions", () => {
    // member-commit.ts: 98 entries and extra actions (the PROFILE) beside STATE and the business key.
    expect(IMPORT_PART_SIZES.firstPart + 1).toBeLessThanOrEqual(98);
    expect(IMPORT_PART_SIZES.laterParts).toBeLessThanOrEqual(MAX_PART_ENTRIES);
  });
});
