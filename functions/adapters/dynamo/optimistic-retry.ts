import { backoffDelay, sleep as wait } from "../../shared/backoff";

// Bounded retry of a read-compute-commit cycle when another writer won the race for the same member.

export class ConcurrencyExhaustedError extends Error {
  override readonly name = "ConcurrencyExhaustedError";
  constructor(readonly attempts: number) {
    super(`Gave up after ${attempts} attempts: the member kept being changed concurrently`);
  }
}

export interface OptimisticRetryOptions {
  /** Total attempts including the first (default 8). */
  maxAttempts?: number;
  /** First backoff ceiling; doubles per attempt (default 20 ms). */
  baseDelayMs?: number;
  /** Cap of the backoff ceiling (default 1 s). */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1) — injectable for tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The invocation's abort signal (middy aborts it at the Lambda timeout). In Lambda a timed-out
   * invocation is frozen anyway; where handlers run in-process (the local bus, tests) a loop that
   * kept retrying after its delivery timed out would race the redelivery of the same event.
   */
  signal?: AbortSignal;
}

/**
 * Runs `attempt` (which must reload the member and recompute) until it returns anything but a
 * conflict, sleeping a "full jitter" backoff — uniform in [0, min(cap, base·2^n)) — between tries.
 */
export async function withOptimisticRetry<R extends { outcome: string }>(
  attempt: (attemptNumber: number) => Promise<R>,
  options: OptimisticRetryOptions = {},
): Promise<Exclude<R, { outcome: "conflict" }>> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 20;
  const maxDelayMs = options.maxDelayMs ?? 1000;
  const random = options.random;
  const sleep = options.sleep ?? wait;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  for (let n = 1; n <= maxAttempts; n += 1) {
    options.signal?.throwIfAborted();
    const result = await attempt(n);
    if (result.outcome !== "conflict") return result as Exclude<R, { outcome: "conflict" }>;
    if (n < maxAttempts)
      await sleep(backoffDelay(n, { baseMs: baseDelayMs, capMs: maxDelayMs, ...(random && { random }) }));
  }
  throw new ConcurrencyExhaustedError(maxAttempts);
}
