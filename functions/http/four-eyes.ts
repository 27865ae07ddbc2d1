import * as z from "zod";
import type { AdjustmentParty, AdjustmentRequestRecord } from "../../domain/member/adjustment-controls";
import type { Principal } from "./principal";

// What the requests that may wait for a second marketer (adjustments, bulk grants) share: an id derived from
// the request (payloadFingerprint: 22 base64url characters), and who asked for it and who decided it.

/** The `{id}` route param of such a request; `noun` names its kind in the error ("an adjustment"). */
export const requestIdParams = (noun: string, description: string) =>
  z.object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{22}$/, {
        error: `id must be ${noun} id (22 characters of A-Z, a-z, 0-9, _ or -)`,
      })
      .describe(description),
  });

/** The marketer acting on a request, as the request stores them. */
export const partyOf = (principal: Principal): AdjustmentParty => ({
  sub: principal.sub,
  name: principal.actor,
});

/** Who asked and who decided, in a request's answer: user names only. */
export const decisionTrailFields = {
  requestedBy: z.string().describe("User name of the marketer who asked for it"),
  requestedAt: z.string(),
  decidedBy: z.string().optional().describe("User name of the marketer who approved or rejected it"),
  decidedAt: z.string().optional(),
};

/** A stored request's `decisionTrailFields`. */
export function decisionTrailView(
  request: Pick<AdjustmentRequestRecord, "requestedBy" | "requestedAt" | "decidedBy" | "decidedAt">,
) {
  return {
    requestedBy: request.requestedBy.name,
    requestedAt: request.requestedAt,
    ...(request.decidedBy && { decidedBy: request.decidedBy.name }),
    ...(request.decidedAt && { decidedAt: request.decidedAt }),
  };
}
