// The one backoff rule: the ceiling doubles per retry up to a cap, and the wait is drawn uniformly below it
// ("full jitter", as the AWS SDKs do), so writers that collided do not collide again in lock-step.

export interface BackoffOptions {
  /** The ceiling of the first retry. */
  baseMs: number;
  /** The largest ceiling. */
  capMs: number;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
}

/** The ceiling before retry `retry` (1 = the first retry): min(cap, base·2^(retry−1)). */
export function backoffCeiling(retry: number, options: Omit<BackoffOptions, "random">): number {
  return Math.min(options.capMs, options.baseMs * 2 ** (retry - 1));
}

/** A full-jitter wait before retry `retry`: uniform in [0, ceiling). */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  return (options.random ?? Math.random)() * backoffCeiling(retry, options);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
