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
  options: { concurrency: number; maxRetries?: number },
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
      try {
        const result = await harness.deliver(item.event);
        stats.statuses[result.status] = (stats.statuses[result.status] ?? 0) + 1;
      } catch (error) {
        item.tries += 1;
        stats.retried += 1;
        if (item.tries > maxRetries) throw error;
        waiting += 1;
        setTimeout(
          () => {
            queue.push(item);
            waiting -= 1;
          },
          Math.random() * Math.min(1000, 20 * 2 ** item.tries),
        );
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return stats;
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
