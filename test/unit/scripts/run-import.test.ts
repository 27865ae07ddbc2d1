import { describe, expect, it } from "vitest";
import { exampleProgram, type Program, programSchema } from "../../../domain";
import type { MemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { readImport } from "../../../scripts/import/import-file";
import { runImport } from "../../../scripts/import/run-import";
import { syntheticImport } from "../../../scripts/import/synthetic-members";

// The write loop without DynamoDB: a repository stub whose commits fail on cue.

const program: Program = programSchema.parse(exampleProgram);
const importedAt = "2026-03-10T08:00:00.000Z";
const ctx = { program, importId: "retry", importedAt };

function stubRepository(failures: (memberId: string, attempt: number) => boolean) {
  const attempts = new Map<string, number>();
  const committed: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const members = {
    getMembers: async () => new Map(),
    getAppliedKeys: async () => new Map(),
    newProfilePut: () => ({}),
    async commit(input: { memberId: string }) {
      const attempt = (attempts.get(input.memberId) ?? 0) + 1;
      attempts.set(input.memberId, attempt);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      if (failures(input.memberId, attempt))
        throw Object.assign(new Error("throttled"), { name: "ThrottlingException" });
      committed.push(input.memberId);
      return { outcome: "committed", version: 1 };
    },
  } as unknown as MemberRepository;
  return { members, committed, attempts, maxInFlight: () => maxInFlight };
}

describe("runImport", () => {
  const file = syntheticImport({ members: 60, importedAt, idPrefix: "r-" });
  const read = readImport(file.csv, ctx);
  const options = {
    mode: "valid-rows" as const,
    dryRun: false,
    batchSize: 5,
    concurrency: 3,
    backoff: { baseMs: 1, capMs: 2 },
  };

  it("retries a batch's failed members until they are written, within the concurrency bound", async () => {
    const stub = stubRepository((id, attempt) => id.endsWith("7") && attempt < 3);
    const summary = await runImport({ ...ctx, members: stub.members }, read, options);
    expect(summary).toMatchObject({ imported: 60, failed: [] });
    expect(new Set(stub.committed).size).toBe(60);
    expect(stub.attempts.get("r-000007")).toBe(3);
    expect(stub.attempts.get("r-000008")).toBe(1);
    expect(stub.maxInFlight()).toBeLessThanOrEqual(15);
  });

  it("lists a member that keeps failing as failed, with the error's name", async () => {
    const stub = stubRepository((id) => id === "r-000011");
    const summary = await runImport({ ...ctx, members: stub.members }, read, { ...options, maxAttempts: 4 });
    expect(summary.imported).toBe(59);
    expect(summary.failed).toEqual([{ row: 13, memberId: "r-000011", error: "ThrottlingException" }]);
    expect(stub.attempts.get("r-000011")).toBe(4);
  });
});
