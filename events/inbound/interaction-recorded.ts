import * as z from "zod";
import { defineEvent } from "../event-definition";
import { channelSchema, idSchema, memberIdSchema, occurredAtSchema, schemaVersion } from "../primitives";
import { PRODUCER_SOURCE_PREFIX } from "../sources";

export const interactionKinds = [
  "review-written",
  "survey-answered",
  "referral-converted",
  "app-login",
  "profile-completed",
  "newsletter-clicked",
  "complaint-opened",
  "complaint-resolved",
  // Joins the challenge named by attributes.challengeId (program challenges with optIn: true).
  "challenge-opt-in",
] as const;

// Messages name what is expected, never the value received (they reach logs: values may be PII).
export const interactionKindSchema = z.enum(interactionKinds, {
  error: `unknown interaction kind; expected one of ${interactionKinds.join(", ")}`,
});

/** Flat scalar attributes (rating, survey id...) that earning rules may match on. */
export const interactionAttributesSchema = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "attribute names are identifiers of up to 64 characters"),
    z.union([z.string().max(256), z.number(), z.boolean()]),
  )
  .refine((attributes) => Object.keys(attributes).length <= 20, { error: "at most 20 attributes" });

const CHALLENGE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const isIntIn = (min: number, max: number) => (v: unknown) =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** A `survey-answered` interaction's satisfaction attributes; each is optional (the comment is free text). */
const SURVEY_ATTRIBUTES: Record<string, { ok: (v: unknown) => boolean; expected: string }> = {
  npsScore: { ok: isIntIn(0, 10), expected: "npsScore must be a whole number from 0 to 10" },
  csatScore: { ok: isIntIn(1, 5), expected: "csatScore must be a whole number from 1 to 5" },
  comment: { ok: (v) => typeof v === "string", expected: "comment must be text of up to 256 characters" },
};

// Built on first use: a cold start builds only the contracts its handler parses or publishes.
export const interactionRecordedSchema = z.lazy(() =>
  z
    .object({
      schemaVersion: schemaVersion("1"),
      interactionId: idSchema("interaction id", 128),
      memberId: memberIdSchema,
      kind: interactionKindSchema,
      occurredAt: occurredAtSchema,
      channel: channelSchema.optional(),
      storeId: idSchema("store id")
        .optional()
        .describe(
          "Store the interaction happened at (e.g. where a survey was answered); KPIs split NPS and CSAT by it",
        ),
      attributes: interactionAttributesSchema.optional(),
    })
    .strict()
    .superRefine((detail, ctx) => {
      const challengeId = detail.attributes?.challengeId;
      if (
        detail.kind === "challenge-opt-in" &&
        !(typeof challengeId === "string" && CHALLENGE_ID.test(challengeId))
      )
        ctx.addIssue({
          code: "custom",
          path: ["attributes", "challengeId"],
          message: "a challenge-opt-in needs attributes.challengeId, the challenge's id (lowercase slug)",
        });
      if (detail.kind !== "survey-answered" || !detail.attributes) return;
      for (const [field, check] of Object.entries(SURVEY_ATTRIBUTES)) {
        const value = detail.attributes[field];
        if (value !== undefined && !check.ok(value)) {
          ctx.addIssue({ code: "custom", path: ["attributes", field], message: check.expected });
        }
      }
    }),
);

export type InteractionRecorded = z.infer<typeof interactionRecordedSchema>;
export type InteractionKind = z.infer<typeof interactionKindSchema>;

export const interactionRecordedEvent = defineEvent({
  id: "interactionRecorded",
  detailType: "Interaction Recorded",
  version: "1",
  direction: "inbound",
  description:
    "A member did something other than buying that the program may reward (review, survey, referral...).",
  source: `${PRODUCER_SOURCE_PREFIX}*`,
  counterpart: "Web shops, apps, review/survey/CRM systems",
  schema: interactionRecordedSchema,
  idempotencyKeyDescription: "source + interactionId",
  idempotencyKey: (detail, source) => `interaction:${source}:${detail.interactionId}`,
});
