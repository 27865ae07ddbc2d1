import type * as z from "zod";

export type EventDirection = "inbound" | "outbound";

/**
 * One event contract. The schema version lives in the detail (`schemaVersion: "1"`) as well as here:
 * the EventBridge envelope's own `version` is always "0" and owned by AWS, and keeping the
 * detail-type unversioned lets rules match it exactly across versions. A new version gets a new
 * definition, schema file (`<slug>.v2.json`) and samples folder (`samples/v2/`).
 */
export interface EventDefinition<Id extends string = string, S extends z.ZodType = z.ZodType> {
  readonly id: Id;
  readonly detailType: string;
  readonly version: string;
  readonly direction: EventDirection;
  readonly description: string;
  /** Who publishes it: "retail.*" (any producer source) or "patron". */
  readonly source: string;
  /** Who publishes (inbound) or who is expected to react (outbound), for docs. */
  readonly counterpart: string;
  readonly schema: S;
  /** Human-readable form of the business idempotency key, for docs. */
  readonly idempotencyKeyDescription?: string;
  /**
   * Business idempotency key: a producer that retries sends the same key under a new EventBridge id.
   * Method syntax keeps definitions with precise detail types assignable to `EventDefinition`.
   */
  idempotencyKey?(detail: z.output<S>, source: string): string;
}

export function defineEvent<const Id extends string, S extends z.ZodType>(
  definition: EventDefinition<Id, S>,
): EventDefinition<Id, S> {
  return definition;
}

/** "Purchase Completed" -> "purchase-completed": file names of samples and JSON Schemas. */
export function detailTypeSlug(detailType: string): string {
  return detailType.trim().toLowerCase().replace(/\s+/g, "-");
}
