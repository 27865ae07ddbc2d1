import type { EventPublisher, OutboxEvent } from "../adapters/bus/event-publisher";
import type { Logger } from "../shared/logger";

/**
 * Publishes the retention job's events after the change they describe committed. PutEvents has no
 * idempotency key: a publish that fails is logged and those events are lost to consumers (the member's state
 * is already right); their deterministic ids let consumers drop the duplicates a retried run may send.
 */
export async function publish(
  deps: { publisher: Pick<EventPublisher, "publish">; logger: Logger },
  events: OutboxEvent[],
): Promise<void> {
  if (events.length === 0) return;
  try {
    const result = await deps.publisher.publish(events);
    for (const f of result.failed) {
      deps.logger.error("retention: event not published", { id: f.event.id, code: f.errorCode });
    }
  } catch (error) {
    deps.logger.error("retention: publishing failed", {
      events: events.length,
      error: (error as Error).name,
    });
  }
}
