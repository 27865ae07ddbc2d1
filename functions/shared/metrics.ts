import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/** Metric names Patron's dashboard and alarms refer to. */
export const metricNames = {
  eventsProcessed: "EventsProcessed",
  eventsDuplicate: "EventsDuplicate",
  eventsRejected: "EventsRejected",
  eventsRetried: "EventsRetried",
  commitConflicts: "CommitConflicts",
  outboundPublished: "OutboundEventsPublished",
  outboundFailed: "OutboundEventsFailed",
} as const;

/** CloudWatch embedded-metric-format metrics, flushed after each invocation by the middy middleware. */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: "Patron", serviceName: "patron" });
}

export { type Metrics, MetricUnit };
