import type { Program } from "../../domain";
import { publishes } from "../../domain/program/outbound-schema";
import type { EventPublisher, OutboxEvent } from "../adapters/bus/event-publisher";
import type { EventParking } from "../adapters/bus/parked-events";
import type { Logger } from "../shared/logger";

/**
 * Publishes the retention job's events (those the programme publishes) after the change they describe committed. Events PutEvents refuses
 * (or all of them, when the call fails) are parked in the table, from where the outbox publisher sends them
 * with its retries and dead-letter queue. Only a crash between the commit and this call, or a failed park,
 * loses events (the member's state is right either way); their deterministic ids let consumers drop the
 * duplicates a retried run may send.
 */
export async function publish(
  deps: { publisher: Pick<EventPublisher, "publish">; parking: EventParking; logger: Logger },
  program: Program,
  all: OutboxEvent[],
  now: Date,
): Promise<void> {
  const events = all.filter((event) => publishes(program, event.type));
  if (events.length === 0) return;
  let refused: OutboxEvent[];
  try {
    const result = await deps.publisher.publish(events);
    refused = result.failed.map((f) => f.event);
    for (const f of result.failed) {
      deps.logger.warn("retention: event refused by the bus, parked for the outbox", {
        id: f.event.id,
        code: f.errorCode,
      });
    }
  } catch (error) {
    deps.logger.warn("retention: publishing failed, events parked for the outbox", {
      events: events.length,
      error: (error as Error).name,
    });
    refused = events;
  }
  if (refused.length === 0) return;
  try {
    await deps.parking.park(refused, now);
  } catch (error) {
    deps.logger.error("retention: events lost, neither published nor parked", {
      ids: refused.map((event) => event.id),
      error: (error as Error).name,
    });
  }
}
