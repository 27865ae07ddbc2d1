// The marketer-editable retention settings: purchase rhythm, lifecycle timing, triggers and win-back journey,
// offer catalogue and sizing, sending rules, holdout and measurement. Embedded in the program as
// `program.retention`; every field has a default so `{}` is a complete configuration.
import * as z from "zod";
import { type Offer, offersConfigSchema } from "../offers/offer-schema";
import { slugSchema } from "../program/common-schema";
import { DEFAULT_DUE_SHARDS } from "./due-buckets";
import { triggerFamilySchema } from "./trigger-family";

const days = (what: string, min: number, max: number) =>
  z
    .int({ error: `${what} must be a whole number of days` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });

const enabled = z.boolean().default(true).describe("Whether this trigger fires");

const winBackStepSchema = z
  .strictObject({
    afterDays: days("afterDays", 0, 365).describe("Days after the member lapsed that this step is sent"),
  })
  .describe("One step of the win-back journey; each later step carries a bigger offer");

export const retentionConfigSchema = z
  .strictObject({
    rhythm: z
      .strictObject({
        defaultGapDays: days("defaultGapDays", 1, 730)
          .default(30)
          .describe("Expected days between purchases for members with too little history of their own"),
        minPurchaseDays: z
          .int()
          .min(2)
          .max(20)
          .default(3)
          .describe("Distinct purchase days needed before the member's own rhythm replaces the default"),
        smoothing: z
          .number()
          .gt(0)
          .max(1)
          .default(0.3)
          .describe("Weight of the newest gap in the moving average of gaps (higher reacts faster)"),
        minGapDays: days("minGapDays", 1, 365).default(1).describe("Lower clamp of the expected gap"),
        maxGapDays: days("maxGapDays", 1, 1460).default(365).describe("Upper clamp of the expected gap"),
        probabilityAlive: z
          .strictObject({
            minFactor: z
              .number()
              .gt(0)
              .max(1)
              .default(0.75)
              .describe("Gap multiplier when P(alive) is 0: a member likely gone is flagged sooner"),
            maxFactor: z
              .number()
              .min(1)
              .max(4)
              .default(1.25)
              .describe("Gap multiplier when P(alive) is 1: a member surely alive is given more time"),
          })
          .prefault({})
          .describe("How the value model's probability-alive stretches or shrinks the expected gap"),
      })
      .prefault({})
      .refine((r) => r.minGapDays <= r.maxGapDays, {
        message: "minGapDays must not exceed maxGapDays",
        path: ["minGapDays"],
      })
      .describe("Per-member purchase rhythm"),
    lifecycle: z
      .strictObject({
        activeAfterPurchaseDays: z
          .int()
          .min(1)
          .max(20)
          .default(2)
          .describe("Distinct purchase days after which a new member counts as active"),
        atRiskFactor: z
          .number()
          .min(1)
          .max(10)
          .default(1.5)
          .describe("At risk once this many expected gaps have passed since the last purchase"),
        lapsedFactor: z
          .number()
          .min(1)
          .max(20)
          .default(3)
          .describe("Lapsed once this many expected gaps have passed since the last purchase"),
      })
      .prefault({})
      .refine((l) => l.lapsedFactor > l.atRiskFactor, {
        message: "lapsedFactor must be greater than atRiskFactor",
        path: ["lapsedFactor"],
      })
      .describe("Lifecycle stages new → active → at-risk → lapsed → won-back / churned"),
    triggers: z
      .strictObject({
        atRiskNudge: z
          .strictObject({ enabled })
          .prefault({})
          .describe("One nudge when a member becomes at risk"),
        winBack: z
          .strictObject({
            enabled,
            steps: z
              .array(winBackStepSchema)
              .min(1)
              .max(6)
              .default([{ afterDays: 0 }, { afterDays: 14 }, { afterDays: 30 }])
              .refine((s) => s.every((step, i) => i === 0 || step.afterDays > (s[i - 1]?.afterDays ?? 0)), {
                message: "win-back steps must have strictly increasing afterDays",
              })
              .describe("Up to 6 steps with escalating offers"),
            endAfterDays: days("endAfterDays", 1, 365)
              .default(30)
              .describe("Days after the last step without a purchase before the member is churned"),
          })
          .prefault({})
          .describe("Win-back journey for lapsed members; its end state is churned"),
        pointsExpiring: z
          .strictObject({
            enabled,
            daysBefore: days("daysBefore", 1, 180)
              .default(14)
              .describe("Reminder this many days before expiry"),
            minPoints: z.int().min(1).default(1).describe("Only when at least this many points expire"),
          })
          .prefault({})
          .describe("Points-expiring reminder (loyalty-critical)"),
        tierWarning: z
          .strictObject({
            enabled,
            daysBefore: days("daysBefore", 1, 180)
              .default(30)
              .describe("Warning this many days before the tier review, if the member is short"),
          })
          .prefault({})
          .describe('Tier-downgrade warning: "spend X by D to keep Gold" (loyalty-critical)'),
        serviceRecovery: z
          .strictObject({
            enabled,
            withinDays: days("withinDays", 1, 60)
              .default(7)
              .describe("Sent only while the case opened (or complaint resolved) at most this many days ago"),
            detractorNpsAtMost: z
              .int()
              .min(0)
              .max(10)
              .default(6)
              .describe("A survey's NPS answer at or below this opens a service case"),
            detractorCsatAtMost: z
              .int()
              .min(1)
              .max(5)
              .default(2)
              .describe("A survey's CSAT answer at or below this opens a service case"),
            gestureOfferId: slugSchema("offer id")
              .optional()
              .describe(
                "Offer id of the gesture every recovery message carries, whatever the member's value (not sized to CLV): a catalogue offer that may carry service-recovery, without segments, categories or minWinBackStep. Absent: chosen and sized like other offers, so a low-value member may get none",
              ),
          })
          .prefault({})
          .describe("Apology and gesture when a service case opens (detractor survey or complaint)"),
        birthday: z
          .strictObject({
            enabled,
            daysBefore: days("daysBefore", 0, 30)
              .default(0)
              .describe("Sent this many days before the birthday"),
          })
          .prefault({})
          .describe("Birthday reward, once a year"),
        milestone: z
          .strictObject({
            enabled,
            withinDays: days("withinDays", 1, 60)
              .default(7)
              .describe("Sent only while the milestone was reached at most this many days ago"),
          })
          .prefault({})
          .describe("Congratulations when a lifetime milestone is reached"),
      })
      .prefault({})
      .describe("Which retention e-mails fire and when"),
    offers: offersConfigSchema,
    messaging: z
      .strictObject({
        frequencyCap: z
          .strictObject({
            maxMessages: z.int().min(1).max(50).default(1).describe("At most this many retention e-mails"),
            perDays: days("perDays", 1, 90).default(7).describe("…within any window of this many days"),
          })
          .prefault({})
          .describe("Frequency cap per member; loyalty-critical messages go first under it"),
        quietHours: z
          .strictObject({
            enabled,
            startHour: z.int().min(0).max(23).default(21).describe("Quiet from this local hour (inclusive)"),
            endHour: z.int().min(0).max(23).default(8).describe("Quiet until this local hour (exclusive)"),
          })
          .prefault({})
          .refine((q) => !q.enabled || q.startHour !== q.endHour, {
            message: "quiet hours need different start and end hours",
            path: ["endHour"],
          })
          .describe("No sends in these hours of the member's time zone; sends are deferred to the end"),
        defaultTimeZone: z
          .string()
          .min(1)
          .default("UTC")
          .refine(isTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" })
          .describe("Time zone for members who have none"),
        defaultLocale: z.string().min(2).default("en").describe("Locale for members who have none"),
      })
      .prefault({})
      .describe("Rules every retention e-mail obeys"),
    holdout: z
      .strictObject({
        percent: z.number().min(0).max(50).default(10).describe("Share of members in the control group"),
        salt: z
          .string()
          .min(1)
          .default("holdout-v1")
          .describe("Changing it draws a new control group (by hash of salt and member id)"),
        appliesTo: z
          .array(triggerFamilySchema)
          .default(["at-risk-nudge", "win-back"])
          .describe("Triggers the control group does not receive"),
      })
      .prefault({})
      .describe("Randomised, deterministic control group for measuring lift"),
    measurement: z
      .strictObject({
        conversionWindowDays: days("conversionWindowDays", 1, 90)
          .default(14)
          .describe("A purchase within this many days of a trigger is a conversion"),
      })
      .prefault({})
      .describe("Conversion attribution"),
    dueBuckets: z
      .strictObject({
        shards: z
          .int()
          .min(1)
          .max(256)
          .default(DEFAULT_DUE_SHARDS)
          .describe("Shards per due day (spread reads and writes)"),
      })
      .prefault({})
      .describe("Daily-job scheduling; changing shards needs a re-bucketing of every member"),
  })
  .superRefine((config, ctx) => {
    const problem = gestureProblem(config.triggers.serviceRecovery.gestureOfferId, config.offers.catalogue);
    if (problem)
      ctx.addIssue({
        code: "custom",
        path: ["triggers", "serviceRecovery", "gestureOfferId"],
        message: problem,
      });
  })
  .describe("Retention triggers, win-back journeys and personalised offers");

/** Why the configured recovery gesture could not go to every member, if it could not. */
function gestureProblem(id: string | undefined, catalogue: readonly Offer[]): string | undefined {
  if (id === undefined) return undefined;
  const offer = catalogue.find((o) => o.id === id);
  if (!offer) return `offer "${id}" is not in offers.catalogue`;
  if (offer.triggers.length > 0 && !offer.triggers.includes("service-recovery"))
    return `offer "${id}" may only carry ${offer.triggers.join(", ")}; add "service-recovery" to its triggers`;
  if (offer.segments.length > 0 || offer.categories.length > 0 || offer.minWinBackStep !== undefined)
    return `offer "${id}" is limited to some segments, categories or win-back steps; the gesture must suit every member`;
  return undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type RetentionConfig = z.output<typeof retentionConfigSchema>;
export type RetentionConfigInput = z.input<typeof retentionConfigSchema>;

// Marked pure so bundles that never read it drop the parse (and the time-zone data it loads) from cold start.
export const defaultRetentionConfig: RetentionConfig = /* @__PURE__ */ retentionConfigSchema.parse({});
