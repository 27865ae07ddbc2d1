import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import { envelopeSchema } from "../../events/envelope";
import { referralCompletedEvent } from "../../events/outbound/referral-completed";
import { PATRON_SOURCE } from "../../events/sources";
import { formatZodIssues } from "../../events/validation-errors";
import { processReferralCompleted } from "../pipeline/process-referral-completed";
import { InvalidEvent } from "../shared/errors";
import { type ConsumerDeps, type ConsumerResult, eventConsumerErrors } from "../shared/event-consumer";
import { MetricUnit, metricNames } from "../shared/metrics";
import { consumerDepsFromEnv, onFirstCall } from "../shared/runtime";

/**
 * Referral Completed (source `patron`, Patron's own event) → the referrer's reward. The rule matches this one
 * detail-type from Patron only (events/rules.ts); what it commits publishes no Referral Completed, so no loop.
 */
export function createReferralCompletedHandler(deps: ConsumerDeps) {
  const core = async (event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
    const envelope = envelopeSchema.safeParse(event);
    if (!envelope.success) throw new InvalidEvent(formatZodIssues(envelope.error.issues));
    const { source, "detail-type": detailType } = envelope.data;
    if (source !== PATRON_SOURCE || detailType !== referralCompletedEvent.detailType)
      throw new InvalidEvent([
        {
          path: "detail-type",
          message: `this consumer handles "Referral Completed" from "${PATRON_SOURCE}"`,
        },
      ]);
    const detail = referralCompletedEvent.schema.safeParse(envelope.data.detail);
    if (!detail.success) throw new InvalidEvent(formatZodIssues(detail.error.issues, "detail"));
    const { outcome } = await processReferralCompleted(
      { ...deps, retry: { ...deps.retry, signal } },
      detail.data,
    );
    deps.logger.info("event processed", {
      eventId: envelope.data.id,
      detailType,
      memberId: detail.data.referrerId,
      outcome,
    });
    const metric = outcome === "duplicate" ? metricNames.eventsDuplicate : metricNames.eventsProcessed;
    deps.metrics.addMetric(metric, MetricUnit.Count, 1);
    return { status: outcome, eventId: envelope.data.id } satisfies ConsumerResult;
  };
  return middy<unknown, ConsumerResult>(core)
    .use(injectLambdaContext(deps.logger))
    .use(logMetrics(deps.metrics))
    .use(eventConsumerErrors(deps));
}

export const handler = onFirstCall(() => createReferralCompletedHandler(consumerDepsFromEnv()));
