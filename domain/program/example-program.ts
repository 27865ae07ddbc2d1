import { type Program, type ProgramInput, programSchema } from "./program-schema";

/**
 * A documented example: "Maison & Market", a fashion and grocery retailer paying in EUR.
 * Used by the tests, the local stack seed and the README.
 */
export const exampleProgramInput = {
  id: "maison-market",
  version: 1,
  name: "Maison & Market Rewards",
  effectiveFrom: "2025-01-01T00:00:00+01:00",
  currency: "EUR",
  categories: ["apparel", "shoes", "accessories", "grocery", "coffee", "bakery", "gift-cards"],
  membership: { unknownMemberPolicy: "auto-enrol" },
  earning: {
    baseRuleId: "base-earn",
    // 1 point per EUR 1 paid, rounded down once per order.
    basePointsPerUnit: 1,
    rounding: "floor",
    roundingScope: "order",
    categoryMultipliers: [
      // Gift cards are money, not merchandise: no points until they are spent.
      { ruleId: "no-points-gift-cards", category: "gift-cards", multiplier: 0 },
      { ruleId: "shoes-x1-5", category: "shoes", multiplier: 1.5 },
    ],
    skuMultipliers: [{ ruleId: "house-blend-x3", sku: "COF-HOUSE-250", multiplier: 3 }],
    promotions: [
      {
        ruleId: "double-weekend",
        name: "Double Weekend",
        startsAt: "2025-06-06T00:00:00+02:00",
        endsAt: "2025-06-09T00:00:00+02:00",
        multiplier: 2,
        channels: ["pos", "app"],
      },
    ],
    firstPurchaseBonus: { ruleId: "welcome-bonus", points: 100, minSpendMinor: 1000 },
    // Matches the 30-day return policy: points are spendable once the goods can no longer be returned.
    pendingDays: 30,
  },
  tierQualification: {
    ruleId: "status-12-months",
    metric: "statusPoints",
    statusPointsPerUnit: 1,
    window: { type: "rolling", months: 12 },
    gracePeriodDays: 30,
  },
  tiers: [
    { id: "silver", name: "Silver", threshold: 0, earnMultiplier: 1, perks: ["Birthday treat"] },
    {
      id: "gold",
      name: "Gold",
      threshold: 1000,
      earnMultiplier: 1.25,
      perks: ["Birthday treat", "Free alterations"],
    },
    {
      id: "platinum",
      name: "Platinum",
      threshold: 3000,
      earnMultiplier: 1.5,
      perks: ["Birthday treat", "Free alterations", "Free delivery", "Early sale access"],
    },
  ],
  punchCards: [
    {
      ruleId: "coffee-card",
      name: "Coffee card",
      punchesRequired: 9,
      categories: ["coffee"],
      rewardId: "free-coffee",
    },
  ],
  streaks: [
    { ruleId: "three-in-fourteen", name: "3 visits in 14 days", visits: 3, withinDays: 14, bonusPoints: 50 },
  ],
  milestones: [
    {
      ruleId: "tenth-purchase",
      name: "10th purchase",
      metric: "purchaseCount",
      threshold: 10,
      bonusPoints: 200,
    },
    {
      ruleId: "big-spender",
      name: "EUR 5,000 lifetime",
      metric: "lifetimeSpend",
      threshold: 500_000,
      bonusPoints: 0,
      rewardId: "vip-evening",
    },
  ],
  interactions: [
    { ruleId: "review-points", kind: "review-written", points: 25, caps: [{ period: "month", maxCount: 3 }] },
    {
      ruleId: "survey-points",
      kind: "survey-answered",
      points: 20,
      caps: [{ period: "month", maxPoints: 40 }],
    },
    { ruleId: "referral-points", kind: "referral-converted", points: 500 },
    { ruleId: "daily-app-login", kind: "app-login", points: 2, caps: [{ period: "day", maxCount: 1 }] },
    // Goodwill after a resolved complaint, at most once a year.
    { ruleId: "goodwill", kind: "complaint-resolved", points: 150, caps: [{ period: "year", maxCount: 1 }] },
  ],
  expiry: { ruleId: "expiry-24-months", validityMonths: 24 },
  refunds: { ruleId: "refund-reversal", whenPointsSpent: "claw-back" },
  rewards: [
    { rewardId: "free-coffee", name: "Free coffee", pointsCost: 150 },
    { rewardId: "voucher-5", name: "EUR 5 voucher", pointsCost: 500 },
    { rewardId: "tote-bag", name: "Canvas tote bag", pointsCost: 800, perMemberLimit: 1 },
    { rewardId: "vip-evening", name: "VIP shopping evening", pointsCost: 5000, perMemberLimit: 1 },
    // Partner-funded: Café Lumen serves it and is paid its redeem price for the points.
    { rewardId: "lumen-pastry", name: "Pastry at Café Lumen", pointsCost: 200, fundedBy: "cafe-lumen" },
  ],
  // Coalition partners: their tills publish as retail.partner.<id>.<name>; each pays for the points it issues.
  partners: [
    {
      id: "cafe-lumen",
      name: "Café Lumen",
      earn: { ruleId: "partner-cafe-lumen", pointsPerUnit: 2 },
      issuePriceMicros: 800_000,
      redeemPriceMicros: 600_000,
      sources: ["retail.partner.cafe-lumen.*"],
    },
    {
      id: "velo-fuel",
      name: "Vélo Fuel",
      earn: { ruleId: "partner-velo-fuel", pointsPerUnit: 0.5 },
      issuePriceMicros: 1_000_000,
      redeemPriceMicros: 700_000,
      sources: ["retail.partner.velo-fuel.*"],
    },
  ],
  challenges: [
    // Opt in (app or POST /me/challenges/three-visits-30-days/opt-in), then three visits in the next 30 days.
    {
      challengeId: "three-visits-30-days",
      name: "Three visits in 30 days",
      window: { kind: "rolling", days: 30 },
      optIn: true,
      goal: { metric: "purchaseCount", target: 3, minSpendMinor: 500 },
      reward: { points: 250, badge: { badgeId: "regular", name: "Regular" } },
    },
    // The app records profile-completed when the member fills in their profile.
    {
      challengeId: "complete-profile",
      name: "Complete your profile",
      window: {
        kind: "absolute",
        startsAt: "2025-01-01T00:00:00+01:00",
        endsAt: "2030-01-01T00:00:00+01:00",
      },
      goal: { metric: "interactionCount", kind: "profile-completed", target: 1 },
      reward: { points: 50, badge: { badgeId: "profile-complete", name: "Profile complete" } },
    },
  ],
  // A friend who joins with a member's code and keeps a first order of EUR 20 or more gets 200 points; the
  // member who referred them 500 points, for at most 5 friends a month.
  referrals: {
    ruleId: "refer-a-friend",
    referrerReward: { points: 500 },
    refereeReward: { points: 200 },
    minSpendMinor: 2000,
    limit: { rewards: 5, per: "month" },
  },
  retention: {
    // Groceries and coffee bring most members back within a month; the member's own rhythm takes over
    // from the third visit day.
    rhythm: { defaultGapDays: 30 },
    triggers: {
      // Lapsed on day 0, reminders two and five weeks later; churned a month after the last step.
      winBack: { steps: [{ afterDays: 0 }, { afterDays: 14 }, { afterDays: 35 }], endAfterDays: 30 },
      pointsExpiring: { daysBefore: 21, minPoints: 50 },
      tierWarning: { daysBefore: 30 },
      // A detractor survey (NPS ≤ 6 or CSAT ≤ 2) or a complaint opens a service case: apology + "sorry-bonus".
      serviceRecovery: {
        withinDays: 7,
        detractorNpsAtMost: 6,
        detractorCsatAtMost: 2,
        gestureOfferId: "sorry-bonus",
      },
    },
    offers: {
      catalogue: [
        {
          id: "coffee-on-us",
          kind: "amount-off",
          value: 350,
          categories: ["coffee"],
          triggers: ["at-risk-nudge"],
        },
        {
          id: "bonus-150",
          kind: "bonus-points",
          value: 150,
          triggers: ["at-risk-nudge", "win-back", "birthday"],
        },
        { id: "ten-percent", kind: "percent-off", value: 10, triggers: ["win-back"] },
        { id: "five-euro-off", kind: "amount-off", value: 500, triggers: ["win-back"], minWinBackStep: 2 },
        {
          id: "fifteen-percent-fashion",
          kind: "percent-off",
          value: 15,
          categories: ["apparel", "shoes"],
          triggers: ["win-back"],
          minWinBackStep: 3,
        },
        { id: "sorry-bonus", kind: "bonus-points", value: 300, triggers: ["service-recovery"] },
      ],
      pointCostMinor: 1,
      orderValueSharePercent: 15,
      escalationPercentPerStep: 50,
      capMinor: 1500,
    },
    messaging: {
      frequencyCap: { maxMessages: 1, perDays: 7 },
      quietHours: { startHour: 21, endHour: 8 },
      defaultTimeZone: "Europe/Paris",
      defaultLocale: "en",
    },
    holdout: { percent: 10, salt: "maison-market-2025" },
    measurement: { conversionWindowDays: 14 },
  },
  branding: {
    displayName: "Maison & Market",
    logoUrl: "https://assets.maison-market.example/email/logo-320.png",
    primaryColor: "#7a2e3b",
    backgroundColor: "#f6f1eb",
    postalAddress: "Maison & Market SAS, 12 rue des Halles, 75001 Paris, France",
    supportContact: "help@maison-market.example",
    shopUrl: "https://www.maison-market.example/",
  },
} satisfies ProgramInput;

export const exampleProgram: Program = programSchema.parse(exampleProgramInput);
