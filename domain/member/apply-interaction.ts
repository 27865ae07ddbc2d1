import { interactionAward, recordInteraction } from "../earning/interaction-points";
import type { InteractionFacts } from "../facts";
import type { LedgerEntry } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import type { Program } from "../program/program-schema";
import { addMonths, utcDay } from "../time";
import { settleMember } from "./lifecycle";
import type { Clock, MemberState, UseCaseResult } from "./member-state";
import { recordComplaintResolved, refileDueDay } from "./retention-facts";

/** Resolving a complaint schedules the service-recovery message, whatever points it earns. */
const COMPLAINT_RESOLVED = "complaint-resolved";

/**
 * A non-purchase interaction (review, survey, referral, resolved complaint...). Points are spendable at once
 * (nothing to return). Kinds without a rule, and interactions a cap allows nothing for, write no entry — except
 * a resolved complaint: it is remembered for the service-recovery message, and a zero-point entry records why
 * the state changed (a commit needs one).
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
  const resolved = interaction.kind === COMPLAINT_RESOLVED;
  if ((!award || award.points === 0) && !resolved) return settled;

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
      `${label[0]?.toUpperCase() ?? ""}${label.slice(1)}: ${points} points${award?.capNote ? ` (${award.capNote})` : ""}`,
    ),
    ruleIds: award ? [award.rule.ruleId] : [],
    programVersion: program.version,
    sourceKey: interaction.sourceKey,
    occurredAt: interaction.occurredAt,
    details: {
      type: "interaction",
      interactionId: interaction.interactionId,
      kind: interaction.kind,
      offeredPoints: award?.rule.points ?? 0,
      expiresOn,
    },
  };
  const after = settleMember(s, program, ctx.now);
  if (resolved) refileDueDay(after.state, program, utcDay(ctx.now));
  return {
    state: after.state,
    entries: [...settled.entries, entry, ...after.entries],
    outbound: [
      ...settled.outbound,
      ...pointsEvent("Points Earned", entry, spendableBalance(after.state), { expiresOn }),
      ...after.outbound,
    ],
  };
}

/** The producer's complaint id when it sends one (attribute `complaintId`), else the interaction's own id. */
function complaintIdOf(interaction: InteractionFacts): string {
  const id = interaction.attributes?.complaintId;
  return typeof id === "string" && id.length > 0 ? id : interaction.interactionId;
}
