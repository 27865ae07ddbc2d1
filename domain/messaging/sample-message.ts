// A retention e-mail for a sample member, so a marketer can see any trigger in any language before a member
// does (POST /program/preview-email): plausible trigger details drawn from the program itself (its tiers,
// milestones, win-back steps and offer catalogue), dated from the day passed in.
import { chooseOffer } from "../offers/offer-choice";
import type { Program } from "../program/program-schema";
import type { TriggerFamily } from "../retention/trigger-family";
import type { TriggerDetails } from "../retention/triggers";
import { addDays, type IsoDay } from "../time";
import { type MessageInput, offerRewardName } from "./templates";

/** A well-formed offer code (see offers/offer-instance.ts), clearly not a real one. */
export const SAMPLE_OFFER_CODE = "7KQ4MX9PRT";
/** Points above the sample member's tier threshold. */
const SAMPLE_POINTS = 240;

export interface SampleMessageRequest {
  program: Program;
  family: TriggerFamily;
  /** 1-based; defaults to the journey's last step (the biggest offer). */
  winBackStep?: number;
  locale: string;
  today: IsoDay;
  currencyMinorUnits: number;
  unsubscribeUrl: string;
}

export function sampleMessageInput(request: SampleMessageRequest): MessageInput {
  const { program, family, today } = request;
  const steps = program.retention.triggers.winBack.steps.length;
  const step = Math.min(Math.max(1, request.winBackStep ?? steps), steps);
  // The sample member holds the second tier when there is one: a tier warning then has a tier to keep.
  const tierIndex = Math.min(1, program.tiers.length - 1);
  const tier = program.tiers[tierIndex];
  const next = program.tiers[tierIndex + 1];
  const points = (tier?.threshold ?? 0) + SAMPLE_POINTS;
  const milestone = program.milestones[0];
  const chosen = chooseOffer(
    { family, winBackStep: step, segment: "unknown" },
    program.retention,
    program.rewards,
  );
  const rewardName = offerRewardName(program.rewards, chosen?.offer);
  return {
    trigger: {
      kind: family === "win-back" ? `win-back-step-${step}` : family,
      details: sampleDetails(family, { step, of: steps, today, tierId: tier?.id ?? "", milestone }),
    },
    locale: request.locale,
    programName: program.name,
    currency: program.currency,
    minorUnitsPerMajor: 10 ** request.currencyMinorUnits,
    member: {
      firstName: request.locale.toLowerCase().startsWith("de") ? "Jana" : "Alex",
      tierName: tier?.name ?? "",
      points,
      ...(next && { nextTier: { name: next.name, pointsToGo: Math.max(1, next.threshold - points) } }),
      expiring: { points: 180, expiresOn: addDays(today, 21) },
    },
    ...(milestone && { milestoneName: milestone.name }),
    ...(rewardName !== undefined && { rewardName }),
    ...(chosen && { offer: { ...chosen, code: SAMPLE_OFFER_CODE, validUntil: addDays(today, 30) } }),
    unsubscribeUrl: request.unsubscribeUrl,
    branding: program.branding,
  };
}

function sampleDetails(
  family: TriggerFamily,
  sample: { step: number; of: number; today: IsoDay; tierId: string; milestone?: { ruleId: string } },
): TriggerDetails {
  switch (family) {
    case "at-risk-nudge":
      return { family };
    case "win-back":
      return { family, step: sample.step, of: sample.of };
    case "points-expiring":
      return { family, points: 180, expiresOn: addDays(sample.today, 21) };
    case "tier-downgrade-warning":
      return {
        family,
        tierId: sample.tierId,
        keepsUntil: addDays(sample.today, 30),
        metric: "spendMinor",
        shortfall: 4_500,
      };
    case "service-recovery":
      return { family, complaintId: "sample-case" };
    case "birthday":
      return { family, birthdayOn: sample.today };
    case "milestone":
      return { family, milestoneId: sample.milestone?.ruleId ?? "sample-milestone" };
  }
}
