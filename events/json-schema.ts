import * as z from "zod";
import { detailTypeSlug, type EventDefinition } from "./event-definition";

/** Namespace of the generated schemas' `$id`s; stable, needs no hosting. */
export const SCHEMA_ID_BASE = "urn:patron:events";

/**
 * JSON Schema (draft 2020-12) of an event's `detail`, for producers and the EventBridge schema
 * registry. Cross-field rules (line totals, lines-or-amount) are zod refinements that JSON Schema
 * cannot express; they are named in the description instead.
 */
export function eventJsonSchema(definition: EventDefinition): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(definition.schema, { target: "draft-2020-12", io: "input" });
  return {
    $schema,
    $id: `${SCHEMA_ID_BASE}:${detailTypeSlug(definition.detailType)}:v${definition.version}`,
    title: definition.detailType,
    description: `${definition.description} Detail of EventBridge events with detail-type "${definition.detailType}", source ${definition.source}, schemaVersion "${definition.version}".${definition.idempotencyKeyDescription ? ` Idempotency key: ${definition.idempotencyKeyDescription}.` : ""}`,
    ...body,
  };
}

/** File content as written by `npm run schemas` (2-space JSON, trailing newline). */
export function eventJsonSchemaText(definition: EventDefinition): string {
  return `${JSON.stringify(eventJsonSchema(definition), null, 2)}\n`;
}
