import type { LedgerEntry } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance } from "../ledger/lots";
import { enrolMember } from "../member/lifecycle";
import type { MemberState } from "../member/member-state";
import { refileDueDay } from "../member/retention-facts";
import type { Program } from "../program/program-schema";
import { newRetentionState } from "../retention/retention-state";
import { nextReview, pruneQualifying, qualifyingMetric, tierIndexFor } from "../tiers/qualifying";
import { addMonths, type IsoDay, type IsoMonth, monthOf, toIsoInstant, utcDay } from "../time";

// A member brought over from another loyalty system: the state they had there (balance by expiry lot, status
// points and qualifying spend per month, tier and the day it is kept until, punch-card progress and unlocked
// rewards), built in
// one step, and one `migration` ledger entry per lot so the member's ledger sums to the balance they arrive
// with. No outbound events: nothing happened to the member, their programme only moved.

/** A member as the import file describes them, already checked for shape (functions/migration). */
export interface MigratedMember {
  memberId: string;
  /** When they joined the old programme; the import time when unknown. */
  enrolledAt?: string;
  /** Opening spendable balance. */
  balance: number;
  /** How the balance expires; absent: one lot valid per the program's expiry rule from the import day. */
  lots?: { points: number; expiresOn: IsoDay }[];
  /** Status points and qualifying spend (minor units) earned per month, for the tier window. */
  qualifying?: { month: IsoMonth; statusPoints: number; spendMinor: number }[];
  /** Current tier and the day it is kept until; absent: the tier the qualifying months reach. */
  tier?: { tierId: string; keepsUntil: IsoDay };
  /** Punches collected on the program's punch cards (minimal frequency progress). */
  punchCards?: { ruleId: string; punches: number }[];
  /** Rewards unlocked (by a full card, a milestone) and not used yet, per catalogue reward. */
  unlockedRewards?: { rewardId: string; count: number }[];
}

export interface MigrationRun {
  importId: string;
  /** The run's time: entries are dated by it and the default lot's validity starts on its day. */
  importedAt: Date | string;
}

/** One reason a row cannot be imported; `field` names the import field, never its value. */
export interface MigrationProblem {
  field: string;
  reason: string;
}

export type MigrationOutcome =
  | { ok: true; state: MemberState; entries: LedgerEntry[]; sourceKey: string }
  | { ok: false; problems: MigrationProblem[] };

export const MIGRATION_RULE_ID = "migration";

/** The business key of one member in one import: applied once, for ever. */
export const migrationSourceKey = (importId: string, memberId: string): string =>
  `migration:${importId}:${memberId}`;

function openingLots(member: MigratedMember, program: Program, today: IsoDay) {
  if (member.lots && member.lots.length > 0) return member.lots;
  if (member.balance === 0) return [];
  return [{ points: member.balance, expiresOn: addMonths(today, program.expiry.validityMonths) }];
}

/** What the program and the import day rule out (the file's own shape is checked before). */
export function migrationProblems(member: MigratedMember, program: Program, at: string): MigrationProblem[] {
  const today = utcDay(at);
  const problems: MigrationProblem[] = [];
  const lots = member.lots ?? [];
  if (lots.length > 0 && lots.reduce((sum, l) => sum + l.points, 0) !== member.balance)
    problems.push({ field: "lots", reason: "lot points must add up to the balance" });
  if (lots.some((l) => l.expiresOn <= today))
    problems.push({ field: "lots", reason: "a lot has already expired on the import day" });
  if (new Set(lots.map((l) => l.expiresOn)).size !== lots.length)
    problems.push({ field: "lots", reason: "two lots expire on the same day; merge them" });
  const months = (member.qualifying ?? []).map((q) => q.month);
  if (months.some((m) => m > monthOf(today)))
    problems.push({ field: "qualifying", reason: "a month is after the import month" });
  if (new Set(months).size !== months.length)
    problems.push({ field: "qualifying", reason: "a month appears twice" });
  if (member.tier) {
    if (!program.tiers.some((t) => t.id === member.tier?.tierId))
      problems.push({ field: "tier", reason: "not a tier of the published program" });
    if (member.tier.keepsUntil <= today)
      problems.push({ field: "tier_keeps_until", reason: "must be after the import day" });
  }
  for (const card of member.punchCards ?? []) {
    const rule = program.punchCards.find((c) => c.ruleId === card.ruleId);
    if (!rule) problems.push({ field: "punch_cards", reason: "not a punch card of the published program" });
    else if (card.punches >= rule.punchesRequired)
      problems.push({ field: "punch_cards", reason: "a full card must be imported as an unlocked reward" });
  }
  const rewardIds = (member.unlockedRewards ?? []).map((r) => r.rewardId);
  if (rewardIds.some((id) => !program.rewards.some((r) => r.rewardId === id)))
    problems.push({ field: "unlocked_rewards", reason: "not a reward of the published catalogue" });
  if (new Set(rewardIds).size !== rewardIds.length)
    problems.push({ field: "unlocked_rewards", reason: "a reward appears twice" });
  if (member.enrolledAt !== undefined && toIsoInstant(member.enrolledAt) > at)
    problems.push({ field: "enrolled_at", reason: "must not be after the import time" });
  return problems;
}

function placeTier(state: MemberState, member: MigratedMember, program: Program, at: string): void {
  const today = utcDay(at);
  if (member.tier) {
    state.tier = { tierId: member.tier.tierId, since: at, reviewOn: member.tier.keepsUntil };
    return;
  }
  // No tier given: the one the imported months reach, reviewed a full window from now.
  const tier = program.tiers[tierIndexFor(program, qualifyingMetric(state, program, today))];
  state.tier = { tierId: tier?.id ?? "", since: at, reviewOn: nextReview(program, today) };
}

/**
 * The member's initial state and ledger from an import row. Pure: the caller supplies the program and the
 * run. Entry ids derive from the import id, member id and lot, so a re-run proposes the very same entries.
 */
export function migrateMember(member: MigratedMember, program: Program, run: MigrationRun): MigrationOutcome {
  const at = toIsoInstant(run.importedAt);
  const today = utcDay(at);
  const problems = migrationProblems(member, program, at);
  if (problems.length > 0) return { ok: false, problems };

  const { state } = enrolMember(member.memberId, member.enrolledAt ?? at, program);
  state.qualifying = (member.qualifying ?? [])
    .filter((q) => q.statusPoints > 0 || q.spendMinor > 0)
    .map((q) => ({ ...q }))
    .sort((a, b) => a.month.localeCompare(b.month));
  pruneQualifying(state, program, today);
  placeTier(state, member, program, at);
  state.frequency.punchCards = (member.punchCards ?? [])
    .filter((c) => c.punches > 0)
    .map((c) => ({ ruleId: c.ruleId, punches: c.punches }));
  state.rewards.unlocked = (member.unlockedRewards ?? [])
    .filter((r) => r.count > 0)
    .map((r) => ({ rewardId: r.rewardId, count: r.count }));
  // Retention knows no purchase of theirs yet: its clock starts on the import day (from the old enrolment day
  // a long-standing member would look lapsed at once and get win-back mail), and the member is filed under
  // their real next check (a due day before the job's last finished day would never be read).
  state.retention = newRetentionState(today);
  refileDueDay(state, program, today);

  const sourceKey = migrationSourceKey(run.importId, member.memberId);
  const statusPoints = state.qualifying.reduce((sum, q) => sum + q.statusPoints, 0);
  const lots = openingLots(member, program, today);
  const entry = (points: number, expiresOn: IsoDay | undefined, index: number): LedgerEntry => ({
    entryId: `${sourceKey}:${expiresOn ?? "none"}`,
    memberId: member.memberId,
    kind: "migration",
    points,
    // The imported status points are explained once, on the first entry.
    statusPoints: index === 0 ? statusPoints : 0,
    reason:
      expiresOn === undefined
        ? `Opening balance of 0 points migrated from the previous programme (import ${run.importId})`
        : `${points} points migrated from the previous programme, valid until ${expiresOn} (import ${run.importId})`,
    ruleIds: [MIGRATION_RULE_ID],
    programVersion: program.version,
    sourceKey,
    occurredAt: at,
    details: { type: "migration", importId: run.importId, ...(expiresOn && { expiresOn }) },
  });
  const entries = lots.map((lot, i) => entry(lot.points, lot.expiresOn, i));
  for (const lot of lots) addSpendable(state.points, lot.expiresOn, lot.points);
  // A member with nothing to carry over still gets one entry: it is the record that the import created them.
  if (entries.length === 0) entries.push(entry(0, undefined, 0));
  if (spendableBalance(state) !== member.balance)
    throw new Error("migrated lots do not add up to the balance");
  return { ok: true, state, entries, sourceKey };
}
