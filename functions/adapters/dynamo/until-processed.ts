import { backoffDelay, sleep } from "../../shared/backoff";

// BatchGetItem and BatchWriteItem may leave part of a request unprocessed (throttling, size); AWS asks callers
// to send that part again after an exponential backoff. The shared full-jitter rule (functions/shared/backoff.ts).

const BACKOFF = { baseMs: 40, capMs: 1_000 };

export interface UntilProcessedOptions {
  /** Requests at most, the first included. */
  attempts: number;
  /** Names the call in the error when some stay unprocessed. */
  what: string;
}

/** Calls `send` with `pending`, then with what it returns as unprocessed, until nothing is left. */
export async function untilProcessed<T>(
  pending: readonly T[],
  send: (batch: readonly T[]) => Promise<readonly T[]>,
  options: UntilProcessedOptions,
): Promise<void> {
  let left = pending;
  for (let attempt = 1; left.length > 0; attempt += 1) {
    if (attempt > options.attempts) throw new Error(`${options.what}: ${left.length} still unprocessed`);
    if (attempt > 1) await sleep(backoffDelay(attempt - 1, BACKOFF));
    left = await send(left);
  }
}
