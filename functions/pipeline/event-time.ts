import type { EventTimeKind, Program } from "../../domain";
// Values from their own module, not the domain barrel: through the barrel esbuild ties the HTTP API's cold start
// to the chunk that builds the program schema (test/infra/bundling.test.ts).
import { checkEventTime } from "../../domain/time-policy";
import { EventTimeRejected } from "../shared/errors";

/**
 * Applies the program's time policy (domain/time-policy.ts) before anything is read or written. A rejection
 * is not retryable: the consumer error policy parks the event with the reason (`occurred-in-future` or
 * `arrived-too-late`) and the field `detail.occurredAt`, never its value.
 */
export function assertEventTime(options: {
  program: Program;
  occurredAt: string;
  now: Date;
  kind: EventTimeKind;
}): void {
  const check = checkEventTime(options);
  if (!check.ok) throw new EventTimeRejected(check.reason, check.message);
}
