import * as z from "zod";
import { defineEvent } from "../event-definition";
import {
  birthdaySchema,
  channelSchema,
  consentSchema,
  emailSchema,
  idSchema,
  localeSchema,
  memberIdSchema,
  occurredAtSchema,
  schemaVersion,
  timeZoneSchema,
} from "../primitives";
import { PRODUCER_SOURCE_PREFIX } from "../sources";

export const memberProfileSchema = z
  .object({
    givenName: z.string().min(1).max(100).optional(),
    familyName: z.string().min(1).max(100).optional(),
  })
  .strict();

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const memberEnrolledSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      memberId: memberIdSchema,
      occurredAt: occurredAtSchema,
      email: emailSchema,
      locale: localeSchema,
      timeZone: timeZoneSchema,
      birthday: birthdaySchema.optional(),
      consent: consentSchema,
      profile: memberProfileSchema.optional(),
      channel: channelSchema.optional().describe("Where the member signed up"),
      storeId: idSchema("store id").optional(),
      referralCode: z
        .string()
        .min(1)
        .max(32)
        .optional()
        .describe("Another member's referral code (GET /me/referral) the customer joined with"),
    })
    .strict(),
);

export type MemberEnrolled = z.infer<typeof memberEnrolledSchema>;
export type MemberProfile = z.infer<typeof memberProfileSchema>;

export const memberEnrolledEvent = defineEvent({
  id: "memberEnrolled",
  detailType: "Member Enrolled",
  version: "1",
  direction: "inbound",
  description: "A customer joined the loyalty program.",
  source: `${PRODUCER_SOURCE_PREFIX}*`,
  counterpart: "POS systems, web shops, apps, CRM",
  schema: memberEnrolledSchema,
  idempotencyKeyDescription: "memberId",
  idempotencyKey: (detail) => `member-enrolled:${detail.memberId}`,
});
