// Merging a duplicate customer into the one the retailer keeps. Every point moves: spendable lots (with their
// expiry days), pending lots (with their release days), debt, and the tier-qualifying months; counters and
// progress add up (punches that fill a card unlock its reward); the higher tier is kept with its review day.
// Milestones the summed lifetime now passes are awarded by the survivor's next purchase, as usual. The absorbed
// member keeps its history (ledger) but no balance: its state becomes a forwarding record (`mergedInto`), so
// later events for it reach the survivor. One ledger entry on each side says what moved and why, both keyed on
// the absorbed member id, so a member is absorbed once, for ever. Profiles and consent: profile-merge.ts.
import { mergeChallengeStates } from "../challenges/challenge-state";
import { InvalidFacts } from "../errors";
import type { LedgerEntry, OutboundEvent } from "../ledger/ledger-entry";
import { addPending, addSpendable, pendingBalance, spendableBalance } from "../ledger/lots";
import { clipReason, negative } from "../ledger/outbound";
import { partnerShares, sharesField } from "../ledger/partner-shares";
import { copyData } from "../plain-data";
import type { Program } from "../program/program-schema";
import { newRetentionState } from "../retention/retention-state";
import { currentTierIndex } from "../tiers/qualifying";
import { toIsoInstant, utcDay } from "../time";
import { mergeActivity } from "./activity-months";
import { settleMember } from "./lifecycle";
import type { InteractionCounter, MemberState, UseCaseResult } from "./member-state";

export const MEMBER_MERGE_RULE_ID = "member-merge";
/** Members one survivor may absorb: its state lists them, so refunds of their orders can find the purchase. */
export const MAX_ABSORBED = 20;

export interface MergeRequest {
  /** Staff id of the marketer who merged them (no personal data). */
  actor: string;
  /** Why, in words the member may read. */
  reason: string;
}

export interface MergeOutcome {
  survivor: UseCaseResult;
  absorbed: UseCaseResult;
  /** What moved (spendable net of debt, pending, status points in the qualifying months kept). */
  moved: { points: number; pendingPoints: number; statusPoints: number };
}

/** The business key of absorbing `absorbedId` into anyone: once, for ever. */
export const mergeSourceKey = (absorbedId: string): string => `merge:${absorbedId}`;

/** Adds `from` into `into` by key, summing the numeric fields named (returns a new list). */
function addUp<T extends object>(
  into: readonly T[],
  from: readonly T[],
  key: (item: T) => string,
  fields: readonly (keyof T)[],
): T[] {
  const merged = new Map(into.map((item) => [key(item), { ...item }]));
  for (const item of from) {
    const found = merged.get(key(item));
    if (!found) merged.set(key(item), { ...item });
    else for (const field of fields) (found[field] as number) += item[field] as number;
  }
  return [...merged.values()];
}

function mergeFrequency(s: MemberState, a: MemberState, program: Program): void {
  for (const card of program.punchCards) {
    const theirs = a.frequency.punchCards.find((p) => p.ruleId === card.ruleId)?.punches ?? 0;
    if (theirs === 0) continue;
    let mine = s.frequency.punchCards.find((p) => p.ruleId === card.ruleId);
    if (!mine) {
      mine = { ruleId: card.ruleId, punches: 0 };
      s.frequency.punchCards.push(mine);
    }
    mine.punches += theirs;
    // Two half-full cards make a full one: it unlocks the card's reward, the rest stays as punches.
    const full = Math.floor(mine.punches / card.punchesRequired);
    mine.punches -= full * card.punchesRequired;
    if (full > 0)
      s.rewards.unlocked = addUp(
        s.rewards.unlocked,
        [{ rewardId: card.rewardId, count: full }],
        (r) => r.rewardId,
        ["count"],
      );
  }
  for (const streak of program.streaks) {
    const days = [s, a].flatMap(
      (m) => m.frequency.streaks.find((p) => p.ruleId === streak.ruleId)?.visitDays ?? [],
    );
    if (days.length === 0) continue;
    // At most visits − 1 days are kept, as after any purchase that did not complete the streak.
    const kept = [...new Set(days)].sort().slice(-(streak.visits - 1));
    s.frequency.streaks = [
      ...s.frequency.streaks.filter((p) => p.ruleId !== streak.ruleId),
      { ruleId: streak.ruleId, visitDays: streak.visits > 1 ? kept : [] },
    ];
  }
  s.frequency.milestonesReached = [
    ...new Set([...s.frequency.milestonesReached, ...a.frequency.milestonesReached]),
  ];
}

const earliest = (...times: (string | undefined)[]) => times.filter((t) => t !== undefined).sort()[0];
const latest = (...times: (string | undefined)[]) =>
  times
    .filter((t) => t !== undefined)
    .sort()
    .at(-1);

function mergeLifetime(s: MemberState, a: MemberState): void {
  const [x, y] = [s.lifetime, a.lifetime];
  const first = earliest(x.firstPurchaseAt, y.firstPurchaseAt);
  const last = latest(x.lastPurchaseAt, y.lastPurchaseAt);
  s.lifetime = {
    purchases: x.purchases + y.purchases,
    spendMinor: x.spendMinor + y.spendMinor,
    pointsEarned: x.pointsEarned + y.pointsEarned,
    pointsRedeemed: x.pointsRedeemed + y.pointsRedeemed,
    pointsExpired: x.pointsExpired + y.pointsExpired,
    ...(first !== undefined && { firstPurchaseAt: first }),
    ...(last !== undefined && { lastPurchaseAt: last }),
  };
  const activity = mergeActivity(s.activity, a.activity);
  if (activity) s.activity = activity;
  s.categorySpend = addUp(s.categorySpend, a.categorySpend, (c) => c.category, ["spendMinor"]);
}

/** Moves everything `a` holds into `s` (in place, on copies). */
function absorbInto(s: MemberState, a: MemberState, program: Program): void {
  s.points.debt += a.points.debt;
  // Each lot keeps its issuer: a partner's points stay that partner's (domain/ledger/partner-shares.ts).
  for (const lot of a.points.lots) addSpendable(s.points, lot.expiresOn, lot.points, lot.partner);
  for (const lot of a.points.pending)
    addPending(s.points, lot.availableOn, lot.expiresOn, lot.points, lot.partner);
  s.qualifying = addUp(s.qualifying, a.qualifying, (b) => b.month, ["statusPoints", "spendMinor"]).sort(
    (x, y) => x.month.localeCompare(y.month),
  );
  if (currentTierIndex(a, program) > currentTierIndex(s, program)) s.tier = { ...a.tier };
  mergeFrequency(s, a, program);
  s.rewards = {
    unlocked: addUp(s.rewards.unlocked, a.rewards.unlocked, (r) => r.rewardId, ["count"]),
    redeemed: addUp(s.rewards.redeemed, a.rewards.redeemed, (r) => r.rewardId, ["count"]),
  };
  // Caps stay caps: the person's interactions this period count once, whichever account they came through.
  const counterKey = (c: InteractionCounter) => `${c.kind}\n${c.period}\n${c.periodKey}`;
  s.interactions = addUp(s.interactions, a.interactions, counterKey, ["count", "points"]);
  mergeLifetime(s, a);
  const challenges = mergeChallengeStates(s.challenges, a.challenges);
  if (challenges) s.challenges = challenges;
  if (s.enrolledAt > a.enrolledAt) s.enrolledAt = a.enrolledAt;
  s.absorbed = [...(s.absorbed ?? []), a.memberId, ...(a.absorbed ?? [])];
}

/** The absorbed member's forwarding record: nothing left to spend, settle, message or count. */
function forwardingState(a: MemberState, survivorId: string, at: string): MemberState {
  return {
    ...a,
    status: "merged",
    mergedInto: survivorId,
    points: { lots: [], pending: [], debt: 0 },
    qualifying: [],
    rewards: { unlocked: [], redeemed: a.rewards.redeemed },
    frequency: { punchCards: [], streaks: [], milestonesReached: [] },
    interactions: [],
    challenges: undefined,
    // Off the due index for good: a merged member is never messaged (retention-state dueOn far ahead).
    retention: { ...newRetentionState(utcDay(at)), dueOn: "9999-12-31" },
    unreportedConversions: [],
  };
}

/**
 * Merges `absorbed` into `survivor` at `now` (both settled first). Throws InvalidFacts naming the field when the
 * two are the same member, one is itself merged, or the survivor has absorbed MAX_ABSORBED members already.
 */
export function mergeMembers(options: {
  survivor: MemberState;
  absorbed: MemberState;
  program: Program;
  request: MergeRequest;
  now: Date | string;
}): MergeOutcome {
  const { program, request } = options;
  const at = toIsoInstant(options.now);
  if (options.survivor.memberId === options.absorbed.memberId)
    throw new InvalidFacts("memberId", "must name another member than the one kept");
  if (options.absorbed.status === "merged") throw new InvalidFacts("memberId", "was merged already");
  if (options.survivor.status === "merged")
    throw new InvalidFacts("survivor", "was merged into another member");
  if ((options.survivor.absorbed?.length ?? 0) + 1 + (options.absorbed.absorbed?.length ?? 0) > MAX_ABSORBED)
    throw new InvalidFacts("survivor", `may absorb at most ${MAX_ABSORBED} members`);
  if (request.reason.trim() === "") throw new InvalidFacts("reason", "must say why the members are merged");
  const s = settleMember(options.survivor, program, at);
  const a = settleMember(options.absorbed, program, at);
  const moved = {
    points: spendableBalance(a.state),
    pendingPoints: pendingBalance(a.state),
    statusPoints: a.state.qualifying.reduce((sum, b) => sum + b.statusPoints, 0),
  };
  const next = copyData(s.state);
  absorbInto(next, a.state, program);
  const [survivorId, absorbedId] = [next.memberId, a.state.memberId];
  const movedLots = [...a.state.points.lots, ...a.state.points.pending];
  const entry = (memberId: string, sign: 1 | -1, reason: string): LedgerEntry => ({
    entryId: `${sign > 0 ? "merge-in" : "merge-out"}:${absorbedId}`,
    memberId,
    kind: "merge",
    points: sign > 0 ? moved.points : negative(moved.points),
    ...(moved.pendingPoints !== 0 && {
      pendingPoints: sign > 0 ? moved.pendingPoints : negative(moved.pendingPoints),
    }),
    statusPoints: sign > 0 ? moved.statusPoints : negative(moved.statusPoints),
    reason: clipReason(`${reason} by ${request.actor}: ${request.reason}`),
    ruleIds: [MEMBER_MERGE_RULE_ID],
    programVersion: program.version,
    sourceKey: mergeSourceKey(absorbedId),
    occurredAt: at,
    details: { type: "merge", survivorId, absorbedId, actor: request.actor },
    ...sharesField(partnerShares(movedLots, sign)),
  });
  const merged: OutboundEvent = {
    type: "Members Merged",
    detail: {
      memberId: survivorId,
      absorbedId,
      ...moved,
      balance: spendableBalance(next),
      reason: clipReason(request.reason),
      programVersion: program.version,
      sourceKey: mergeSourceKey(absorbedId),
      occurredAt: at,
    },
  };
  return {
    survivor: {
      state: next,
      entries: [...s.entries, entry(survivorId, 1, `Merged member ${absorbedId} into this one`)],
      outbound: [...s.outbound, merged],
    },
    absorbed: {
      state: forwardingState(a.state, survivorId, at),
      entries: [...a.entries, entry(absorbedId, -1, `Merged into member ${survivorId}`)],
      outbound: a.outbound,
    },
    moved,
  };
}
