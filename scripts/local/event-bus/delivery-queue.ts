import { backoffCeiling } from "../../../functions/shared/backoff";
import type { BusEvent } from "./put-events-request";

export type BusTarget = (event: BusEvent) => Promise<void>;

/**
 * A target fed in batches, as an SQS event source feeds a Lambda (events/rules.ts `batchSize`): up to `batchSize`
 * of the rule's queued deliveries at once, as one worker; answers the ids of the events that failed, each retried
 * (and dead-lettered) on its own. A throw fails the whole batch.
 */
export interface BatchBusTarget {
  batchSize: number;
  deliver(events: readonly BusEvent[]): Promise<ReadonlySet<string>>;
  /** Whether `next` may join a batch that `first` opens (default: any may). */
  joins?(first: BusEvent, next: BusEvent): boolean;
}

export type RuleTarget = BusTarget | BatchBusTarget;

export interface DeadLetter {
  ruleId: string;
  attempts: number;
  errorMessage: string;
  failedAt: string;
  event: BusEvent;
}

export interface BusLogger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface DeliveryOptions {
  /** Total tries per delivery, first one included (a target retry policy of maxAttempts - 1 retries). */
  maxAttempts: number;
  /** Delay before retry n is baseDelayMs * 2^(n-1). */
  baseDelayMs: number;
  concurrency: number;
  /** Above this many queued deliveries, producers are held back so a bulk replay cannot outrun the targets. */
  maxQueueDepth: number;
  /** Oldest dead letters are dropped past this many (counted in stats) to keep memory bounded. */
  maxDeadLetters: number;
  logger: BusLogger;
}

export interface DeliveryStats {
  queued: number;
  inFlight: number;
  awaitingRetry: number;
  delivered: number;
  retried: number;
  deadLettered: number;
  deadLettersDropped: number;
}

interface Delivery {
  ruleId: string;
  target: RuleTarget;
  event: BusEvent;
  attempt: number;
  /** Taken into a batch ahead of its turn: skipped when its turn comes. */
  taken?: boolean;
}

/** How far ahead of its turn a batch looks for more deliveries to its target. */
const BATCH_LOOKAHEAD = 1_000;

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** FIFO of rule deliveries drained by a fixed number of workers, with backoff retries and a dead-letter list. */
export function createDeliveryQueue(options: DeliveryOptions) {
  const queue: Delivery[] = [];
  // Index of the next item to take: shifting a 100k-element array per delivery would be O(n²).
  let head = 0;
  // Deliveries past `head` already taken into a batch.
  let takenAhead = 0;
  let inFlight = 0;
  const retryTimers = new Set<NodeJS.Timeout>();
  const deadLetters: DeadLetter[] = [];
  const counters = { delivered: 0, retried: 0, deadLettered: 0, deadLettersDropped: 0 };
  let idleWaiters: Array<() => void> = [];
  let roomWaiters: Array<() => void> = [];
  // Deliveries not yet finished (delivered or dead-lettered) per event id, and who waits for them.
  const unfinished = new Map<string, { deliveries: number; waiters: Array<() => void> }>();
  const finished = (eventId: string) => {
    const entry = unfinished.get(eventId);
    if (entry === undefined) return;
    entry.deliveries -= 1;
    if (entry.deliveries > 0) return;
    unfinished.delete(eventId);
    for (const wake of entry.waiters) wake();
  };

  const depth = () => queue.length - head - takenAhead;
  const isIdle = () => depth() === 0 && inFlight === 0 && retryTimers.size === 0;

  const notify = () => {
    if (depth() < options.maxQueueDepth && roomWaiters.length > 0) {
      const waiters = roomWaiters;
      roomWaiters = [];
      for (const wake of waiters) wake();
    }
    if (isIdle() && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  };

  const deadLetter = (delivery: Delivery, error: unknown) => {
    counters.deadLettered += 1;
    deadLetters.push({
      ruleId: delivery.ruleId,
      attempts: delivery.attempt,
      errorMessage: errorMessage(error),
      failedAt: new Date().toISOString(),
      event: delivery.event,
    });
    if (deadLetters.length > options.maxDeadLetters) {
      deadLetters.shift();
      counters.deadLettersDropped += 1;
    }
    options.logger.error("delivery dead-lettered", {
      ruleId: delivery.ruleId,
      eventId: delivery.event.id,
      detailType: delivery.event["detail-type"],
      attempts: delivery.attempt,
      error: errorMessage(error),
    });
  };

  const scheduleRetry = (delivery: Delivery, error: unknown) => {
    // Deterministic doubling (the ceiling, no jitter): tests and replays see the same retry times.
    const delayMs = backoffCeiling(delivery.attempt, {
      baseMs: options.baseDelayMs,
      capMs: Number.POSITIVE_INFINITY,
    });
    counters.retried += 1;
    options.logger.warn("delivery failed, retrying", {
      ruleId: delivery.ruleId,
      eventId: delivery.event.id,
      attempt: delivery.attempt,
      delayMs,
      error: errorMessage(error),
    });
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      // A fresh delivery: not `taken` by the batch the failed attempt rode in.
      const { ruleId, target, event } = delivery;
      queue.push({ ruleId, target, event, attempt: delivery.attempt + 1 });
      pump();
    }, delayMs);
    retryTimers.add(timer);
  };

  const settle = (delivery: Delivery, error: unknown) => {
    if (error === undefined) {
      counters.delivered += 1;
      finished(delivery.event.id);
    } else if (delivery.attempt < options.maxAttempts) scheduleRetry(delivery, error);
    else {
      deadLetter(delivery, error);
      finished(delivery.event.id);
    }
  };

  const run = async (batch: readonly Delivery[]) => {
    const first = batch[0];
    try {
      if (first === undefined) return;
      if (typeof first.target === "function") {
        const error = await first.target(first.event).then(
          () => undefined,
          (thrown: unknown) => thrown ?? new Error("target failed"),
        );
        settle(first, error);
        return;
      }
      const failed = await first.target
        .deliver(batch.map((delivery) => delivery.event))
        .catch((thrown: unknown) => thrown ?? new Error("batch target failed"));
      for (const delivery of batch) {
        const error =
          failed instanceof Set
            ? failed.has(delivery.event.id)
              ? new Error("reported in the batch's failures")
              : undefined
            : failed;
        settle(delivery, error);
      }
    } finally {
      inFlight -= 1;
      pump();
    }
  };

  /** The delivery and, for a batch target, more of its target's queued deliveries, taken ahead of their turn. */
  const batchFrom = (first: Delivery): Delivery[] => {
    const target = first.target;
    if (typeof target === "function") return [first];
    const batch = [first];
    const end = Math.min(queue.length, head + BATCH_LOOKAHEAD);
    for (let k = head; k < end && batch.length < target.batchSize; k += 1) {
      const next = queue[k];
      if (next === undefined || next.taken || next.target !== target) continue;
      if (target.joins && !target.joins(first.event, next.event)) continue;
      next.taken = true;
      takenAhead += 1;
      batch.push(next);
    }
    return batch;
  };

  function pump(): void {
    while (inFlight < options.concurrency && depth() > 0) {
      const next = queue[head];
      head += 1;
      if (next === undefined) break;
      if (next.taken) {
        takenAhead -= 1;
        continue;
      }
      inFlight += 1;
      void run(batchFrom(next));
    }
    // Compact once the consumed prefix dominates, keeping the array from growing without bound.
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    notify();
  }

  return {
    hasRoom: () => depth() < options.maxQueueDepth,
    /** Resolves when the queue is below maxQueueDepth; a target must never await this (it would hold a worker). */
    async waitForRoom(): Promise<void> {
      while (depth() >= options.maxQueueDepth) {
        await new Promise<void>((resolve) => roomWaiters.push(resolve));
      }
    },
    /** Queues one delivery per matched rule. */
    enqueue(deliveries: ReadonlyArray<{ ruleId: string; target: RuleTarget; event: BusEvent }>): void {
      for (const delivery of deliveries) {
        queue.push({ ...delivery, attempt: 1 });
        const entry = unfinished.get(delivery.event.id) ?? { deliveries: 0, waiters: [] };
        entry.deliveries += 1;
        unfinished.set(delivery.event.id, entry);
      }
      pump();
    },
    /** Resolves once every delivery of the event has finished: delivered or dead-lettered (at once if none). */
    finished(eventId: string): Promise<void> {
      const entry = unfinished.get(eventId);
      if (entry === undefined) return Promise.resolve();
      return new Promise((resolve) => entry.waiters.push(resolve));
    },
    /** Resolves once nothing is queued, running or waiting to be retried. */
    drain(): Promise<void> {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    deadLetters(): DeadLetter[] {
      return [...deadLetters];
    },
    stats(): DeliveryStats {
      return { queued: depth(), inFlight, awaitingRetry: retryTimers.size, ...counters };
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;
