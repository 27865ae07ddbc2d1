import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type MigratedMember, migrateMember } from "../../../domain";
import { migrationPartKey, splitMigrationEntries } from "../../../domain/migration/migration-parts";
import { addDays } from "../../../domain/time";
import { programWith } from "./fixtures";

// A member with more lots than one transaction holds arrives in parts (domain/migration/migration-parts.ts).

const program = programWith();
const run = { importId: "legacy-2026", importedAt: "2026-03-10T08:00:00Z" };
const sizes = { firstPart: 97, laterParts: 96 };

function entriesFor(lotCount: number) {
  const lots = Array.from({ length: lotCount }, (_, i) => ({
    points: i + 1,
    expiresOn: addDays("2026-04-01", i),
  }));
  const member: MigratedMember = { memberId: "m-1", balance: lots.reduce((s, l) => s + l.points, 0), lots };
  const outcome = migrateMember(member, program, run);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.entries;
}

describe("splitMigrationEntries", () => {
  it("keeps every entry exactly once, in order, each part within its bound", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 98 }),
        fc.integer({ min: 1, max: 98 }),
        (count, firstPart, laterParts) => {
          const entries = Array.from({ length: count }, (_, i) => i);
          const parts = splitMigrationEntries(entries, { firstPart, laterParts });
          expect(parts.flat()).toEqual(entries);
          expect(parts[0]?.length).toBe(Math.min(count, firstPart));
          for (const part of parts.slice(1)) {
            expect(part.length).toBeGreaterThan(0);
            expect(part.length).toBeLessThanOrEqual(laterParts);
          }
          expect(parts).toHaveLength(1 + Math.ceil(Math.max(0, count - firstPart) / laterParts));
        },
      ),
    );
  });

  it("splits a member's entries the same way every time, with distinct ids", () => {
    const first = splitMigrationEntries(entriesFor(250), sizes);
    const again = splitMigrationEntries(entriesFor(250), sizes);
    expect(first.map((part) => part.length)).toEqual([97, 96, 57]);
    expect(again.map((part) => part.map((e) => e.entryId))).toEqual(
      first.map((part) => part.map((e) => e.entryId)),
    );
    const ids = first.flat().map((e) => e.entryId);
    expect(new Set(ids).size).toBe(250);
    // Only the first entry carries the imported status points; later parts add points only.
    expect(first.flat().filter((e) => e.statusPoints !== 0).length).toBeLessThanOrEqual(1);
  });

  it("keeps a member who fits one transaction in one part", () => {
    expect(splitMigrationEntries(entriesFor(97), sizes)).toHaveLength(1);
    expect(splitMigrationEntries(entriesFor(98), sizes).map((part) => part.length)).toEqual([97, 1]);
  });

  it("rejects part sizes a transaction cannot hold", () => {
    expect(() => splitMigrationEntries([1], { firstPart: 0, laterParts: 96 })).toThrow(/firstPart/);
    expect(() => splitMigrationEntries([1], { firstPart: 97, laterParts: 1.5 })).toThrow(/laterParts/);
  });
});

describe("migrationPartKey", () => {
  it("names each later part of one member in one import once, apart from the member's key", () => {
    expect(migrationPartKey("legacy-2026", "m-1", 2)).toBe("migration:legacy-2026:m-1:part:2");
    const keys = new Set([2, 3, 4].map((part) => migrationPartKey("legacy-2026", "m-1", part)));
    expect(keys.size).toBe(3);
    expect(keys.has(migrationPartKey("legacy-2026", "m-2", 2))).toBe(false);
    expect(() => migrationPartKey("legacy-2026", "m-1", 1)).toThrow(/part/);
  });
});
