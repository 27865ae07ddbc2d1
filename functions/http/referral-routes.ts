import * as z from "zod";
import type { MemberState } from "../../domain/member/member-state";
import { limitPeriodKey, referralCheckDay } from "../../domain/member/referral";
import type { Program } from "../../domain/program/program-schema";
import { referralRewardSchema } from "../../domain/program/referral-schema";
import { utcDay } from "../../domain/time";
import { HttpError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow, readMember } from "./member-access";
import { defineRoute, type Route } from "./route";

const count = z.int().min(0);

const asReferrerSchema = z.object({
  completed: count.describe("Friends whose referral completed, ever"),
  rewardedThisPeriod: count.describe("Referrer rewards given in the limit's current period"),
});
const referredStatusSchema = z.enum(["awaiting-purchase", "qualifying", "completed"]);
const completesOnSchema = z
  .string()
  .optional()
  .describe("Day the qualifying purchase clears (while qualifying)");

/** The marketer's view of a member's referrals (GET /members/{id}): the referrer's id too. */
export const memberReferralSchema = z.object({
  asReferrer: asReferrerSchema,
  referredBy: z
    .object({
      referrerId: z.string(),
      linkedAt: z.string(),
      status: referredStatusSchema,
      completesOn: completesOnSchema,
    })
    .optional()
    .describe("Present when the member joined with someone's code"),
});

/** Where a member's referrals stand at `now`, as both views show them. */
export function referralStanding(state: MemberState, program: Program, now: Date) {
  const counter = state.referral?.asReferrer;
  const per = program.referrals?.limit.per;
  const current = per !== undefined && counter?.periodKey === limitPeriodKey(per, utcDay(now));
  const link = state.referral?.referredBy;
  const completesOn = referralCheckDay(state);
  return {
    asReferrer: { completed: counter?.completed ?? 0, rewardedThisPeriod: current ? counter.rewarded : 0 },
    ...(link && {
      referredBy: {
        referrerId: link.referrerId,
        linkedAt: link.linkedAt,
        status: link.status,
        ...(completesOn && { completesOn }),
      },
    }),
  };
}

export const referralSchema = z.object({
  code: z
    .string()
    .describe(
      "The member's referral code (8 characters); a new member gives it when enrolling (referralCode)",
    ),
  rewards: z.object({
    referrer: referralRewardSchema.describe("What the member gets per friend who joins and keeps a purchase"),
    referee: referralRewardSchema.describe("What the friend gets"),
    minSpendMinor: count.describe("Least the friend's first purchase must total, in minor units"),
    limit: z.object({ rewards: count, per: z.enum(["month", "quarter", "year"]) }),
  }),
  asReferrer: asReferrerSchema,
  referredBy: z
    .object({ status: referredStatusSchema, completesOn: completesOnSchema })
    .optional()
    .describe("Present when the member joined with someone's code"),
});

/** GET /me/referral: the caller's referral code (made on first call, the same afterwards) and progress. */
export function referralRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/me/referral",
      operationId: "getMyReferral",
      summary: "The member's referral code, what a referral earns, and how the member's referrals stand",
      description:
        "The code is made on the first call (random, 40 bits) and is the same on every later call. " +
        "404 `referrals-off` when the program in effect has no referrals.",
      access: "member",
      response: { status: 200, description: "Referral code and progress", schema: referralSchema },
      problems: [404, 503],
      handle: async ({ principal, now }) => {
        const program = await programInEffectNow(deps, now);
        const config = program.referrals;
        if (!config)
          throw new HttpError(404, "referrals-off", "Referrals are off", "The program has no referrals.");
        const [{ state }, code] = await Promise.all([
          readMember(deps, principal.memberId, program, now),
          deps.members.referralCode(principal.memberId),
        ]);
        const { asReferrer, referredBy } = referralStanding(state, program, now);
        return {
          code,
          rewards: {
            referrer: config.referrerReward,
            referee: config.refereeReward,
            minSpendMinor: config.minSpendMinor,
            limit: config.limit,
          },
          asReferrer,
          // The member sees where their own referral stands, not who referred them.
          ...(referredBy && {
            referredBy: {
              status: referredBy.status,
              ...(referredBy.completesOn && { completesOn: referredBy.completesOn }),
            },
          }),
        };
      },
    }),
  ];
}
