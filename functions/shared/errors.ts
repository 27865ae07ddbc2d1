import { DomainError, InvalidFacts } from "../../domain/errors";
import type { EventTimeRejection } from "../../domain/time-policy";
import type { FieldError } from "../../events/validation-errors";
import { ConcurrencyExhaustedError } from "../adapters/dynamo/optimistic-retry";

// How an event consumer fails. "rejected": the event itself is wrong and no retry can fix it — it is
// parked with its reason and the handler succeeds so EventBridge does not retry a hopeless event.
// "retryable": something that may resolve itself (a race, an event that arrived early, throttling)
// — the handler throws so EventBridge's retry policy and the rule's dead-letter queue take over.

export abstract class PipelineError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
}

/** The envelope or detail broke its contract; `errors` name each field and why. */
export class InvalidEvent extends PipelineError {
  readonly code = "INVALID_EVENT";
  readonly retryable = false;
  constructor(readonly errors: readonly FieldError[]) {
    super(`invalid event: ${errors.length} field error(s)`);
    this.name = "InvalidEvent";
  }
}

/** A refund whose purchase is not in the ledger (yet): retried, since events may arrive out of order. */
export class OriginalOrderNotFound extends PipelineError {
  readonly code = "ORIGINAL_ORDER_NOT_FOUND";
  readonly retryable = true;
  constructor(readonly originalSourceKey: string) {
    super(`no earn entry for ${originalSourceKey} in the member's ledger yet`);
    this.name = "OriginalOrderNotFound";
  }
}

/** A refund that names another producer's order, sent by a producer that is no refund authority. */
export class RefundOfForeignOrder extends PipelineError {
  readonly code = "refund-of-foreign-order";
  readonly retryable = false;
  constructor(readonly error: FieldError) {
    super(error.message);
    this.name = "RefundOfForeignOrder";
  }
}

/** The event's occurredAt is outside the program's time policy (domain/time-policy.ts); no retry changes that. */
export class EventTimeRejected extends PipelineError {
  readonly retryable = false;
  constructor(
    readonly code: EventTimeRejection,
    message: string,
  ) {
    super(message);
    this.name = "EventTimeRejected";
  }
}

/** No program version was in effect when the event occurred (it predates the first one). */
export class NoProgramInEffect extends PipelineError {
  readonly code = "NO_PROGRAM_IN_EFFECT";
  readonly retryable = false;
  constructor(readonly occurredAt: string) {
    super(`no program version was in effect at ${occurredAt}`);
    this.name = "NoProgramInEffect";
  }
}

/**
 * The event's business key was applied before for another member or with another payload (a different
 * amount, lines or member): no retry can make both true, so it is parked with both fingerprints, never
 * the values.
 */
export class IdempotencyKeyConflict extends PipelineError {
  readonly code = "idempotency-key-conflict";
  readonly retryable = false;
  readonly errors: readonly FieldError[];
  constructor(fingerprints: { applied: string; received: string; sameMember: boolean }) {
    super("business key already applied with another payload");
    this.name = "IdempotencyKeyConflict";
    const whose = fingerprints.sameMember ? "this member" : "another member";
    this.errors = [
      {
        path: "detail",
        message: `business key already applied for ${whose} with another payload (applied ${fingerprints.applied}, this event ${fingerprints.received})`,
      },
    ];
  }
}

/**
 * A rejected event the dead-letter sink could not store (throttling, an outage). Retryable, so nothing is
 * dropped; the message carries the rejection's code, so what reaches the rule's dead-letter queue says why.
 */
export class RejectedEventNotParked extends PipelineError {
  readonly code = "REJECTED_NOT_PARKED";
  readonly retryable = true;
  constructor(
    readonly rejection: string,
    cause: unknown,
  ) {
    // The cause's name only: SDK messages may quote the item.
    super(`event rejected (${rejection}) but not parked: ${cause instanceof Error ? cause.name : "unknown"}`);
    this.name = "RejectedEventNotParked";
  }
}

/**
 * A profile change for a member Patron erased (GDPR): no profile is stored for them again. The event is parked
 * without its detail, which would bring the erased PII back into the table.
 */
export class MemberErased extends Error {
  readonly code = "MEMBER_ERASED";
  constructor(readonly memberId: string) {
    super(`member ${memberId} was erased; Patron stores no profile for them again`);
    this.name = "MemberErased";
  }
}

export type Failure =
  | { kind: "rejected"; code: string; errors: FieldError[]; withholdDetail?: boolean }
  | { kind: "retryable"; code: string };

/** Domain facts are named after the event fields they come from; these differ. */
const FACT_TO_EVENT_FIELD: Record<string, string> = {
  amountMinor: "amount",
  originalEarnEntry: "originalOrderId",
  totalMinor: "total",
  discountMinor: "discountTotal",
};

function eventPath(factField: string): string {
  const head = /^[A-Za-z]+/.exec(factField)?.[0] ?? "";
  const mapped = FACT_TO_EVENT_FIELD[head];
  return `detail.${mapped === undefined ? factField : mapped + factField.slice(head.length)}`;
}

/** A rejection of the event naming the fields at fault. */
const rejected = (code: string, ...errors: FieldError[]): Extract<Failure, { kind: "rejected" }> => ({
  kind: "rejected",
  code,
  errors,
});

/**
 * Sorts an error into rejected or retryable. Unknown errors are retryable: an unexpected failure
 * (a bug, an outage) must not silently drop an event.
 */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof MemberErased)
    return {
      ...rejected(error.code, {
        path: "detail.memberId",
        message: "this member was erased (GDPR); no profile is stored again",
      }),
      withholdDetail: true,
    };
  if (error instanceof InvalidEvent || error instanceof IdempotencyKeyConflict)
    return rejected(error.code, ...error.errors);
  if (error instanceof RefundOfForeignOrder) return rejected(error.code, error.error);
  if (error instanceof EventTimeRejected)
    return rejected(error.code, { path: "detail.occurredAt", message: error.message });
  if (error instanceof NoProgramInEffect)
    return rejected(error.code, {
      path: "detail.occurredAt",
      message: "no program version was in effect when the event occurred",
    });
  // The domain's message quotes ids and amounts for its other callers; a parked event keeps them anyway.
  if (error instanceof InvalidFacts)
    return rejected(error.code, {
      path: eventPath(error.field),
      message: "contradicts the order or the program in effect",
    });
  // UNKNOWN_MEMBER under the "reject" policy is retried: the Member Enrolled event may simply not
  // have arrived yet. A member who never enrols ends in the rule's dead-letter queue with the reason.
  if (error instanceof DomainError) return { kind: "retryable", code: error.code };
  if (error instanceof PipelineError) return { kind: "retryable", code: error.code };
  if (error instanceof ConcurrencyExhaustedError) return { kind: "retryable", code: "CONCURRENCY_EXHAUSTED" };
  const name = error instanceof Error ? error.name : "UnknownError";
  return { kind: "retryable", code: name };
}
