import { type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { ProblemSource } from "../../migration/import-problems";
import { decodeProblems, type StoredProblems } from "./import-problem-codec";
import { importBatchKey, importDuplicateKey, importPartitionKey } from "./keys";

// An import attempt's problems as GET /imports/{id}/problems reads them (functions/migration/import-problems.ts):
// a few batch items of a pass, or duplicate rows, at a time, from a position on — one Query between two sort keys
// of the job's partition (TABLE-DESIGN.md "Migration imports"), projecting only what a page needs. A Query
// that stops at 1 MB answers fewer than asked, with more to come.

type ItemKey = ReturnType<typeof importBatchKey>;
/** The largest item index and row the keys hold (9 digits). */
const LAST_INDEX = 999_999_999;

export function createImportProblemSource(
  options: { client: DynamoDBClient; tableName: string },
  job: { importId: string; attempt: number },
): ProblemSource {
  const between = (range: { from: ItemKey; to: ItemKey; limit: number; project: string[] }) =>
    options.client.send(
      new QueryCommand({
        TableName: options.tableName,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :from AND :to",
        ExpressionAttributeValues: {
          ":pk": importPartitionKey(job.importId),
          ":from": range.from.SK,
          ":to": range.to.SK,
        },
        // A name for every part of every path: "row" and "first" are reserved words.
        ProjectionExpression: range.project.map((path) => path.replace(/(\w+)/g, "#$1")).join(", "),
        ExpressionAttributeNames: Object.fromEntries(
          range.project.flatMap((path) => path.split(".")).map((part) => [`#${part}`, part]),
        ),
        Limit: range.limit,
        ConsistentRead: true,
      }),
    );
  return {
    async batches(pass, fromFirst, limit) {
      const { Items = [], LastEvaluatedKey } = await between({
        from: importBatchKey(job.importId, job.attempt, pass, fromFirst),
        to: importBatchKey(job.importId, job.attempt, pass, LAST_INDEX),
        limit,
        project: ["batch.first", "batch.problems"],
      });
      const items = Items.map((item) => {
        const batch = unmarshall(item).batch as { first: number; problems: StoredProblems };
        return { first: batch.first, problems: decodeProblems(batch.problems) };
      });
      return { items, more: LastEvaluatedKey !== undefined };
    },
    async duplicates(fromRow, limit) {
      const { Items = [], LastEvaluatedKey } = await between({
        from: importDuplicateKey(job.importId, job.attempt, fromRow),
        to: importDuplicateKey(job.importId, job.attempt, LAST_INDEX),
        limit,
        project: ["row"],
      });
      return { items: Items.map((item) => Number(item.row?.N)), more: LastEvaluatedKey !== undefined };
    },
  };
}
