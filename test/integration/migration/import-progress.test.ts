import { describe, expect, it } from "vitest";
import { DUPLICATE_MEMBER, MEMBER_EXISTS } from "../../../functions/migration/import-members";
import { compareProblems } from "../../../functions/migration/import-problems";
import type { RowProblem } from "../../../functions/migration/import-row-schema";
import { readImport } from "../../../scripts/import/import-file";
import { runImport } from "../../../scripts/import/run-import";
import { syntheticImport } from "../../../scripts/import/synthetic-members";
import {
  batchesOf,
  csvItems,
  IMPORT_BATCH,
  type Items,
  importStepsOnTestApi,
  type Job,
  pick,
} from "./import-steps";

// A deployed import while it runs and after: GET /imports/{id} adds up the running pass's finished batches, and
// GET /imports/{id}/problems pages through every problem of the rows — far more than the report's first 100 —
// once each, in row order. The member-import handler is driven as the state machine drives it (see
// deployed-import.test.ts), on DynamoDB Local.

const { api, invoke, start: startStep, batch, getImport, programAt } = importStepsOnTestApi();
// Hundreds of member transactions on the shared DynamoDB Local: over a minute late in a full run on 2 cores.
const IMPORT_TEST_MS = 240_000;
const getProblems = (id: string, query = "") => getImport(id, `/problems${query}`);

async function start(key: string): Promise<Job> {
  const answer = await startStep(key);
  if (!answer.proceed) throw new Error(answer.reason);
  return answer.job;
}

/** Every page of the import's problems, following nextCursor. */
async function allProblems(id: string, limit: number) {
  const pages: RowProblem[][] = [];
  let cursor: string | undefined;
  do {
    const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const answer = await getProblems(id, query);
    expect(answer.status).toBe(200);
    pages.push(answer.body.problems);
    cursor = answer.body.nextCursor;
  } while (cursor !== undefined && pages.length < 1_000);
  return pages;
}

describe("a deployed import's progress and problems on DynamoDB Local", () => {
  const at = new Date().toISOString();

  it(
    "shows the running pass's finished batches while checking and importing, then the report alone",
    async () => {
      const file = syntheticImport({
        members: 230,
        importedAt: at,
        seed: 31,
        badShare: 0.1,
        idPrefix: "prog-",
      });
      const items = csvItems(file.csv);
      const batches = batchesOf(items);
      expect(batches.length).toBe(6);
      const badIn = (done: Items[]) => {
        const rows = new Set(done.flat().map((item) => item.index + 2));
        return file.bad.filter((b) => rows.has(b.row)).length;
      };
      const job = await start("uploads/valid-rows/prog-1.csv");

      const fresh = await getImport("prog-1");
      expect(fresh.body).toMatchObject({
        status: "checking",
        progress: { pass: "check", batches: 0, rowsDone: 0, imported: 0, rejected: 0 },
      });
      expect(fresh.body.progress.totalRows).toBeUndefined();

      for (const b of batches.slice(0, 3)) await batch(job, "check", b);
      const checking = await getImport("prog-1");
      expect(checking.body).toMatchObject({
        status: "checking",
        progress: {
          pass: "check",
          batches: 3,
          rowsDone: 3 * IMPORT_BATCH,
          imported: 0,
          rejected: badIn(batches.slice(0, 3)),
        },
      });
      expect(checking.body.progress.totalRows).toBeUndefined();
      expect(checking.body.report).toBeUndefined();

      for (const b of batches.slice(3)) await batch(job, "check", b);
      await invoke({ action: "checked", ...pick(job) });
      // Two import batches done, one of them delivered twice: counted once.
      await batch(job, "import", batches[4] as Items);
      await batch(job, "import", batches[0] as Items);
      await batch(job, "import", batches[4] as Items);
      const importing = await getImport("prog-1");
      const doneRows = (batches[0]?.length ?? 0) + (batches[4]?.length ?? 0);
      const badDone = badIn([batches[0] as Items, batches[4] as Items]);
      expect(importing.body).toMatchObject({
        status: "importing",
        progress: {
          pass: "import",
          batches: 2,
          rowsDone: doneRows,
          totalRows: items.length,
          imported: doneRows - badDone,
          alreadyImported: 0,
          rejected: badDone,
        },
      });
      expect(importing.body.progress.problemCount).toBeGreaterThanOrEqual(badDone);

      for (const b of batches) await batch(job, "import", b);
      await invoke({ action: "finish", ...pick(job) });
      const finished = await getImport("prog-1");
      expect(finished.body).toMatchObject({
        status: "succeeded",
        report: { rows: items.length, imported: file.expected.length, rejected: file.bad.length },
      });
      expect(finished.body.progress).toBeUndefined();
    },
    IMPORT_TEST_MS,
  );

  it(
    "answers every problem of a file with more than 150 bad rows across pages: none twice, none missing",
    async () => {
      const file = syntheticImport({
        members: 420,
        importedAt: at,
        seed: 77,
        badShare: 0.45,
        idPrefix: "many-",
      });
      expect(file.bad.length).toBeGreaterThan(150);
      // Found only by writing (a member that exists) and only across batches (a member on two rows).
      const held = file.expected[5]?.memberId ?? "";
      await api().enrol(held);
      const lines = file.csv.trimEnd().split("\n");
      const again = lines.find((line) => line.startsWith(`${file.expected[0]?.memberId},`)) ?? "";
      const csv = `${[...lines, again].join("\n")}\n`;
      const items = csvItems(csv);
      const job = await start("uploads/valid-rows/many-1.csv");
      const program = await programAt(job.importedAt);
      const cli = await runImport(
        { members: api().api.deps.members, program, ...job },
        readImport(csv, { program, importId: job.importId, importedAt: job.importedAt }),
        { mode: "valid-rows", dryRun: true },
      );
      const expected = [...cli.problems].sort(compareProblems);
      expect(expected).toContainEqual({
        row: items.length + 1,
        field: "member_id",
        reason: DUPLICATE_MEMBER,
      });
      expect(expected).toContainEqual(expect.objectContaining({ field: "member_id", reason: MEMBER_EXISTS }));

      // The check pass, batches in reverse: the problems found so far are answered while it runs.
      const batches = batchesOf(items);
      for (const b of [...batches].reverse()) await batch(job, "check", b);
      const whileChecking = (await allProblems("many-1", 64)).flat();
      const checkRows = new Set(whileChecking.map((p) => p.row));
      for (const b of file.bad) expect(checkRows.has(b.row)).toBe(true);

      await invoke({ action: "checked", ...pick(job) });
      for (const b of batches) await batch(job, "import", b);
      await invoke({ action: "finish", ...pick(job) });

      const report = (await getImport("many-1")).body.report;
      expect(report.problems).toHaveLength(100);
      expect(report.problemCount).toBe(expected.length);
      for (const limit of [37, 1000]) {
        const pages = await allProblems("many-1", limit);
        const problems = pages.flat();
        expect(problems).toEqual(expected);
        expect(new Set(problems.map((p) => JSON.stringify(p))).size).toBe(problems.length);
        for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
      }
      expect(new Set(expected.map((p) => p.row)).size).toBe(file.bad.length + 2);
      expect(JSON.stringify(expected)).not.toContain("@example.com");
    },
    IMPORT_TEST_MS,
  );

  it("refuses a cursor changed by hand or of another import, and 404s an unknown import", async () => {
    const first = await getProblems("many-1", "?limit=5");
    const cursor: string = first.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [body = "", mac = ""] = cursor.split(".");
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), l: [2, "a", "b"] })).toString("base64url")}.${mac}`;
    expect((await getProblems("many-1", `?cursor=${forged}`)).status).toBe(400);
    expect((await getProblems("prog-1", `?cursor=${cursor}`)).status).toBe(400);
    const next = await getProblems("many-1", `?limit=5&cursor=${cursor}`);
    expect(next.body.problems[0]).not.toEqual(first.body.problems[0]);
    expect((await getProblems("no-such-import")).status).toBe(404);
    expect((await api().call("GET", "/imports/many-1/problems")).status).toBe(401);
  });
});
