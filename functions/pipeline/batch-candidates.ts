import type { EventTimeKind, Program } from "../../domain";
import type { InboundEventId } from "../../events/catalog";
import { assertEventTime } from "./event-time";
import type { Inbound } from "./inbound";
import type { PipelineDeps } from "./ports";

// Which events of a batch a batch runner takes together (process-purchase-batch.ts). Every other event is left to
// the one-by-one runner, after the batch's commit and in the batch's order: there its errors are named and handled
// as for one event an invocation.

export interface Candidate<Id extends InboundEventId> {
  /** Position among the batch's valid events. */
  index: number;
  event: Inbound<Id>;
  program: Program;
}

/**
 * The first event of each member and business key whose program is in effect and whose time the program allows,
 * and that `plain` accepts. A member's later events (and a key's re-sends) come after the first's commit, one by
 * one, in order.
 */
export async function batchCandidates<Id extends InboundEventId>(
  deps: Pick<PipelineDeps, "programs" | "clock">,
  events: readonly Inbound<Id>[],
  options: { kind: EventTimeKind; plain: (event: Inbound<Id>) => boolean },
): Promise<Candidate<Id>[]> {
  const members = new Set<string>();
  const keys = new Set<string>();
  const candidates: Candidate<Id>[] = [];
  for (const [index, event] of events.entries()) {
    const { memberId, occurredAt } = event.detail;
    const first = !members.has(memberId) && !keys.has(event.idempotencyKey);
    members.add(memberId);
    keys.add(event.idempotencyKey);
    if (!first || !options.plain(event)) continue;
    const inEffect = await deps.programs.inEffectAt(occurredAt);
    const program = orUndefined(() => {
      if (inEffect) assertEventTime({ program: inEffect, occurredAt, now: deps.clock(), kind: options.kind });
      return inEffect;
    });
    if (program) candidates.push({ index, event, program });
  }
  return candidates;
}

/** What `run` answers, or undefined when it throws: the event is then run alone, where its error is handled. */
export function orUndefined<T>(run: () => T | undefined): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}
