import * as z from "zod";
import { challengeOutlook, countedEvents } from "../../domain/challenges/challenge-preview";
import { purchasePoints } from "../../domain/earning/purchase-points";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import { pendingBalance, spendableBalance } from "../../domain/ledger/lots";
import { pointsToMinor } from "../../domain/ledger/partner-statement";
import { earningProgram } from "../../domain/member/apply-purchase";
import type { MemberState } from "../../domain/member/member-state";
import { referralCheckDay } from "../../domain/member/referral";
import type { Program } from "../../domain/program/program-schema";
import { programSchema } from "../../domain/program/program-schema";
import { summariseTierMoves, type TierPlacement, tierPlacement } from "../../domain/tiers/tier-moves";
import { addDays, utcDay } from "../../domain/time";
import { currencyMinorUnits } from "../../events/currencies";
import { type HttpApiDeps, programInEffectNow } from "./member-access";

// What-if of a draft program with a bounded cost: at most `maxMembers` members due for a retention check
// in the next `days` days (the due index's day buckets, ≤ days × shards index Queries: every member is
// filed there, and the members whose check comes soonest are the live ones), and per member one GetItem of
// the state plus one Query of at most 100 newest ledger entries. Worst case with the maximums (90 days, 500
// members, 16 shards): 1,440 index Queries + 500 GetItems + 500 Queries, read-only. Figures are for the sample;
// purchases are re-earned with the draft's base/category/SKU/promotion/tier rules (bonuses, streaks and
// punch cards are not re-run).

export const PREVIEW_MAX_MEMBERS = 500;
export const PREVIEW_MAX_DAYS = 90;
const LEDGER_PAGE = 100;
const CONCURRENCY = 8;

export const previewRequestSchema = z.strictObject({
  program: programSchema,
  days: z
    .int()
    .min(1)
    .max(PREVIEW_MAX_DAYS)
    .default(30)
    .describe("Members due for a retention check in the next N days, and their purchases in the last N days"),
  maxMembers: z.int().min(1).max(PREVIEW_MAX_MEMBERS).default(200).describe("Most members sampled"),
});

const compare = z.object({ current: z.int(), draft: z.int(), change: z.int() });

export const previewResultSchema = z.object({
  sample: z.object({
    members: z.int().describe("Members evaluated"),
    days: z.int(),
    maxMembers: z.int(),
    complete: z.boolean().describe("False when more active members existed than maxMembers"),
    reads: z.object({ indexQueries: z.int(), getItems: z.int(), ledgerQueries: z.int() }),
  }),
  tiers: z.object({
    movedUp: z.int(),
    movedDown: z.int(),
    unchanged: z.int(),
    byTier: z.array(z.object({ tierId: z.string(), current: z.int(), draft: z.int() })),
    moves: z
      .array(z.object({ fromTierId: z.string(), toTierId: z.string(), members: z.int() }))
      .describe(
        "Members per (current tier → draft tier) pair with at least one sampled member, unchanged pairs (from = to) included; ordered by current tier, then draft tier",
      ),
  }),
  pointsLiability: compare.describe(
    "Spendable + pending points of the sample, and with the window re-earned",
  ),
  rewardsWithinReach: compare.describe("Member × catalogue reward pairs the member can afford"),
  purchasesRecomputed: z.int(),
  challenges: z
    .array(
      z.object({
        challengeId: z.string(),
        inAudience: z.int().describe("Sampled members in its audience today"),
        joined: z.int().describe("Sampled members taking part, not completed"),
        completed: z.int().describe("Sampled members who completed it"),
        wouldComplete: z
          .int()
          .describe("Sampled members the window's events would complete it for, replayed under the draft"),
      }),
    )
    .describe("The draft's challenges over the sample (an estimate: see notes)"),
  partners: z
    .array(
      z.object({
        partnerId: z.string(),
        name: z.string(),
        purchases: z.int().describe("The partner's purchases in the sample's window"),
        points: compare.describe(
          "Points those purchases earned, and would earn by the draft's partner rules",
        ),
        partnerOwesMinor: compare.describe("Those points at the partner's issue price (current, draft)"),
      }),
    )
    .describe("Coalition partners of either program: what their purchases in the window earn and cost them"),
  referrals: z.object({
    pending: z.int().describe("Sampled members linked to a referrer whose referral has not completed yet"),
    completingInWindow: z.int().describe("Of them, those whose qualifying purchase clears within the days"),
    draftRewardPoints: z
      .int()
      .describe(
        "Points those completions give under the draft, both sides (limit not applied; catalogue rewards 0)",
      ),
  }),
  notes: z.array(z.string()),
});

type PreviewResult = z.input<typeof previewResultSchema>;

function reearn(entry: LedgerEntry, draft: Program, draftTier: number): number | undefined {
  const details = entry.details;
  if (entry.kind !== "earn" || details?.type !== "purchase" || details.currency !== draft.currency)
    return undefined;
  // A partner's purchase earns by that partner's rules in the draft; a partner the draft drops earns nothing.
  const partner = draft.partners.find((p) => p.id === details.partnerId);
  if (details.partnerId !== undefined && !partner) return undefined;
  const tier = draft.tiers[draftTier] ?? draft.tiers[0];
  if (!tier) return undefined;
  // Lines as paid (after discounts), which is all the earning rules look at.
  const lines = details.lines.map((l) => ({
    sku: l.sku,
    category: l.category,
    quantity: 1,
    unitPriceMinor: l.paidMinor,
  }));
  const paid = lines.reduce((sum, l) => sum + l.unitPriceMinor, 0);
  const earned = purchasePoints(earningProgram(draft, partner), tier, {
    sourceKey: entry.sourceKey,
    orderId: details.orderId,
    channel: details.channel,
    occurredAt: entry.occurredAt,
    currency: details.currency,
    minorUnitsPerMajor: 10 ** currencyMinorUnits(details.currency),
    lines,
    discountMinor: 0,
    totalMinor: paid,
  });
  return earned.points - (entry.points + (entry.pendingPoints ?? 0));
}

/** Days whose due buckets are read at once: 90 days one after the other (1,440 Queries) outlast the API's 10 s. */
const DAY_CONCURRENCY = 8;

/** The members filed under `day`, at most `max` of them. */
async function idsDueOn(deps: HttpApiDeps, day: string, max: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of deps.members.membersDueOn(day)) {
    if (ids.length === max) break;
    ids.push(id);
  }
  return ids;
}

/** Members due in the next `days` days, earliest day first, at most `max` (then `complete` is false). */
async function sampleMemberIds(deps: HttpApiDeps, now: Date, days: number, max: number) {
  const ids: string[] = [];
  let indexQueries = 0;
  for (let d = 0; d < days; d += DAY_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(DAY_CONCURRENCY, days - d) }, (_, k) =>
      addDays(utcDay(now), d + k),
    );
    indexQueries += batch.length * deps.members.dueShards;
    // One more than still fits tells a full sample from a complete one.
    const found = await Promise.all(batch.map((day) => idsDueOn(deps, day, max - ids.length + 1)));
    for (const id of found.flat()) {
      if (ids.length === max) return { ids, indexQueries, complete: false };
      ids.push(id);
    }
  }
  return { ids, indexQueries, complete: true };
}

export async function previewProgram(
  deps: HttpApiDeps,
  request: z.output<typeof previewRequestSchema>,
  now: Date,
): Promise<PreviewResult> {
  const current = await programInEffectNow(deps, now);
  const draft = request.program;
  const today = utcDay(now);
  const since = Date.parse(`${addDays(today, -request.days)}T00:00:00.000Z`);
  const { ids, indexQueries, complete } = await sampleMemberIds(deps, now, request.days, request.maxMembers);
  const placements: TierPlacement[] = [];
  const challenges = new Map(
    draft.challenges.map((c) => [
      c.challengeId,
      { challengeId: c.challengeId, inAudience: 0, joined: 0, completed: 0, wouldComplete: 0 },
    ]),
  );
  const byPartner = new Map<string, { purchases: number; current: number; draft: number }>();
  const totals = {
    liability: 0,
    delta: 0,
    reachNow: 0,
    reachDraft: 0,
    purchases: 0,
    members: 0,
    referralsPending: 0,
    referralsCompleting: 0,
  };

  const evaluate = async (memberId: string) => {
    const snapshot = await deps.members.getMember<MemberState & Record<string, unknown>>(memberId);
    if (!snapshot) return;
    const state = snapshot.state;
    const page = await deps.members.queryLedger<LedgerEntry>(memberId, { limit: LEDGER_PAGE });
    const placement = tierPlacement(state, { current, draft }, today);
    placements.push(placement);
    const inWindow = page.records.map((r) => r.entry).filter((e) => Date.parse(e.occurredAt) >= since);
    for (const outlook of challengeOutlook(state, draft, countedEvents(inWindow))) {
      const total = challenges.get(outlook.challengeId);
      if (!total) continue;
      total.inAudience += Number(outlook.inAudience);
      total.joined += Number(outlook.joined);
      total.completed += Number(outlook.completed);
      total.wouldComplete += Number(outlook.wouldComplete);
    }
    let delta = 0;
    for (const { entry } of page.records) {
      if (Date.parse(entry.occurredAt) < since) continue;
      const change = reearn(entry, draft, placement.to);
      countPartner(byPartner, entry, change);
      if (change !== undefined) {
        delta += change;
        totals.purchases += 1;
      }
    }
    const link = state.referral?.referredBy;
    if (link && link.status !== "completed") totals.referralsPending += 1;
    const clears = referralCheckDay(state);
    if (clears !== undefined && clears <= addDays(today, request.days)) totals.referralsCompleting += 1;
    const balance = spendableBalance(state);
    totals.members += 1;
    totals.liability += balance + pendingBalance(state);
    totals.delta += delta;
    totals.reachNow += current.rewards.filter((r) => r.available && r.pointsCost <= balance).length;
    totals.reachDraft += draft.rewards.filter((r) => r.available && r.pointsCost <= balance + delta).length;
  };
  for (let i = 0; i < ids.length; i += CONCURRENCY)
    await Promise.all(ids.slice(i, i + CONCURRENCY).map(evaluate));

  return {
    sample: {
      members: totals.members,
      days: request.days,
      maxMembers: request.maxMembers,
      complete,
      reads: { indexQueries, getItems: ids.length, ledgerQueries: totals.members },
    },
    tiers: summariseTierMoves({ current, draft }, placements),
    pointsLiability: {
      current: totals.liability,
      draft: totals.liability + totals.delta,
      change: totals.delta,
    },
    rewardsWithinReach: {
      current: totals.reachNow,
      draft: totals.reachDraft,
      change: totals.reachDraft - totals.reachNow,
    },
    purchasesRecomputed: totals.purchases,
    challenges: [...challenges.values()],
    partners: partnerRows({ current, draft }, byPartner),
    referrals: {
      pending: totals.referralsPending,
      completingInWindow: totals.referralsCompleting,
      draftRewardPoints: totals.referralsCompleting * referralPointsPerCompletion(draft),
    },
    notes: [
      `Sample: members due for a retention check in the next ${request.days} days, at most ${request.maxMembers}.`,
      "Tier moves compare the tier each program's rules qualify the member for today.",
      `Purchases in the window (the newest ${LEDGER_PAGE} ledger entries per member) are re-earned with the draft; bonuses, streaks and punch cards are not re-run.`,
      "Challenges: each is replayed from no progress over the window's purchases and interactions; opt-in ones only for members who joined.",
    ],
  };
}

type PartnerCounts = Map<string, { purchases: number; current: number; draft: number }>;

/** Adds a partner purchase's points now and by the draft (0 when the draft drops the partner). */
function countPartner(byPartner: PartnerCounts, entry: LedgerEntry, change: number | undefined): void {
  const details = entry.details;
  if (entry.kind !== "earn" || details?.type !== "purchase" || details.partnerId === undefined) return;
  const earned = entry.points + (entry.pendingPoints ?? 0);
  const row = byPartner.get(details.partnerId) ?? { purchases: 0, current: 0, draft: 0 };
  row.purchases += 1;
  row.current += earned;
  row.draft += change === undefined ? 0 : earned + change;
  byPartner.set(details.partnerId, row);
}

function partnerRows(programs: { current: Program; draft: Program }, byPartner: PartnerCounts) {
  const ids = [...new Set([...programs.current.partners, ...programs.draft.partners].map((p) => p.id))];
  return ids.map((partnerId) => {
    const row = byPartner.get(partnerId) ?? { purchases: 0, current: 0, draft: 0 };
    const price = (program: Program) =>
      program.partners.find((p) => p.id === partnerId)?.issuePriceMicros ?? 0;
    const owesNow = pointsToMinor(row.current, price(programs.current));
    const owesDraft = pointsToMinor(row.draft, price(programs.draft));
    const name =
      programs.draft.partners.find((p) => p.id === partnerId)?.name ??
      programs.current.partners.find((p) => p.id === partnerId)?.name ??
      partnerId;
    return {
      partnerId,
      name,
      purchases: row.purchases,
      points: { current: row.current, draft: row.draft, change: row.draft - row.current },
      partnerOwesMinor: { current: owesNow, draft: owesDraft, change: owesDraft - owesNow },
    };
  });
}

/** Points one completed referral gives under `program`, referee and referrer together (0 for rewards). */
function referralPointsPerCompletion(program: Program): number {
  const config = program.referrals;
  if (!config) return 0;
  const points = (reward: { points: number } | { rewardId: string }) =>
    "points" in reward ? reward.points : 0;
  return points(config.refereeReward) + points(config.referrerReward);
}
