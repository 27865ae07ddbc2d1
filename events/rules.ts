import { inboundEvents } from "./catalog";
import { detailTypeSlug } from "./event-definition";
import { PATRON_SOURCE, PRODUCER_SOURCE_PREFIX } from "./sources";

/** An EventBridge rule as plain data, shared by the CDK stack and the local bus. */
export interface ConsumerRule {
  readonly id: string;
  readonly description: string;
  /** Handler name under functions/, e.g. "purchase-completed". */
  readonly consumer: string;
  readonly eventPattern: Record<string, unknown>;
  /**
   * When set, the rule targets an SQS queue whose event source hands the consumer batches of up to this many
   * events, with partial-batch failures (functions/shared/batch-consumer.ts); otherwise it invokes the consumer
   * with one event. The local bus batches such deliveries the same way.
   */
  readonly batchSize?: number;
}

/**
 * Consumers fed in batches: purchases are most of the traffic, and a batch commits its members' plain purchases
 * in one transaction (functions/pipeline/process-purchase-batch.ts). 10 is the SQS event source's default and
 * its most without a batching window.
 */
const BATCH_SIZES: Readonly<Record<string, number>> = { "purchase-completed": 10 };

/** Handler of producer events that no other rule routes (functions/handlers/unrouted-events.ts). */
export const UNROUTED_CONSUMER = "unrouted-events";

const inboundDetailTypes = Object.values(inboundEvents).map((definition) => definition.detailType);

/**
 * One rule per inbound consumer: exact detail-type, any producer source. The source prefix keeps
 * Patron's own `patron` events and AWS `aws.*` events out, so no rule can loop. A catch-all sends every
 * other producer detail-type (misspelt, unknown, or one only Patron publishes) to be parked and counted,
 * so no producer event vanishes.
 */
export const consumerRules: ReadonlyArray<ConsumerRule> = [
  ...Object.values(inboundEvents).map((definition) => {
    const slug = detailTypeSlug(definition.detailType);
    const batchSize = BATCH_SIZES[slug];
    return {
      id: slug,
      description: `Route "${definition.detailType}" from producers (${PRODUCER_SOURCE_PREFIX}*) to ${slug}`,
      consumer: slug,
      eventPattern: {
        source: [{ prefix: PRODUCER_SOURCE_PREFIX }],
        "detail-type": [definition.detailType],
      },
      ...(batchSize !== undefined && { batchSize }),
    };
  }),
  // Patron's own Referral Completed rewards the referrer (functions/handlers/referral-completed.ts). Source
  // `patron` and this one detail-type only; the referrer's commit publishes none, so it cannot loop.
  {
    id: "referral-completed",
    description: `Route Patron's own "Referral Completed" (${PATRON_SOURCE}) to the referrer reward`,
    consumer: "referral-completed",
    eventPattern: { source: [PATRON_SOURCE], "detail-type": ["Referral Completed"] },
  },
  {
    id: UNROUTED_CONSUMER,
    description: `Park events from producers (${PRODUCER_SOURCE_PREFIX}*) that no consumer handles`,
    consumer: UNROUTED_CONSUMER,
    eventPattern: {
      source: [{ prefix: PRODUCER_SOURCE_PREFIX }],
      "detail-type": [{ "anything-but": inboundDetailTypes }],
    },
  },
];
