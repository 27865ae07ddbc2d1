import type { Envelope } from "./events";
import type { Harness } from "./harness";

// Delivery like EventBridge: at least once, in any order, several at a time; a handler that throws is
// retried later (EventBridge's retry policy), a rejected event is not.

export interface DeliveryStats {
  deliveries: number;
  retried: number;
  statuses: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers `events` with `concurrency` workers. An event whose handler throws is redelivered later,
 * after an exponential, jittered delay like EventBridge's retry policy; the workers meanwhile go on.
 */
export async function deliverAll(
  harness: Harness,
  events: readonly Envelope[],
  options: {
    concurrency: number;
    maxRetries?: number;
    /**
     * Purchases go to the batch consumer as its SQS queue would hand them over: up to this many queued purchases
     * at once (status "batched"); the records it reports failed are redelivered later, the others not.
     */
    purchaseBatchSize?: number;
  },
): Promise<DeliveryStats> {
  const queue = events.map((event) => ({ event, tries: 0 }));
  const stats: DeliveryStats = { deliveries: 0, retried: 0, statuses: {} };
  const maxRetries = options.maxRetries ?? 50;
  let waiting = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const item = queue.shift();
      if (item === undefined) {
        if (waiting === 0) return;
        await sleep(5);
        continue;
      }
      stats.deliveries += 1;
      const retry = (failed: typeof item, error: unknown) => {
        failed.tries += 1;
        stats.retried += 1;
        if (failed.tries > maxRetries) throw error;
        waiting += 1;
        setTimeout(
          () => {
            queue.push(failed);
            waiting -= 1;
          },
          Math.random() * Math.min(1000, 20 * 2 ** failed.tries),
        );
      };
      const size = options.purchaseBatchSize;
      if (size !== undefined && isPurchase(item.event)) {
        const batch = [item, ...takePurchases(queue, size - 1)];
        const { batchItemFailures } = await harness.deliverBatch(batch.map((b) => b.event));
        stats.statuses.batched = (stats.statuses.batched ?? 0) + batch.length;
        const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        for (const [i, b] of batch.entries())
          if (failed.has(String(i))) retry(b, new Error(`batch record ${i} failed`));
        continue;
      }
      try {
        const result = await harness.deliver(item.event);
        stats.statuses[result.status] = (stats.statuses[result.status] ?? 0) + 1;
      } catch (error) {
        retry(item, error);
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return stats;
}

const isPurchase = (event: Envelope) => event["detail-type"] === "Purchase Completed";

/** Removes up to `count` purchases from the queue, the first ones queued. */
function takePurchases<T extends { event: Envelope }>(queue: T[], count: number): T[] {
  const taken: T[] = [];
  for (let i = 0; i < queue.length && taken.length < count; ) {
    const next = queue[i] as T;
    if (isPurchase(next.event)) taken.push(...queue.splice(i, 1));
    else i += 1;
  }
  return taken;
}

/** Each member's events one at a time in order of occurrence; members in parallel (they are independent). */
export async function deliverInOrder(
  harness: Harness,
  events: readonly Envelope[],
  concurrency = 16,
): Promise<void> {
  const byMember = new Map<string, Envelope[]>();
  for (const event of events) {
    const memberId = String(event.detail.memberId);
    byMember.set(memberId, [...(byMember.get(memberId) ?? []), event]);
  }
  const members = [...byMember.values()];
  async function worker(): Promise<void> {
    for (let list = members.shift(); list !== undefined; list = members.shift()) {
      for (const event of list) await harness.deliver(event);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Fisher–Yates with the given random source. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
