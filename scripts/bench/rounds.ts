// What the benches' timed rounds share: the median of a round's figures, and a rate with `concurrency` requests
// in flight.

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Calls per second of `run(0)` … `run(count − 1)`, `concurrency` at a time. */
export async function perSecond(
  count: number,
  run: (i: number) => Promise<unknown>,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await run(i);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
