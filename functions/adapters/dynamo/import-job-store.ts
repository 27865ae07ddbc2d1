import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { RowProblem } from "../../migration/import-row-schema";
import { batchGetItems } from "./batch-get";
import { conditionHeld } from "./conditional-write";
import { decodeProblems, encodeProblems, type StoredProblems } from "./import-problem-codec";
import { expiresAfter } from "./item-expiry";
import { readItem } from "./item-read";
import {
  importBatchKey,
  importBatchPrefix,
  importClaimKey,
  importDuplicateKey,
  importDuplicatePrefix,
  importJobKey,
  importPartitionKey,
} from "./keys";
import { queryItems, queryPrefix } from "./query-items";

// Deployed migration imports in the single table (TABLE-DESIGN.md "Migration imports"): the job with its status
// and final report, one result item per batch and pass (put once: a batch delivered again finds it and counts
// nothing twice; it holds every problem of its rows, import-problem-codec.ts), the claims that find a member id
// on two rows, and those rows. Everything expires.

export type ImportJobStatus = "checking" | "importing" | "succeeded" | "failed";
export type ImportPass = "check" | "import";

export interface ImportCounts {
  /** Data rows of the file. */
  rows: number;
  imported: number;
  alreadyImported: number;
  /** Rows with at least one problem. */
  rejected: number;
}

export interface ImportReport extends ImportCounts {
  /** Every problem found, of which `problems` holds the first (by row). */
  problemCount: number;
  problems: RowProblem[];
}

export interface StoredImportJob {
  importId: string;
  status: ImportJobStatus;
  /** Runs of this import id so far (an upload again after a failure is the next attempt). */
  attempt: number;
  mode?: "valid-rows" | "all-or-nothing";
  format?: "csv" | "jsonl";
  bucket: string;
  key: string;
  /** When this attempt started: the time the rows are judged at (lot expiry, months). */
  importedAt: string;
  receivedAt: string;
  finishedAt?: string;
  error?: string;
  report?: ImportReport;
  /** The Distributed Map's result manifest (s3://bucket/key) of the last pass that ran. */
  manifest?: string;
  /** The file's rows, as the check pass counted them (set when the import pass begins). */
  checkedRows?: number;
}

export interface BatchRecord extends ImportCounts {
  /** Index of the batch's first item in the file (the Distributed Map's $$.Map.Item.Index). */
  first: number;
  /** Every rejected row of the batch (at most a batch's size). */
  rejectedRows: number[];
  problemCount: number;
  /** Every problem of the batch's rows, by row. */
  problems: RowProblem[];
}

/** A pass's batches recorded so far, added up (GET /imports/{id} while the job runs). */
export interface PassProgress extends ImportCounts {
  batches: number;
  problemCount: number;
}

/** The counts of a batch record: what a progress read projects, never the problems. */
const COUNTS = ["rows", "imported", "alreadyImported", "rejected", "problemCount"] as const;

/** Kept a while after the run for reading the report; the claims only as long as a run may last. */
const JOB_TTL_DAYS = 90;
const CLAIM_TTL_DAYS = 3;

export function createImportJobStore(options: { client: DynamoDBClient; tableName: string }) {
  const { client, tableName: TableName } = options;
  const conditional = (send: () => Promise<unknown>) => conditionHeld(send());
  const partItems = (importId: string, prefix: string) =>
    queryPrefix(client, { tableName: TableName, pk: importPartitionKey(importId), prefix });

  return {
    async get(importId: string): Promise<StoredImportJob | undefined> {
      const item = await readItem(client, TableName, importJobKey(importId));
      if (!item) return undefined;
      const { PK: _pk, SK: _sk, expiresAt: _ttl, ...job } = unmarshall(item);
      return job as StoredImportJob;
    },

    /**
     * Writes the job for a new attempt: when there is none (`previous` undefined), or over the one read, if it
     * still stands at that attempt and status. False when another run changed it first.
     */
    begin(job: StoredImportJob, previous?: Pick<StoredImportJob, "attempt" | "status">): Promise<boolean> {
      const values = previous && {
        ":attempt": { N: String(previous.attempt) },
        ":status": { S: previous.status },
      };
      return conditional(() =>
        client.send(
          new PutItemCommand({
            TableName,
            Item: {
              ...importJobKey(job.importId),
              ...marshall(job, { removeUndefinedValues: true }),
              expiresAt: expiresAfter(job.receivedAt, JOB_TTL_DAYS),
            },
            ConditionExpression: previous
              ? "attempt = :attempt AND #status = :status"
              : "attribute_not_exists(PK)",
            ...(previous && { ExpressionAttributeNames: { "#status": "status" } }),
            ...(values && { ExpressionAttributeValues: values }),
          }),
        ),
      );
    },

    /** Moves this attempt of the job on from one of `from`; false when it stands elsewhere (or was restarted). */
    transition(
      importId: string,
      change: {
        attempt: number;
        from: readonly ImportJobStatus[];
        to: ImportJobStatus;
        at: string;
        error?: string;
        report?: ImportReport;
        manifest?: string;
        checkedRows?: number;
      },
    ): Promise<boolean> {
      const sets = ["#status = :to"];
      const values: Record<string, unknown> = { ":to": change.to, ":attempt": change.attempt };
      change.from.forEach((status, i) => {
        values[`:from${i}`] = status;
      });
      const optional = {
        error: change.error,
        report: change.report,
        manifest: change.manifest,
        checkedRows: change.checkedRows,
      };
      for (const [name, value] of Object.entries(optional))
        if (value !== undefined) {
          sets.push(`#${name} = :${name}`);
          values[`:${name}`] = value;
        }
      if (change.to === "succeeded" || change.to === "failed") {
        sets.push("finishedAt = :at");
        values[":at"] = change.at;
      }
      return conditional(() =>
        client.send(
          new UpdateItemCommand({
            TableName,
            Key: importJobKey(importId),
            UpdateExpression: `SET ${sets.join(", ")}`,
            ConditionExpression: `attempt = :attempt AND #status IN (${change.from.map((_, i) => `:from${i}`).join(", ")})`,
            ExpressionAttributeNames: {
              "#status": "status",
              ...Object.fromEntries(
                Object.entries(optional)
                  .filter(([, v]) => v !== undefined)
                  .map(([name]) => [`#${name}`, name]),
              ),
            },
            ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
          }),
        ),
      );
    },

    /**
     * Adds each row to its member's claim (a set: adding a row again changes nothing) and answers every row
     * claiming each member so far. Two rows of one member: whichever is added second sees both.
     */
    async claim(
      job: { importId: string; attempt: number; importedAt: string },
      rows: readonly { memberId: string; row: number }[],
    ): Promise<Map<string, number[]>> {
      const claims = new Map<string, number[]>();
      await Promise.all(
        rows.map(async ({ memberId, row }) => {
          const { Attributes } = await client.send(
            new UpdateItemCommand({
              TableName,
              Key: importClaimKey(job.importId, job.attempt, memberId),
              UpdateExpression: "ADD #rows :row SET expiresAt = :ttl",
              ExpressionAttributeNames: { "#rows": "rows" },
              ExpressionAttributeValues: {
                ":row": { NS: [String(row)] },
                ":ttl": expiresAfter(job.importedAt, CLAIM_TTL_DAYS),
              },
              ReturnValues: "UPDATED_NEW",
            }),
          );
          claims.set(memberId, (Attributes?.rows?.NS ?? []).map(Number));
        }),
      );
      return claims;
    },

    /** The rows claiming each of these members (after the check pass: all of them). */
    async claims(
      job: { importId: string; attempt: number },
      memberIds: readonly string[],
    ): Promise<Map<string, number[]>> {
      const unique = [...new Set(memberIds)];
      const keys = unique.map((id) => importClaimKey(job.importId, job.attempt, id));
      const items = await batchGetItems(client, TableName, keys, { consistentRead: true });
      const byPk = new Map(items.map((item) => [item.PK?.S, (item.rows?.NS ?? []).map(Number)]));
      return new Map(unique.map((id, i) => [id, byPk.get(keys[i]?.PK.S) ?? []]));
    },

    /** Notes a row whose member an earlier row holds (idempotent). */
    async addDuplicates(job: { importId: string; attempt: number; importedAt: string }, rows: number[]) {
      await Promise.all(
        rows.map((row) =>
          client.send(
            new PutItemCommand({
              TableName,
              Item: {
                ...importDuplicateKey(job.importId, job.attempt, row),
                row: { N: String(row) },
                expiresAt: expiresAfter(job.importedAt, JOB_TTL_DAYS),
              },
            }),
          ),
        ),
      );
    },

    async duplicates(job: { importId: string; attempt: number }): Promise<number[]> {
      const items = await partItems(job.importId, importDuplicatePrefix(job.attempt));
      return items.map((item) => Number(item.row?.N));
    },

    async getBatch(
      job: { importId: string; attempt: number },
      pass: ImportPass,
      first: number,
    ): Promise<BatchRecord | undefined> {
      const item = await readItem(client, TableName, importBatchKey(job.importId, job.attempt, pass, first));
      return item ? toBatch(item) : undefined;
    },

    /** Records a batch's result once; a batch recorded before keeps its first result (answered instead). */
    async recordBatch(
      job: { importId: string; attempt: number; importedAt: string },
      pass: ImportPass,
      record: BatchRecord,
    ): Promise<BatchRecord> {
      const put = () =>
        client.send(
          new PutItemCommand({
            TableName,
            Item: {
              ...importBatchKey(job.importId, job.attempt, pass, record.first),
              ...marshall({ batch: { ...record, problems: encodeProblems(record.problems) } }),
              expiresAt: expiresAfter(job.importedAt, JOB_TTL_DAYS),
            },
            ConditionExpression: "attribute_not_exists(PK)",
          }),
        );
      if (await conditional(put)) return record;
      return (await this.getBatch(job, pass, record.first)) ?? record;
    },

    async batches(job: { importId: string; attempt: number }, pass: ImportPass): Promise<BatchRecord[]> {
      return (await partItems(job.importId, importBatchPrefix(job.attempt, pass))).map(toBatch);
    },

    /** The pass's batches so far, added up: one Query projecting the counts only (not the problems). */
    async progress(job: { importId: string; attempt: number }, pass: ImportPass): Promise<PassProgress> {
      // Eventually consistent: a batch recorded a moment ago may show on the next read.
      const progress = { batches: 0, rows: 0, imported: 0, alreadyImported: 0, rejected: 0, problemCount: 0 };
      const items = queryItems(client, {
        TableName,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ProjectionExpression: COUNTS.map((c) => `#batch.#${c}`).join(", "),
        ExpressionAttributeNames: {
          "#batch": "batch",
          ...Object.fromEntries(COUNTS.map((c) => [`#${c}`, c])),
        },
        ExpressionAttributeValues: {
          ":pk": importPartitionKey(job.importId),
          ":prefix": { S: importBatchPrefix(job.attempt, pass) },
        },
      });
      for await (const item of items) {
        const counts = item.batch?.M ?? {};
        progress.batches += 1;
        for (const c of COUNTS) progress[c] += Number(counts[c]?.N ?? 0);
      }
      return progress;
    },
  };
}

export type ImportJobStore = ReturnType<typeof createImportJobStore>;

function toBatch(item: Record<string, AttributeValue>): BatchRecord {
  const { problems, ...batch } = unmarshall(item).batch as Omit<BatchRecord, "problems"> & {
    problems: StoredProblems;
  };
  return { ...batch, problems: decodeProblems(problems) };
}
