import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/** Metric names Patron's dashboard and alarms refer to. */
export const metricNames = {
  eventsProcessed: "EventsProcessed",
  eventsDuplicate: "EventsDuplicate",
  eventsRejected: "EventsRejected",
  eventsRetried: "EventsRetried",
  /** Events a batch consumer committed together with others of its batch (batch-consumer.ts); the rest ran alone. */
  eventsCommittedTogether: "EventsCommittedTogether",
  /** Producer events no consumer handles (the catch-all rule in events/rules.ts), parked as `unrouted`. */
  eventsUnrouted: "EventsUnrouted",
  /** Applied purchases with a line whose category the program does not declare (base points only). */
  purchasesWithUnknownCategory: "PurchasesWithUnknownCategory",
  commitConflicts: "CommitConflicts",
  outboundPublished: "OutboundEventsPublished",
  outboundFailed: "OutboundEventsFailed",
} as const;

/** CloudWatch embedded-metric-format metrics, flushed after each invocation by the middy middleware. */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: "Patron", serviceName: "patron" });
}

export { type Metrics, MetricUnit };
