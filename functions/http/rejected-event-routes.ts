import * as z from "zod";
import type { ParkedRejection } from "../adapters/bus/rejected-events";
import { loggableIds } from "../shared/rejections";
import { ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// Events the consumers could never process (invalid input, impossible facts, late or conflicting keys) are
// parked under REJECTED#<day> for 14 days. Marketers and operators see them here by reason, field path and
// envelope id — never the event itself: it may hold PII (e-mail, name, birthday), and a sender can fix it
// from the envelope id and the field paths. The stored copy stays in the table for replays.

const rejectedQuerySchema = z.object({
  day: z.iso.date().optional().describe("UTC day the events were received (YYYY-MM-DD); today by default"),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Events per page (1-100)"),
  cursor: z.string().max(1024).optional().describe("`nextCursor` of the previous page of the same day"),
});

const rejectedEventSchema = z.object({
  receivedAt: z.string().describe("When the consumer received it"),
  reason: z.string().describe("Error code, e.g. INVALID_EVENT, INVALID_FACTS, occurred-in-future"),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .describe("Field paths and what is wrong with each, without the values"),
  eventId: z.string().optional().describe('EventBridge envelope id; "(withheld)" when it is not id-shaped'),
  detailType: z.string().optional().describe('"(withheld)" when it is not a detail-type Patron knows'),
  source: z.string().optional().describe('"(withheld)" when it does not follow retail.<channel>.<name>'),
  event: z
    .object({ bytes: z.int(), sha256: z.string(), truncated: z.boolean() })
    .optional()
    .describe("Size and SHA-256 of the event as delivered, and whether the parked copy was cut"),
});

const rejectedPageSchema = z.object({
  day: z.string(),
  events: z.array(rejectedEventSchema).describe("Newest first"),
  nextCursor: z.string().optional().describe("Opaque; absent on the last page"),
});

// The cursor is the last sort key read, tied to its day. It is not signed: it can only address items of the
// day's REJECTED# partition, which the caller may read in full anyway.
const encodeCursor = (day: string, key: string) =>
  Buffer.from(JSON.stringify({ d: day, k: key })).toString("base64url");

function decodeCursor(day: string, cursor: string): string {
  try {
    const { d, k } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      d?: unknown;
      k?: unknown;
    };
    if (d === day && typeof k === "string" && k.startsWith(day)) return k;
  } catch {
    // not a cursor of ours: reported below
  }
  throw new ValidationError([{ path: "query.cursor", message: "is not a cursor of this day's page" }]);
}

/**
 * The envelope fields as the logs show them: whatever a producer typed where an id belongs (an e-mail address
 * as detail-type) is withheld here too.
 */
function view(item: ParkedRejection): ParkedRejection {
  const { eventId, detailType, source, ...rest } = item;
  const ids = loggableIds({
    ...(eventId !== undefined && { eventId }),
    ...(detailType !== undefined && { detailType }),
    ...(source !== undefined && { source }),
  });
  return { ...rest, ...Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined)) };
}

export function rejectedEventRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/rejected-events",
      operationId: "getRejectedEvents",
      summary:
        "Events Patron could not process on a day: reason, field paths, envelope ids (never the values)",
      description:
        "Kept 14 days. The event itself is not returned (it may hold personal data); its size and SHA-256 " +
        "identify it, and the envelope id and field paths tell the sender what to fix.",
      access: "marketer",
      query: rejectedQuerySchema,
      response: {
        status: 200,
        description: "One page of the day's rejected events",
        schema: rejectedPageSchema,
      },
      handle: async ({ query, now }) => {
        const day = query.day ?? now.toISOString().slice(0, 10);
        const after = query.cursor === undefined ? undefined : decodeCursor(day, query.cursor);
        const page = await deps.rejectedEvents.listDay(day, {
          limit: query.limit,
          ...(after !== undefined && { after }),
        });
        return {
          day,
          events: page.items.map(view),
          ...(page.lastKey !== undefined && { nextCursor: encodeCursor(day, page.lastKey) }),
        };
      },
    }),
  ];
}
