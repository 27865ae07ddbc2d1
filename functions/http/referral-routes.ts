import * as z from "zod";
import { limitPeriodKey, referralCheckDay } from "../../domain/member/referral";
import { referralRewardSchema } from "../../domain/program/referral-schema";
import { utcDay } from "../../domain/time";
import { HttpError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow, readMember } from "./member-access";
import { defineRoute, type Route } from "./route";

const count = z.int().min(0);

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
  asReferrer: z.object({
    completed: count.describe("Friends whose referral completed, ever"),
    rewardedThisPeriod: count.describe("Referrer rewards given in the limit's current period"),
  }),
  referredBy: z
    .object({
      status: z.enum(["awaiting-purchase", "qualifying", "completed"]),
      completesOn: z.string().optional().describe("Day the qualifying purchase clears (while qualifying)"),
    })
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
        const counter = state.referral?.asReferrer;
        const period = limitPeriodKey(config.limit.per, utcDay(now));
        const link = state.referral?.referredBy;
        const completesOn = referralCheckDay(state);
        return {
          code,
          rewards: {
            referrer: config.referrerReward,
            referee: config.refereeReward,
            minSpendMinor: config.minSpendMinor,
            limit: config.limit,
          },
          asReferrer: {
            completed: counter?.completed ?? 0,
            rewardedThisPeriod: counter?.periodKey === period ? counter.rewarded : 0,
          },
          ...(link && { referredBy: { status: link.status, ...(completesOn && { completesOn }) } }),
        };
      },
    }),
  ];
}
