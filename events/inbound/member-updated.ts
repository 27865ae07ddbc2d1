import * as z from "zod";
import { defineEvent } from "../event-definition";
import {
  birthdaySchema,
  consentSchema,
  emailSchema,
  localeSchema,
  memberIdSchema,
  occurredAtSchema,
  schemaVersion,
  timeZoneSchema,
} from "../primitives";
import { PRODUCER_SOURCE_PREFIX } from "../sources";
import { memberProfileSchema } from "./member-enrolled";

const CHANGEABLE = ["email", "locale", "timeZone", "birthday", "consent", "profile"] as const;

/** Only the fields that changed; consumers apply an update only if it is newer than the stored one. */
// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const memberUpdatedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      memberId: memberIdSchema,
      occurredAt: occurredAtSchema,
      email: emailSchema.optional(),
      locale: localeSchema.optional(),
      timeZone: timeZoneSchema.optional(),
      birthday: birthdaySchema.optional(),
      consent: consentSchema.optional(),
      profile: memberProfileSchema.optional(),
    })
    .strict()
    .superRefine((update, ctx) => {
      if (CHANGEABLE.every((field) => update[field] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [],
          message: `an update must change at least one of: ${CHANGEABLE.join(", ")}`,
        });
      }
    }),
);

export type MemberUpdated = z.infer<typeof memberUpdatedSchema>;

export const memberUpdatedEvent = defineEvent({
  id: "memberUpdated",
  detailType: "Member Updated",
  version: "1",
  direction: "inbound",
  description: "A member changed their profile, e-mail, locale, time zone, birthday or marketing consent.",
  source: `${PRODUCER_SOURCE_PREFIX}*`,
  counterpart: "Web shops, apps, CRM",
  schema: memberUpdatedSchema,
  idempotencyKeyDescription: "memberId + occurredAt",
  // No update id in the contract: a retried update carries the same member and instant.
  idempotencyKey: (detail) => `member-updated:${detail.memberId}:${detail.occurredAt}`,
});
