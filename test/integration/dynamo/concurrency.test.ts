import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemberRepository } from "../../../functions/adapters/dynamo/member-repository";
import {
  ConcurrencyExhaustedError,
  withOptimisticRetry,
} from "../../../functions/adapters/dynamo/optimistic-retry";
import type { DynamoLocal } from "../../../scripts/local/dynamo-local";
import { createTestTable, dedicatedDynamoLocal, dynamoClient, type TestTable } from "../support/dynamo";
import { failNthTransaction } from "../support/faults";
import { applyEarn, type TestState } from "../support/members";

let dynamo: DynamoLocal;
let endpoint: string;
let table: TestTable;

beforeAll(async () => {
  dynamo = await dedicatedDynamoLocal();
  endpoint = dynamo.endpoint;
  table = await createTestTable(endpoint);
});
afterAll(async () => {
  await table?.drop();
  await dynamo?.stop();
});

const T0 = "2025-04-01T12:00:00.000Z";

describe("concurrent events for one member", () => {
  // The repository-level race; the 100-purchase race through the handler is test/integration/pipeline.
  // Every round of a race on one item lets one writer win, so attempts grow with the square of the racers.
  it("loses no update when 50 increments race", { timeout: 600_000 }, async () => {
    const client = dynamoClient(endpoint);
    const repository = createMemberRepository({ client, tableName: table.tableName });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        applyEarn(repository, "m-race", `pos#R${n}`, n + 1, T0, {
          maxAttempts: 200,
          baseDelayMs: 10,
          maxDelayMs: 500,
        }),
      ),
    );
    expect(results.every((r) => r.outcome === "committed")).toBe(true);
    expect(await repository.getMember<TestState>("m-race")).toMatchObject({
      state: { points: 1275 },
      version: 50,
    });
    expect((await repository.queryLedger("m-race", { limit: 100 })).records).toHaveLength(50);
    client.destroy();
  });
});

describe("withOptimisticRetry", () => {
  it("backs off with full jitter under a doubling, capped ceiling and gives up with a typed error", async () => {
    const delays: number[] = [];
    const attempts: number[] = [];
    const run = withOptimisticRetry(
      async (n) => {
        attempts.push(n);
        return { outcome: "conflict" as const };
      },
      {
        maxAttempts: 5,
        baseDelayMs: 10,
        maxDelayMs: 50,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    await expect(run).rejects.toBeInstanceOf(ConcurrencyExhaustedError);
    await expect(run).rejects.toThrow("Gave up after 5 attempts");
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(delays).toEqual([5, 10, 20, 25]);
  });

  it("returns the first non-conflict outcome", async () => {
    const outcomes = ["conflict", "conflict", "duplicate"] as const;
    const result = await withOptimisticRetry(async (n) => ({ outcome: outcomes[n - 1] ?? "conflict" }), {
      sleep: async () => {},
    });
    expect(result).toEqual({ outcome: "duplicate" });
  });

  it("rejects a non-positive attempt budget", async () => {
    await expect(
      withOptimisticRetry(async () => ({ outcome: "committed" }), { maxAttempts: 0 }),
    ).rejects.toThrow("maxAttempts must be a positive integer, got 0");
  });
});

describe("failed commits", () => {
  it("leave no partial state when the transaction never reaches DynamoDB", async () => {
    const client = dynamoClient(endpoint);
    const repository = createMemberRepository({ client, tableName: table.tableName });
    await applyEarn(repository, "m-fault", "pos#F1", 10, T0);
    failNthTransaction(client, 1, "before-send");
    await expect(applyEarn(repository, "m-fault", "pos#F2", 20, T0)).rejects.toThrow(
      "injected fault before send",
    );
    expect(await repository.getMember<TestState>("m-fault")).toMatchObject({
      state: { points: 10 },
      version: 1,
    });
    expect((await repository.queryLedger("m-fault")).records).toHaveLength(1);
    // The event's redelivery then applies it exactly once.
    expect(await applyEarn(repository, "m-fault", "pos#F2", 20, T0)).toEqual({
      outcome: "committed",
      version: 2,
    });
    client.destroy();
  });

  it("apply once when the response of a committed transaction is lost and the event is redelivered", async () => {
    const client = dynamoClient(endpoint);
    const repository = createMemberRepository({ client, tableName: table.tableName });
    failNthTransaction(client, 1, "after-commit");
    await expect(applyEarn(repository, "m-lost", "pos#L1", 40, T0)).rejects.toThrow(
      "injected fault after commit",
    );
    expect(await applyEarn(repository, "m-lost", "pos#L1", 40, T0)).toEqual({ outcome: "duplicate" });
    expect(await repository.getMember<TestState>("m-lost")).toMatchObject({
      state: { points: 40 },
      version: 1,
    });
    expect((await repository.queryLedger("m-lost")).records).toHaveLength(1);
    client.destroy();
  });
});
