import { randomUUID } from "node:crypto";
import type { PutEventsRequestEntry, PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { matchesPattern } from "../../../events/pattern-matcher";
import {
  type BusLogger,
  createDeliveryQueue,
  type DeadLetter,
  type DeliveryStats,
  type RuleTarget,
} from "./delivery-queue";
import { type ProducerGrant, producerDenial } from "./producer-permissions";
import {
  AwsJsonError,
  assertRequestLimits,
  DEFAULT_MAX_REQUEST_ENTRY_BYTES,
  type EnvelopeContext,
  toEnvelope,
} from "./put-events-request";

export interface LocalBusRule {
  id: string;
  eventPattern: Record<string, unknown>;
  target: RuleTarget;
}

export interface EventBusOptions {
  rules: ReadonlyArray<LocalBusRule>;
  retry?: { maxAttempts?: number; baseDelayMs?: number };
  /** Deliveries running at once (default 16). */
  concurrency?: number;
  /** Queued deliveries above which producers are held back (default 10 000). */
  maxQueueDepth?: number;
  maxDeadLetters?: number;
  /** Total entry size per PutEvents call (default 1 MiB, the current AWS limit). */
  maxRequestEntryBytes?: number;
  account?: string;
  region?: string;
  logger?: BusLogger;
}

/** The PutEvents response shape: one result per request entry, in request order. */
export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

export interface BusStats extends DeliveryStats {
  eventsAccepted: number;
  entriesFailed: number;
  eventsUnmatched: number;
}

export interface PutEventsOptions {
  /** Region stamped on the envelope (the HTTP path takes it from the SigV4 credential scope). */
  region?: string;
  /**
   * "wait" holds the caller until the queue has room (in-process bulk producers such as replay);
   * "throttle" fails the call with ThrottlingException instead, which the SDK retries with backoff.
   */
  whenFull?: "wait" | "throttle";
  /** The calling producer: entries outside its sources or detail types are refused, as IAM would. */
  producer?: ProducerGrant;
}

export interface EventBus {
  putEvents(entries: PutEventsRequestEntry[], options?: PutEventsOptions): Promise<PutEventsResult>;
  drain(): Promise<void>;
  /** Resolves once every rule's delivery of the event (by its EventId) has finished, dead-lettered included. */
  delivered(eventId: string): Promise<void>;
  deadLetters(): DeadLetter[];
  stats(): BusStats;
}

const silentLogger: BusLogger = { info() {}, warn() {}, error() {} };

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Routes PutEvents entries to every rule whose pattern matches, delivering after the call returns. */
export function createEventBus(options: EventBusOptions): EventBus {
  const ruleIds = new Set<string>();
  for (const rule of options.rules) {
    if (ruleIds.has(rule.id)) throw new Error(`Duplicate rule id "${rule.id}"`);
    ruleIds.add(rule.id);
  }
  const baseDelayMs = options.retry?.baseDelayMs ?? 1000;
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) {
    throw new Error(`retry.baseDelayMs must be a non-negative number, got ${baseDelayMs}`);
  }
  const logger = options.logger ?? silentLogger;
  const deliveries = createDeliveryQueue({
    maxAttempts: positiveInteger(options.retry?.maxAttempts ?? 3, "retry.maxAttempts"),
    baseDelayMs,
    concurrency: positiveInteger(options.concurrency ?? 16, "concurrency"),
    maxQueueDepth: positiveInteger(options.maxQueueDepth ?? 10_000, "maxQueueDepth"),
    maxDeadLetters: positiveInteger(options.maxDeadLetters ?? 10_000, "maxDeadLetters"),
    logger,
  });
  const maxRequestEntryBytes = positiveInteger(
    options.maxRequestEntryBytes ?? DEFAULT_MAX_REQUEST_ENTRY_BYTES,
    "maxRequestEntryBytes",
  );
  const counters = { eventsAccepted: 0, entriesFailed: 0, eventsUnmatched: 0 };

  return {
    async putEvents(entries, putOptions = {}) {
      assertRequestLimits(entries, maxRequestEntryBytes);
      if (putOptions.whenFull === "throttle" && !deliveries.hasRoom()) {
        throw new AwsJsonError("ThrottlingException", "Rate exceeded.");
      }
      await deliveries.waitForRoom();
      const ctx: EnvelopeContext = {
        account: options.account ?? "000000000000",
        region: putOptions.region ?? options.region ?? "us-east-1",
        now: () => new Date(),
        newId: randomUUID,
      };
      const results: PutEventsResultEntry[] = [];
      for (const entry of entries) {
        const outcome =
          (putOptions.producer && producerDenial(putOptions.producer, entry)) ?? toEnvelope(entry, ctx);
        if (!outcome.ok) {
          counters.entriesFailed += 1;
          results.push(outcome.result);
          continue;
        }
        const { event } = outcome;
        counters.eventsAccepted += 1;
        const matched = options.rules.filter((rule) => matchesPattern(rule.eventPattern, event));
        if (matched.length === 0) {
          counters.eventsUnmatched += 1;
          logger.info("event matched no rule", { eventId: event.id, detailType: event["detail-type"] });
        }
        deliveries.enqueue(matched.map((rule) => ({ ruleId: rule.id, target: rule.target, event })));
        results.push({ EventId: event.id });
      }
      return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
    },
    drain: () => deliveries.drain(),
    delivered: (eventId) => deliveries.finished(eventId),
    deadLetters: () => deliveries.deadLetters(),
    stats: () => ({ ...counters, ...deliveries.stats() }),
  };
}
