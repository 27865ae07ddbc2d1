import { describe, expect, it } from "vitest";
import {
  ConcurrencyExhaustedError,
  withOptimisticRetry,
} from "../../../functions/adapters/dynamo/optimistic-retry";

/** An attempt that conflicts `times` times, then commits; records the backoffs slept. */
function conflicting(times: number) {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: async () => {
      calls += 1;
      return calls > times ? { outcome: "committed" as const } : { outcome: "conflict" as const };
    },
  };
}

describe("withOptimisticRetry", () => {
  it("retries conflicts with a doubling, capped full-jitter backoff", async () => {
    const slept: number[] = [];
    const run = conflicting(5);
    const result = await withOptimisticRetry(run.attempt, {
      baseDelayMs: 10,
      maxDelayMs: 50,
      random: () => 0.5,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(result).toEqual({ outcome: "committed" });
    expect(run.calls()).toBe(6);
    expect(slept).toEqual([5, 10, 20, 25, 25]);
  });

  it("gives up after maxAttempts with a typed error", async () => {
    const run = conflicting(Number.POSITIVE_INFINITY);
    await expect(
      withOptimisticRetry(run.attempt, { maxAttempts: 3, sleep: async () => undefined }),
    ).rejects.toBeInstanceOf(ConcurrencyExhaustedError);
    expect(run.calls()).toBe(3);
  });

  it("starts no attempt after the invocation is aborted", async () => {
    const controller = new AbortController();
    const run = conflicting(Number.POSITIVE_INFINITY);
    const result = withOptimisticRetry(run.attempt, {
      maxAttempts: 1000,
      signal: controller.signal,
      sleep: async () => {
        if (run.calls() === 4) controller.abort(new Error("invocation timed out"));
      },
    });
    await expect(result).rejects.toThrow("invocation timed out");
    expect(run.calls()).toBe(4);
  });

  it("refuses a maxAttempts that is not a positive integer", async () => {
    await expect(withOptimisticRetry(conflicting(0).attempt, { maxAttempts: 0 })).rejects.toThrow(
      "maxAttempts must be a positive integer, got 0",
    );
  });
});
