import * as z from "zod";
import type { MemberRepository } from "../adapters/dynamo/member-repository";
import { fromTagValue } from "../adapters/ses/mailer";
import { MemberErased } from "../shared/errors";
import type { Logger } from "../shared/logger";
import { TAG_MEMBER } from "./compose-email";
import { SUPPRESSION_FIELDS } from "./profile-view";

// SES configuration-set events (delivered by EventBridge from the default bus, detail-types "Email Bounced",
// "Email Complaint Received", "Email Rejected"). A permanent bounce or a complaint marks the member's address
// undeliverable on their PROFILE, found by the member tag every Patron e-mail carries — no address lookup.
// A bounce because the address is on SES's account suppression list marks it suppressed. Transient bounces
// and rejects (virus found) change nothing. The mark records the address the e-mail went to: it stops mail
// to that address only, so a member who changes their e-mail is mailed again, and a late bounce for the old
// address does not mark the new one.

const feedbackSchema = z.object({
  "detail-type": z.string(),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      tags: z.record(z.string(), z.array(z.string())).default({}),
      destination: z.array(z.string()).default([]),
    }),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional() }).optional(),
    complaint: z.object({}).loose().optional(),
  }),
});

export type FeedbackOutcome =
  | { outcome: "suppressed"; memberId: string; fields: string[] }
  | { outcome: "ignored"; why: string };

export async function applySesFeedback(
  deps: { members: Pick<MemberRepository, "mergeProfile">; logger: Logger },
  event: unknown,
): Promise<FeedbackOutcome> {
  const parsed = feedbackSchema.safeParse(event);
  if (!parsed.success) return { outcome: "ignored", why: "not an SES sending event" };
  const { detail, time } = parsed.data;
  const tag = detail.mail.tags[TAG_MEMBER]?.[0];
  if (!tag) return { outcome: "ignored", why: "not a Patron retention e-mail" };
  const memberId = fromTagValue(tag);
  let field: string | undefined;
  if (detail.eventType === "Bounce" && detail.bounce?.bounceType === "Permanent") {
    field =
      detail.bounce.bounceSubType === "OnAccountSuppressionList"
        ? SUPPRESSION_FIELDS.suppressed
        : SUPPRESSION_FIELDS.bounced;
  } else if (detail.eventType === "Complaint") field = SUPPRESSION_FIELDS.complained;
  if (!field) return { outcome: "ignored", why: `${detail.eventType} needs no action` };
  // Patron sends each e-mail to one address; without it (never seen from SES) mark whatever address is on file.
  const address = detail.mail.destination[0]?.toLowerCase() ?? true;
  let fields: string[];
  try {
    ({ applied: fields } = await deps.members.mergeProfile(memberId, {
      fields: { [field]: address },
      changedAt: time,
    }));
  } catch (error) {
    if (error instanceof MemberErased) return { outcome: "ignored", why: "the member was erased" };
    throw error;
  }
  deps.logger.info("ses feedback: address marked undeliverable", { memberId, field });
  return { outcome: "suppressed", memberId, fields };
}
