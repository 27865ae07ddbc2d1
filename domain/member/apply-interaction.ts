import { interactionAward, recordInteraction } from "../earning/interaction-points";
import type { InteractionFacts } from "../facts";
import type { LedgerEntry } from "../ledger/ledger-entry";
import { addSpendable, spendableBalance } from "../ledger/lots";
import { clipReason, pointsEvent } from "../ledger/outbound";
import type { Program } from "../program/program-schema";
import { addMonths, utcDay } from "../time";
import { settleMember } from "./lifecycle";
import type { Clock, MemberState, UseCaseResult } from "./member-state";

/**
 * A non-purchase interaction (review, survey, referral, resolved complaint...). Points are spendable at once
 * (nothing to return). Kinds without a rule, and interactions a cap allows nothing for, write no entry.
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
  if (!award || award.points === 0) return settled;

  recordInteraction(s, award, interaction.occurredAt);
  const expiresOn = addMonths(utcDay(interaction.occurredAt), program.expiry.validityMonths);
  addSpendable(s.points, expiresOn, award.points);
  s.lifetime.pointsEarned += award.points;
  const label = interaction.kind.replace(/-/g, " ");
  const entry: LedgerEntry = {
    entryId: `interaction:${interaction.sourceKey}`,
    memberId: s.memberId,
    kind: "interaction",
    points: award.points,
    statusPoints: 0,
    reason: clipReason(
      `${label[0]?.toUpperCase() ?? ""}${label.slice(1)}: ${award.points} points${award.capNote ? ` (${award.capNote})` : ""}`,
    ),
    ruleIds: [award.rule.ruleId],
    programVersion: program.version,
    sourceKey: interaction.sourceKey,
    occurredAt: interaction.occurredAt,
    details: {
      type: "interaction",
      interactionId: interaction.interactionId,
      kind: interaction.kind,
      offeredPoints: award.rule.points,
      expiresOn,
    },
  };
  const after = settleMember(s, program, ctx.now);
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
