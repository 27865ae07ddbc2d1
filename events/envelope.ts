import * as z from "zod";
import { findByDetailType, type InboundEventId, inboundEvents } from "./catalog";
import { PRODUCER_SOURCE_PREFIX, producerSourceSchema } from "./sources";
import { type FieldError, formatZodIssues } from "./validation-errors";

/**
 * The EventBridge envelope as a Lambda target receives it. Loose, not strict: AWS owns this shape
 * and adds fields (e.g. `replay-name` on replayed events), which must not break consumers.
 */
export const envelopeSchema = z.looseObject({
  version: z.string(),
  id: z.string().min(1),
  "detail-type": z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.iso.datetime({ offset: true }),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** An envelope whose detail has the given type, e.g. `EventEnvelope<PurchaseCompleted>`. */
export type EventEnvelope<Detail> = Omit<Envelope, "detail"> & { detail: Detail };

type Inbound = typeof inboundEvents;

export type ParsedInbound = {
  [Id in InboundEventId]: {
    readonly ok: true;
    readonly id: Id;
    readonly definition: Inbound[Id];
    readonly detail: z.output<Inbound[Id]["schema"]>;
    /** Business key: equal across producer retries, which get new EventBridge ids. */
    readonly idempotencyKey: string;
    readonly envelope: Envelope;
  };
}[InboundEventId];

export type ParseInboundResult = ParsedInbound | { readonly ok: false; readonly errors: FieldError[] };

const inboundIds = Object.keys(inboundEvents) as InboundEventId[];
const inboundDetailTypes = inboundIds.map((id) => inboundEvents[id].detailType);

/** Names what is expected, never the detail-type received: it may be anything a producer typed. */
function unknownDetailType(detailType: string): FieldError {
  const known = findByDetailType(detailType);
  const message =
    known === undefined
      ? `unknown detail-type; expected one of ${inboundDetailTypes.join(", ")}`
      : "this detail-type is published by Patron, not accepted from producers";
  return { path: "detail-type", message };
}

/**
 * Validates an inbound envelope: picks the contract by detail-type, checks the producer source
 * convention (`retail.*`) and the detail. Reports every problem at once, with paths like
 * `detail.lines[0].quantity`.
 */
export function parseInbound(input: unknown): ParseInboundResult {
  const envelope = envelopeSchema.safeParse(input, { reportInput: true });
  if (!envelope.success) return { ok: false, errors: formatZodIssues(envelope.error.issues) };

  const id = inboundIds.find(
    (candidate) => inboundEvents[candidate].detailType === envelope.data["detail-type"],
  );
  if (id === undefined) return { ok: false, errors: [unknownDetailType(envelope.data["detail-type"])] };

  const errors: FieldError[] = [];
  const source = producerSourceSchema.safeParse(envelope.data.source);
  if (!source.success) {
    errors.push(
      ...formatZodIssues(source.error.issues, "source").map((error) => ({
        ...error,
        message: `${error.message} (producers publish under "${PRODUCER_SOURCE_PREFIX}")`,
      })),
    );
  }
  const definition = inboundEvents[id];
  const detail = definition.schema.safeParse(envelope.data.detail, { reportInput: true });
  if (!detail.success) errors.push(...formatZodIssues(detail.error.issues, "detail"));
  if (errors.length > 0 || !detail.success) return { ok: false, errors };

  // `definition` is a union TypeScript cannot pair with `detail.data`; they match by construction.
  // Every inbound contract names a business key (tested); the EventBridge id is only a safety net.
  const idempotencyKey =
    definition.idempotencyKey?.(detail.data as never, envelope.data.source) ??
    `eventbridge:${envelope.data.id}`;
  return {
    ok: true,
    id,
    definition,
    detail: detail.data,
    idempotencyKey,
    envelope: envelope.data,
  } as ParsedInbound;
}
