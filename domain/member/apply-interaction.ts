import { applyChallenges } from "../challenges/apply-challenges";
import { CHALLENGE_OPT_IN, optIntoChallenge } from "../challenges/challenge-progress";
import { interactionAward, recordInteraction } from "../earning/interaction-points";
import type { InteractionFacts } from "../facts";
import type { LedgerEntry, OutboundEvent } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import type { Program } from "../program/program-schema";
import { latestDueDay } from "../retention/due-buckets";
import { addMonths, utcDay } from "../time";
import { settleMember } from "./lifecycle";
import type { Clock, MemberState, UseCaseResult } from "./member-state";
import { recordComplaintResolved, refileDueDay } from "./retention-facts";
import {
  COMPLAINT_RESOLVED,
  complaintIdOf,
  recordSatisfaction,
  type SatisfactionChange,
  type ServiceCase,
} from "./satisfaction";

/**
 * A non-purchase interaction (review, survey, referral, complaint...). Points are spendable at once (nothing to
 * return). Kinds without a rule, and interactions a cap allows nothing for, write no entry — except those the
 * satisfaction facts need: a survey (its answers are kept in the entry), a complaint that opens or closes a
 * service case, and a resolved complaint remembered for the service-recovery message. The zero-point entry
 * records why the state changed (a commit needs one).
 */
export function applyInteraction(
  state: MemberState,
  program: Program,
  interaction: InteractionFacts,
  ctx: Clock,
): UseCaseResult {
  const settled = settleMember(state, program, ctx.now);
  const s = settled.state;
  const award = interactionAward(s, program, interaction);
  const satisfaction = recordSatisfaction(s, interaction, program.retention.triggers.serviceRecovery);
  // A resolution that closes a case was apologised for when it opened; any other is followed up (legacy path).
  const resolved = interaction.kind === COMPLAINT_RESOLVED && !satisfaction.closed;
  const joined = joinedChallenge(s, program, interaction);
  const { sourceKey, occurredAt, kind } = interaction;
  const challenges = applyChallenges(s, program, { type: "interaction", sourceKey, occurredAt, kind });
  const changed = satisfaction.changed || satisfaction.closed || joined || challenges.counted;
  if ((!award || award.points === 0) && !resolved && !changed) {
    return settled;
  }

  const points = award?.points ?? 0;
  if (award && points > 0) recordInteraction(s, award, interaction.occurredAt);
  const day = utcDay(interaction.occurredAt);
  const expiresOn = addMonths(day, program.expiry.validityMonths);
  if (points > 0) addSpendable(s.points, expiresOn, points);
  s.lifetime.pointsEarned += points;
  if (resolved) recordComplaintResolved(s, complaintIdOf(interaction), day);
  const label = interaction.kind.replace(/-/g, " ");
  const entry: LedgerEntry = {
    entryId: `interaction:${interaction.sourceKey}`,
    memberId: s.memberId,
    kind: "interaction",
    points,
    statusPoints: 0,
    reason: clipReason(
      joined
        ? `Joined challenge ${joined.name}`
        : `${label[0]?.toUpperCase() ?? ""}${label.slice(1)}: ${points} points${award?.capNote ? ` (${award.capNote})` : ""}`,
    ),
    ruleIds: [...(award ? [award.rule.ruleId] : []), ...(joined ? [joined.challengeId] : [])],
    programVersion: program.version,
    sourceKey: interaction.sourceKey,
    occurredAt: interaction.occurredAt,
    details: {
      type: "interaction",
      interactionId: interaction.interactionId,
      kind: interaction.kind,
      offeredPoints: award?.rule.points ?? 0,
      expiresOn,
      ...(satisfaction.answers && { survey: satisfaction.answers }),
    },
  };
  const after = settleMember(s, program, ctx.now);
  const today = utcDay(ctx.now);
  if (resolved) refileDueDay(after.state, program, today);
  // A new case is due at once (not at the next rhythm check): filed under the latest day the hourly runs
  // read, which every later run reads again — yesterday before DUE_BUCKETS_FROM_HOUR_UTC, today from then.
  if (satisfaction.opened) after.state.retention = { ...after.state.retention, dueOn: latestDueDay(ctx.now) };
  const balance = spendableBalance(after.state);
  return {
    state: after.state,
    entries: [...settled.entries, entry, ...challenges.entries, ...after.entries],
    outbound: [
      ...settled.outbound,
      ...pointsEvent("Points Earned", entry, balance, { expiresOn }),
      ...challenges.outbound(balance),
      ...serviceRecoveryNeeded(satisfaction, entry),
      ...after.outbound,
    ],
  };
}

/** The service desk's notice of a newly opened case (scores only; the comment stays in the ledger entry). */
function serviceRecoveryNeeded(change: SatisfactionChange, entry: LedgerEntry): OutboundEvent[] {
  const opened: ServiceCase | undefined = change.opened;
  if (!opened) return [];
  const { npsScore, csatScore } = change.answers ?? {};
  return [
    {
      type: "Service Recovery Needed",
      detail: {
        memberId: entry.memberId,
        caseId: opened.caseId,
        caseReason: opened.reason,
        ...(npsScore !== undefined && { npsScore }),
        ...(csatScore !== undefined && { csatScore }),
        reason: clipReason(`Service case opened: ${opened.reason.replace(/-/g, " ")}`),
        programVersion: entry.programVersion,
        sourceKey: entry.sourceKey,
        occurredAt: opened.openedAt,
      },
    },
  ];
}

/** An opt-in (kind challenge-opt-in naming attributes.challengeId) that joined: the challenge; else undefined. */
function joinedChallenge(state: MemberState, program: Program, interaction: InteractionFacts) {
  const challengeId = interaction.attributes?.challengeId;
  if (interaction.kind !== CHALLENGE_OPT_IN || typeof challengeId !== "string") return undefined;
  if (optIntoChallenge(state, program, challengeId, interaction.occurredAt)) return undefined;
  return program.challenges.find((c) => c.challengeId === challengeId);
}
