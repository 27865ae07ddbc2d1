import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conditionHeld, statusTransition } from "../../../functions/adapters/dynamo/conditional-write";
import { addCounters } from "../../../functions/adapters/dynamo/counter-update";
import { dueIndexAttributes } from "../../../functions/adapters/dynamo/due-index";
import { queryItems } from "../../../functions/adapters/dynamo/query-items";

// The shared pieces the adapters build their requests from: paging, counter ADDs, conditional writes.

/** A client whose Query answers `pages` in order, recording each request's input. */
function pagedClient(pages: { Items: { n: { N: string } }[]; LastEvaluatedKey?: Record<string, unknown> }[]) {
  const inputs: Record<string, unknown>[] = [];
  const client = {
    async send(command: { input: Record<string, unknown> }) {
      inputs.push(command.input);
      return pages[inputs.length - 1];
    },
  } as unknown as DynamoDBClient;
  return { client, inputs };
}

describe("queryItems", () => {
  it("follows LastEvaluatedKey page after page and stops after the last one", async () => {
    const { client, inputs } = pagedClient([
      { Items: [{ n: { N: "1" } }, { n: { N: "2" } }], LastEvaluatedKey: { PK: { S: "a" } } },
      { Items: [], LastEvaluatedKey: { PK: { S: "b" } } },
      { Items: [{ n: { N: "3" } }] },
    ]);
    const seen: string[] = [];
    for await (const item of queryItems(client, { TableName: "t" }, { pageLimit: (page) => 10 + page }))
      seen.push(item.n?.N ?? "");
    expect(seen).toEqual(["1", "2", "3"]);
    expect(inputs).toEqual([
      { TableName: "t", Limit: 10 },
      { TableName: "t", Limit: 11, ExclusiveStartKey: { PK: { S: "a" } } },
      { TableName: "t", Limit: 12, ExclusiveStartKey: { PK: { S: "b" } } },
    ]);
  });

  it("reads no further page once the consumer stops", async () => {
    const { client, inputs } = pagedClient([
      { Items: [{ n: { N: "1" } }], LastEvaluatedKey: { PK: { S: "a" } } },
      { Items: [{ n: { N: "2" } }] },
    ]);
    for await (const _ of queryItems(client, { TableName: "t" })) break;
    expect(inputs).toHaveLength(1);
  });
});

describe("addCounters", () => {
  it("ADDs exactly the non-zero deltas, and is no action when there are none", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("a", "b", "c"), fc.integer({ min: -5, max: 5 })),
        (deltas) => {
          const action = addCounters({ tableName: "t", key: { PK: { S: "p" } }, deltas });
          const moved = Object.entries(deltas).filter(([, value]) => value !== 0);
          if (moved.length === 0) return action === undefined;
          const values = action?.Update?.ExpressionAttributeValues ?? {};
          return (
            moved.every(([name, value]) => values[`:${name}`]?.N === String(value)) &&
            Object.keys(values).length === moved.length &&
            action?.Update?.UpdateExpression ===
              `ADD ${moved.map(([name]) => `#${name} :${name}`).join(", ")}`
          );
        },
      ),
    );
  });
});

describe("statusTransition", () => {
  it("conditions on the from-statuses and sets the decision and the defined fields only", () => {
    const parts = statusTransition({
      from: ["pending", "approved"],
      to: "applying",
      decision: { by: { sub: "m-1" }, at: "2025-01-01T00:00:00.000Z" },
      set: { ledgerEntryId: "e-1", error: undefined },
    });
    expect(parts.condition).toBe("#status IN (:from0, :from1)");
    expect(parts.sets).toEqual([
      "#status = :to",
      "decidedBy = :by",
      "decidedAt = :at",
      "#ledgerEntryId = :ledgerEntryId",
    ]);
    expect(parts.names).toEqual({ "#status": "status", "#ledgerEntryId": "ledgerEntryId" });
    expect(Object.keys(parts.values)).toEqual([":to", ":from0", ":from1", ":by", ":at", ":ledgerEntryId"]);
  });
});

describe("conditionHeld", () => {
  it("is true for a write, false for a failed condition, and rethrows anything else", async () => {
    expect(await conditionHeld(Promise.resolve({}))).toBe(true);
    const failed = new ConditionalCheckFailedException({ message: "no", $metadata: {} });
    expect(await conditionHeld(Promise.reject(failed))).toBe(false);
    await expect(conditionHeld(Promise.reject(new Error("throttled")))).rejects.toThrow("throttled");
  });
});

describe("dueIndexAttributes", () => {
  it("files a member under its due day, and never a merged member or one without a due day", () => {
    expect(dueIndexAttributes("m-1", { retention: { dueOn: "2025-03-01" } }, 4).GSI1SK).toEqual({ S: "m-1" });
    expect(dueIndexAttributes("m-1", { status: "merged", retention: { dueOn: "2025-03-01" } }, 4)).toEqual(
      {},
    );
    expect(dueIndexAttributes("m-1", { retention: {} }, 4)).toEqual({});
  });
});
