import { describe, expect, it } from "vitest";
import { exampleProgram, type Program, programSchema } from "../../../domain";
import { ImportFileError, readImport } from "../../../scripts/import/import-file";

const program: Program = programSchema.parse(exampleProgram);
const ctx = { program, importId: "legacy", importedAt: "2026-03-10T08:00:00.000Z" };
const HEADER =
  "member_id,email,given_name,family_name,locale,time_zone,consent_email,consent_sms,consent_push,consent_at,enrolled_at,balance,lots,qualifying,tier,tier_keeps_until,punch_cards,unlocked_rewards";

describe("readImport", () => {
  it("reads the same member from CSV and from JSON Lines", () => {
    const csv = `${HEADER}\r\nm-1,ada@example.com,Ada,"Lovelace, Countess",en-GB,Europe/London,true,false,false,2024-06-01T12:00:00+02:00,,150,100@2026-12-31;50@2027-06-30,2026-01:120:5000;2026-02:80:3000,gold,2026-09-30,coffee-card:4,free-coffee:1\r\n`;
    const jsonl = `${JSON.stringify({
      member_id: "m-1",
      email: "ada@example.com",
      given_name: "Ada",
      family_name: "Lovelace, Countess",
      locale: "en-GB",
      time_zone: "Europe/London",
      consent_email: true,
      consent_sms: false,
      consent_push: false,
      consent_at: "2024-06-01T12:00:00+02:00",
      balance: 150,
      lots: [
        { points: 100, expires_on: "2026-12-31" },
        { points: 50, expires_on: "2027-06-30" },
      ],
      qualifying: "2026-01:120:5000;2026-02:80:3000",
      tier: "gold",
      tier_keeps_until: "2026-09-30",
      punch_cards: [{ rule_id: "coffee-card", punches: 4 }],
      unlocked_rewards: [{ reward_id: "free-coffee", count: 1 }],
    })}\n`;
    const fromCsv = readImport(csv, ctx);
    const fromJson = readImport(jsonl, ctx);
    expect(fromCsv.problems).toEqual([]);
    expect(fromJson.problems).toEqual([]);
    expect(fromCsv.rows[0]?.data).toEqual(fromJson.rows[0]?.data);
    expect(fromCsv.rows[0]?.data).toMatchObject({
      family_name: "Lovelace, Countess",
      balance: 150,
      lots: [
        { points: 100, expires_on: "2026-12-31" },
        { points: 50, expires_on: "2027-06-30" },
      ],
      qualifying: [
        { month: "2026-01", status_points: 120, spend_minor: 5000 },
        { month: "2026-02", status_points: 80, spend_minor: 3000 },
      ],
      unlocked_rewards: [{ reward_id: "free-coffee", count: 1 }],
    });
    expect(fromCsv.rows[0]?.row).toBe(2);
  });

  it("reports every bad row by line, field and reason, never the value", () => {
    const good = "ok-1,a@example.com,,,de,Europe/Berlin,true,true,true,2024-01-01T00:00:00Z,,0,,,,,";
    const csv = [
      HEADER,
      good,
      "bad-1,secret-address,,,de,Europe/Berlin,true,true,true,2024-01-01T00:00:00Z,,0,,,,,",
      "bad-2,b@example.com,,,de,Europe/Berlin,yes,true,true,2024-01-01T00:00:00Z,,10,,,platinum,,",
      "bad-3,c@example.com,,,de,Europe/Berlin,true,true,true,2024-01-01T00:00:00Z,,10,4@2027-01-01,,,,",
      good,
    ].join("\n");
    const read = readImport(csv, ctx);
    expect(read.total).toBe(5);
    expect(read.rows.map((r) => r.row)).toEqual([2]);
    const all = [...read.problems, ...read.ruledOut.flatMap((r) => r.problems)].sort((a, b) => a.row - b.row);
    expect(all.map(({ row, field }) => ({ row, field }))).toEqual([
      { row: 3, field: "email" },
      { row: 4, field: "consent_email" },
      { row: 4, field: "tier_keeps_until" },
      { row: 5, field: "lots" },
      { row: 6, field: "member_id" },
    ]);
    expect(read.problems.find((p) => p.row === 6)?.reason).toBe(
      "the member is on an earlier row of the file",
    );
    expect(read.ruledOut.map((r) => r.row.row)).toEqual([5]);
    expect(JSON.stringify(all)).not.toContain("secret-address");
  });

  it("names a misspelt column and a line that is not a JSON object", () => {
    const read = readImport('{"member_id":"m-1","emial":"x"}\n[1,2]\n', ctx);
    expect(read.problems).toContainEqual({ row: 1, field: "emial", reason: "not a field of the format" });
    expect(read.problems).toContainEqual({ row: 2, field: "row", reason: "not a JSON object" });
  });

  it("fails the file on CSV it cannot read, without quoting it", () => {
    expect(() => readImport(`${HEADER}\n"m-1,oops\n`, ctx)).toThrow(ImportFileError);
  });
});
