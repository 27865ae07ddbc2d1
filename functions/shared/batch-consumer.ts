import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { InboundEventId } from "../../events/catalog";
import type { Inbound } from "../pipeline/inbound";
import { classifyFailure } from "./errors";
import { type ConsumerDeps, parseConsumed, recordOutcome, settleFailure } from "./event-consumer";
import { MetricUnit, metricNames } from "./metrics";

// A consumer fed by an SQS queue that its EventBridge rule targets: the event source hands it a batch (each
// record's body is the EventBridge event), it commits what it can of the batch together, and runs every other
// event one by one exactly as the single-event consumer does (same use case, same error policy). A record whose
// event failed retryably is reported in batchItemFailures, so SQS redelivers that one and not the batch.

type Outcome = { outcome: "committed" | "duplicate" | "unchanged" };

export interface BatchConsumerOptions<Id extends InboundEventId, O extends Outcome> {
  /** The use case for one event: the single-event consumer's. */
  processOne(deps: ConsumerDeps, event: Inbound<Id>): Promise<O>;
  /** Commits what it can of the batch's valid events together: outcomes by position among them. */
  processBatch(deps: ConsumerDeps, events: readonly Inbound<Id>[]): Promise<ReadonlyMap<number, O>>;
  /** What else an outcome should log or count (the single-event consumer's too). */
  onOutcome?(deps: ConsumerDeps, event: Inbound<Id>, outcome: O): void;
}

function bodyOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body; // rejected as not an event, by the parse that names why
  }
}

export function createBatchEventConsumer<Id extends InboundEventId, O extends Outcome>(
  id: Id,
  deps: ConsumerDeps,
  options: BatchConsumerOptions<Id, O>,
) {
  const core = async (
    batch: SQSEvent,
    _context: unknown,
    { signal }: { signal: AbortSignal },
  ): Promise<SQSBatchResponse> => {
    const run = { ...deps, retry: { ...deps.retry, signal } };
    // Each record parsed once: an invalid one keeps its error, rejected in turn by the error policy.
    const records = batch.Records.map((record) => {
      const event = bodyOf(record.body);
      try {
        return { messageId: record.messageId, event, parsed: parseConsumed(id, event) };
      } catch (invalid) {
        return { messageId: record.messageId, event, invalid };
      }
    });
    const valid = records.flatMap((record) => (record.parsed ? [record.parsed] : []));
    let together: ReadonlyMap<number, O> = new Map();
    try {
      together = await options.processBatch(run, valid);
    } catch (error) {
      // Nothing is lost: every event then runs alone, where a failure is retried or rejected as usual.
      deps.logger.warn("batch commit failed, events run one by one", { code: classifyFailure(error).code });
    }
    deps.metrics.addMetric(metricNames.eventsCommittedTogether, MetricUnit.Count, together.size);
    const failures: SQSBatchItemFailure[] = [];
    for (const record of records) {
      try {
        if (!record.parsed) throw record.invalid;
        const outcome =
          together.get(valid.indexOf(record.parsed)) ?? (await options.processOne(run, record.parsed));
        options.onOutcome?.(deps, record.parsed, outcome);
        recordOutcome(deps, record.parsed, outcome.outcome);
      } catch (error) {
        await settleFailure(deps, record.event, error).catch(() =>
          failures.push({ itemIdentifier: record.messageId }),
        );
      }
    }
    return { batchItemFailures: failures };
  };
  return middy<SQSEvent, SQSBatchResponse>(core)
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics));
}
