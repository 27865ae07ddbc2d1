import { describe, expect, inject, it } from "vitest";
import type { LedgerEntry, MemberState } from "../../../domain";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import { checkRecord } from "../../../functions/migration/check-record";
import { DUPLICATE_MEMBER, importMember, MEMBER_EXISTS } from "../../../functions/migration/import-members";
import { readImport } from "../../../scripts/import/import-file";
import { runImport } from "../../../scripts/import/run-import";
import { syntheticImport } from "../../../scripts/import/synthetic-members";
import { dynamoClient } from "../support/dynamo";
import { failNthTransaction } from "../support/faults";
import { batchesOf, csvItems, IMPORT_BUCKET, type Items, importStepsOnTestApi, pick } from "./import-steps";

// The deployed migration import without AWS: Step Functions cannot run offline, so this drives the member-import
// handler as the state machine does (infra/member-imports.ts) on DynamoDB Local — start from the upload's key, the
// check pass over the file's batches (header-keyed records with their index, as the Distributed Map's CSV reader
// and ItemSelector hand them over), checked, the import pass, finish — with batches out of order and delivered
// twice, as retries would. The report must be the CLI's for the same file, and GET /imports/{id} must show it.

const { api, invoke, start, batch, getImport, programAt } = importStepsOnTestApi();
const manifest = (pass: string) => ({ Bucket: IMPORT_BUCKET, Key: `results/${pass}-run/manifest.json` });

describe("a deployed migration import, step by step on DynamoDB Local", () => {
  const at = new Date().toISOString();
  const file = syntheticImport({ members: 150, importedAt: at, seed: 21, badShare: 0.06, idPrefix: "dep-" });
  const held = file.expected[3]?.memberId ?? "";
  // The first good member again on the last row: a later row of the same member is rejected.
  const lines = file.csv.trimEnd().split("\n");
  const firstGood = lines.find((line) => line.startsWith(`${file.expected[0]?.memberId},`)) ?? "";
  const csv = `${[...lines, firstGood].join("\n")}\n`;
  const items = csvItems(csv);

  it("checks, then imports valid rows in batches: the CLI's counts and problems, each batch counted once", async () => {
    expect(file.bad.length).toBeGreaterThan(2);
    await api().enrol(held);
    const started = await start("uploads/valid-rows/dep-2026.csv");
    if (!started.proceed) throw new Error(started.reason);
    const { job } = started;
    expect(job).toMatchObject({ importId: "dep-2026", attempt: 1, mode: "valid-rows", format: "csv" });

    // What the CLI says of the same file at the same time (a dry run reads only).
    const read = readImport(csv, {
      program: await programAt(job.importedAt),
      importId: job.importId,
      importedAt: job.importedAt,
    });
    const cli = await runImport(
      { members: api().api.deps.members, program: await programAt(job.importedAt), ...job },
      read,
      { mode: "valid-rows", dryRun: true },
    );

    // Check pass: batches in reverse (the duplicate's batch before its first row's), one delivered twice.
    const batches = batchesOf(items);
    expect(batches.length).toBeGreaterThan(3);
    for (const b of [...batches].reverse()) await batch(job, "check", b);
    await batch(job, "check", batches[1] as Items);
    expect(await invoke({ action: "checked", ...pick(job), manifest: manifest("check") })).toEqual({
      proceed: true,
    });
    expect((await getImport("dep-2026")).body).toMatchObject({
      status: "importing",
      manifest: "s3://patron-imports-test/results/check-run/manifest.json",
    });

    // Import pass: in order, the second batch delivered again after it was recorded (a retried batch).
    const first = await batch(job, "import", batches[1] as Items);
    for (const b of batches) await batch(job, "import", b);
    expect(await batch(job, "import", batches[1] as Items)).toEqual(first);
    await invoke({ action: "finish", ...pick(job), manifest: manifest("import") });

    const answer = await getImport("dep-2026");
    expect(answer.status).toBe(200);
    const rejected = file.bad.length + 2;
    expect(answer.body).toMatchObject({
      importId: "dep-2026",
      status: "succeeded",
      attempt: 1,
      mode: "valid-rows",
      file: `s3://${IMPORT_BUCKET}/uploads/valid-rows/dep-2026.csv`,
      manifest: `s3://${IMPORT_BUCKET}/results/import-run/manifest.json`,
      report: {
        rows: file.expected.length + file.bad.length + 1,
        imported: file.expected.length - 1,
        alreadyImported: 0,
        rejected,
        problemCount: cli.problems.length,
        problems: cli.problems,
      },
    });
    expect(cli).toMatchObject({ rows: items.length, wouldImport: file.expected.length - 1, rejected });
    expect(answer.body.report.problems).toContainEqual({
      row: items.length + 1,
      field: "member_id",
      reason: DUPLICATE_MEMBER,
    });
    expect(answer.body.report.problems).toContainEqual(
      expect.objectContaining({ field: "member_id", reason: MEMBER_EXISTS }),
    );
    expect(answer.body.report.problems.map((p: { row: number; field: string }) => p.row)).toEqual(
      expect.arrayContaining(file.bad.map((b) => b.row)),
    );
    expect(JSON.stringify(answer.body)).not.toContain("not-an-address");

    const stored = await api().api.deps.members.getMembers<MemberState & Record<string, unknown>>(
      file.expected.map((m) => m.memberId),
    );
    expect(stored.size).toBe(file.expected.length);
    expect(stored.get(held)?.version).toBe(1);

    // Uploaded again: the import succeeded, nothing runs.
    expect(await start("uploads/valid-rows/dep-2026.csv")).toMatchObject({ proceed: false });
  });

  it("writes nothing all-or-nothing when a row is bad, and resumes as valid-rows on the next upload", async () => {
    const broken = syntheticImport({
      members: 90,
      importedAt: at,
      seed: 4,
      badShare: 0.05,
      idPrefix: "aon-",
    });
    expect(broken.bad.length).toBeGreaterThan(0);
    const started = await start("uploads/all-or-nothing/aon-1.csv");
    if (!started.proceed) throw new Error(started.reason);
    for (const b of batchesOf(csvItems(broken.csv))) await batch(started.job, "check", b);
    expect(await invoke({ action: "checked", ...pick(started.job), manifest: manifest("check") })).toEqual({
      proceed: false,
    });
    const failed = await getImport("aon-1");
    expect(failed.body).toMatchObject({
      status: "failed",
      mode: "all-or-nothing",
      error: expect.stringContaining(`${broken.bad.length} rows have problems: nothing was written`),
      report: { rows: 90, imported: 0, rejected: broken.bad.length },
    });
    const rows = new Set(failed.body.report.problems.map((p: { row: number }) => p.row));
    expect([...rows]).toEqual(broken.bad.map((b) => b.row));
    const ids = broken.expected.map((m) => m.memberId);
    expect((await api().api.deps.members.getMembers(ids)).size).toBe(0);

    const again = await start("uploads/valid-rows/aon-1.csv");
    if (!again.proceed) throw new Error(again.reason);
    expect(again.job).toMatchObject({ attempt: 2, mode: "valid-rows" });
    const b2 = batchesOf(csvItems(broken.csv));
    for (const b of b2) await batch(again.job, "check", b);
    await invoke({ action: "checked", ...pick(again.job) });
    for (const b of b2) await batch(again.job, "import", b);
    await invoke({ action: "finish", ...pick(again.job) });
    expect((await getImport("aon-1")).body).toMatchObject({
      status: "succeeded",
      attempt: 2,
      report: { imported: broken.expected.length, rejected: broken.bad.length },
    });
    expect((await api().api.deps.members.getMembers(ids)).size).toBe(ids.length);
  });

  it("finds a member on two rows in the check pass, whichever batch comes first, and writes nothing all-or-nothing", async () => {
    const clean = syntheticImport({ members: 100, importedAt: at, seed: 5, idPrefix: "twice-" });
    const lines = clean.csv.trimEnd().split("\n");
    const items = csvItems(`${[...lines, lines[1]].join("\n")}\n`);
    const started = await start("uploads/all-or-nothing/twice.csv");
    if (!started.proceed) throw new Error(started.reason);
    // The later row's batch first: it cannot know yet; the first row's batch then notes the later row.
    for (const b of batchesOf(items).reverse()) await batch(started.job, "check", b);
    expect(await invoke({ action: "checked", ...pick(started.job) })).toEqual({ proceed: false });
    expect((await getImport("twice")).body).toMatchObject({
      status: "failed",
      report: {
        rows: 101,
        rejected: 1,
        problemCount: 1,
        problems: [{ row: 102, field: "member_id", reason: DUPLICATE_MEMBER }],
      },
    });
    const ids = clean.expected.map((m) => m.memberId);
    expect((await api().api.deps.members.getMembers(ids)).size).toBe(0);
  });

  it("reads JSON Lines rows by line, and marks a pass that failed so that an upload again resumes it", async () => {
    const rows = csvItems(syntheticImport({ members: 3, importedAt: at, seed: 9, idPrefix: "jl-" }).csv);
    const started = await start("uploads/valid-rows/jl-1.jsonl");
    if (!started.proceed) throw new Error(started.reason);
    // JSON Lines: the reader hands over each line's object; the second is not an object at all.
    const items: Items = [
      rows[0] as Items[number],
      { index: 1, record: [1, 2] },
      { ...(rows[2] as Items[number]) },
    ];
    await batch(started.job, "check", items);
    await invoke({ action: "checked", ...pick(started.job) });
    const error = {
      Error: "States.ExceedToleratedFailureThreshold",
      Cause: "The specified tolerated failure threshold was exceeded",
    };
    await invoke({ action: "finish", ...pick(started.job), error });
    expect((await getImport("jl-1")).body).toMatchObject({
      status: "failed",
      error: "States.ExceedToleratedFailureThreshold",
    });

    const again = await start("uploads/valid-rows/jl-1.jsonl");
    if (!again.proceed) throw new Error(again.reason);
    await batch(again.job, "check", items);
    await invoke({ action: "checked", ...pick(again.job) });
    await batch(again.job, "import", items);
    await invoke({ action: "finish", ...pick(again.job) });
    expect((await getImport("jl-1")).body).toMatchObject({
      status: "succeeded",
      attempt: 2,
      report: {
        rows: 3,
        imported: 2,
        rejected: 1,
        problems: [{ row: 2, field: "row", reason: "not a JSON object" }],
      },
    });
  });

  it("fails an upload with a bad key with why, and answers 404 for an unknown import", async () => {
    expect(await start("uploads/sometimes/bad-key.csv")).toMatchObject({ proceed: false });
    expect((await getImport("bad-key")).body).toMatchObject({
      status: "failed",
      error: "the folder after uploads/ must be valid-rows or all-or-nothing",
    });
    expect(await start("uploads/valid-rows/bad-key.xlsx")).toMatchObject({ proceed: false });
    expect((await getImport("bad-key")).body).toMatchObject({
      attempt: 2,
      error: "the file must end in .csv or .jsonl",
    });
    expect(await start("uploads/members.csv")).toMatchObject({
      proceed: false,
      reason: expect.stringContaining("uploads/<valid-rows|all-or-nothing>"),
    });
    expect((await getImport("members")).status).toBe(404);
    expect((await getImport("no-such-import")).status).toBe(404);
    expect((await getImport("not%20an%20id")).status).toBe(400);
    expect((await api().call("GET", "/imports/dep-2026")).status).toBe(401);
  });

  it("completes a member with many lots that an earlier attempt left after its first part", async () => {
    const lots = Array.from(
      { length: 200 },
      (_, i) => `${i + 1}@${new Date(Date.parse(at) + (5 + i) * 86_400_000).toISOString().slice(0, 10)}`,
    );
    const csv = `member_id,email,locale,time_zone,consent_email,consent_sms,consent_push,consent_at,balance,lots\ndep-lots,dep-lots@example.test,en-IE,Europe/Dublin,true,false,false,${at},${(200 * 201) / 2},${lots.join(";")}\n`;
    const items = csvItems(csv);
    const started = await start("uploads/valid-rows/dep-lots.csv");
    if (!started.proceed) throw new Error(started.reason);
    const { job } = started;
    const ctx = {
      program: await programAt(job.importedAt),
      importId: job.importId,
      importedAt: job.importedAt,
    };
    // A worker wrote the member (its first part) and stopped before the second part reached DynamoDB.
    const client = dynamoClient(inject("dynamoEndpoint"));
    failNthTransaction(client, 2, "before-send");
    const checked = checkRecord(ctx, items[0]?.record, 2);
    if (checked.kind !== "ok") throw new Error("the row is valid");
    const members = createMemberRepository({ client, tableName: api().api.table.tableName });
    await expect(importMember({ ...ctx, members }, checked.row)).rejects.toThrow(/injected/);

    await batch(job, "check", items);
    await invoke({ action: "checked", ...pick(job) });
    await batch(job, "import", items);
    await invoke({ action: "finish", ...pick(job) });
    expect((await getImport("dep-lots")).body).toMatchObject({
      status: "succeeded",
      report: { rows: 1, imported: 1, alreadyImported: 0, rejected: 0 },
    });
    const ledger: LedgerEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await api().api.deps.members.queryLedger<LedgerEntry>("dep-lots", {
        limit: 100,
        ...(cursor && { cursor }),
      });
      ledger.push(...page.records.map((r) => r.entry));
      cursor = page.cursor;
    } while (cursor);
    expect(ledger).toHaveLength(200);
    expect(new Set(ledger.map((e) => e.entryId)).size).toBe(200);
    expect(ledger.reduce((sum, e) => sum + e.points, 0)).toBe((200 * 201) / 2);
  });
});
