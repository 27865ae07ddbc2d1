import type { PutEventsRequestEntry, PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import type { EventBridgeEvent } from "aws-lambda";

/** The event envelope EventBridge hands to a Lambda target. */
export type BusEvent = EventBridgeEvent<string, unknown>;

export const MAX_ENTRIES_PER_REQUEST = 10;
/** AWS raised the PutEvents total entry size from 256 KB to 1 MB in January 2026. */
export const DEFAULT_MAX_REQUEST_ENTRY_BYTES = 1024 * 1024;

/** A request-level failure, answered as an AWS JSON 1.1 error (`__type` + `message`). */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export interface EnvelopeContext {
  account: string;
  region: string;
  now: () => Date;
  newId: () => string;
}

export type AcceptedEntry = { ok: true; event: BusEvent };
export type RejectedEntry = {
  ok: false;
  result: Required<Pick<PutEventsResultEntry, "ErrorCode" | "ErrorMessage">>;
};

const utf8 = (value: string): number => Buffer.byteLength(value, "utf8");

/** Entry size exactly as "Calculating PutEvents event entry size" documents it (Time counts as 14 bytes). */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8(entry.Source ?? "") + utf8(entry.DetailType ?? "") + utf8(entry.Detail ?? "");
  for (const resource of entry.Resources ?? []) size += utf8(resource);
  return size;
}

/** Request-level limits: 1–10 entries and the total entry size; breaking one fails the whole call. */
export function assertRequestLimits(entries: PutEventsRequestEntry[], maxRequestEntryBytes: number): void {
  if (entries.length < 1) {
    throw new AwsJsonError(
      "ValidationException",
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES_PER_REQUEST) {
    throw new AwsJsonError(
      "ValidationException",
      `1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES_PER_REQUEST}`,
    );
  }
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > maxRequestEntryBytes) {
    throw new AwsJsonError(
      "ValidationException",
      "Total size of the entries in the request is over the limit.",
    );
  }
}

const missing = (field: string): RejectedEntry => ({
  ok: false,
  result: {
    ErrorCode: "InvalidArgument",
    ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
  },
});

const malformedDetail: RejectedEntry = {
  ok: false,
  result: { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
};

/** Per-entry checks: a bad entry gets its own ErrorCode while the other entries still go through. */
export function toEnvelope(
  entry: PutEventsRequestEntry,
  ctx: EnvelopeContext,
): AcceptedEntry | RejectedEntry {
  if (!entry.Source) return missing("Source");
  if (!entry.DetailType) return missing("DetailType");
  if (entry.Detail === undefined || entry.Detail === "") return missing("Detail");
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return malformedDetail;
  }
  // Detail must be a JSON object; arrays and scalars are rejected like malformed JSON.
  if (detail === null || typeof detail !== "object" || Array.isArray(detail)) return malformedDetail;
  const time = entry.Time ?? ctx.now();
  if (Number.isNaN(time.getTime())) {
    return {
      ok: false,
      result: { ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Time is not valid." },
    };
  }
  return {
    ok: true,
    event: {
      version: "0",
      id: ctx.newId(),
      "detail-type": entry.DetailType,
      source: entry.Source,
      account: ctx.account,
      // EventBridge stamps whole seconds in UTC: 2024-05-01T12:00:00Z.
      time: `${time.toISOString().slice(0, 19)}Z`,
      region: ctx.region,
      resources: [...(entry.Resources ?? [])],
      detail,
    },
  };
}

const optionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new AwsJsonError("SerializationException", `${field} must be a string, got ${typeof value}.`);
  }
  return value;
};

/**
 * Turns the AWS JSON 1.1 body the SDK sends (`Time` as epoch seconds) into SDK-shaped entries,
 * rejecting type mismatches the way the service does (SerializationException).
 */
export function parseWireEntries(body: unknown): PutEventsRequestEntry[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new AwsJsonError("SerializationException", "Request body must be a JSON object.");
  }
  const raw = (body as { Entries?: unknown }).Entries;
  if (raw === undefined || raw === null) {
    throw new AwsJsonError(
      "ValidationException",
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!Array.isArray(raw)) throw new AwsJsonError("SerializationException", "Entries must be a list.");
  return raw.map((item: unknown, index) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new AwsJsonError("SerializationException", `Entries[${index}] must be an object.`);
    }
    const wire = item as Record<string, unknown>;
    const resources = wire.Resources;
    if (
      resources !== undefined &&
      resources !== null &&
      !(Array.isArray(resources) && resources.every((r) => typeof r === "string"))
    ) {
      throw new AwsJsonError(
        "SerializationException",
        `Entries[${index}].Resources must be a list of strings.`,
      );
    }
    const time = wire.Time;
    if (time !== undefined && time !== null && typeof time !== "number") {
      throw new AwsJsonError("SerializationException", `Entries[${index}].Time must be epoch seconds.`);
    }
    return {
      Source: optionalString(wire.Source, `Entries[${index}].Source`),
      DetailType: optionalString(wire.DetailType, `Entries[${index}].DetailType`),
      Detail: optionalString(wire.Detail, `Entries[${index}].Detail`),
      EventBusName: optionalString(wire.EventBusName, `Entries[${index}].EventBusName`),
      Resources: (resources ?? undefined) as string[] | undefined,
      Time: typeof time === "number" ? new Date(time * 1000) : undefined,
    };
  });
}
