import type * as z from "zod";
import type { Program } from "../../domain";
import { type Conversion, type StageTransition, stageDays } from "../../domain/retention/lifecycle";
import type { RetentionState } from "../../domain/retention/retention-state";
import { dayStart, daysBetween } from "../../domain/time";
import { memberLapsingSchema } from "../../events/outbound/member-lapsing";
import { memberWonBackSchema } from "../../events/outbound/member-won-back";
import { offerSentSchema } from "../../events/outbound/offer-sent";
import type { OutboxEvent } from "../adapters/bus/event-publisher";

// The retention job's outbound events, each checked against its published contract. Ids are deterministic
// (member + what happened), so a consumer can drop a redelivered copy.

type Lapsing = z.input<typeof memberLapsingSchema>;

const trace = (
  memberId: string,
  sourceKey: string,
  reason: string,
  program: Program,
  occurredAt: string,
) => ({
  schemaVersion: "1" as const,
  memberId,
  sourceKey,
  reason: reason.slice(0, 500),
  programVersion: String(program.version),
  occurredAt,
});

/** `Member Lapsing` for every move down to at-risk or lapsed. */
export function lapsingEvents(
  memberId: string,
  retention: RetentionState,
  transitions: readonly StageTransition[],
  program: Program,
  probabilityAlive: number | undefined,
): OutboxEvent[] {
  const expected = stageDays(retention, program.retention, probabilityAlive).expected.day;
  return transitions.flatMap((t) => {
    if (t.to !== "at-risk" && t.to !== "lapsed") return [];
    const sourceKey = `retention:${memberId}:${t.to}:${t.on}`;
    const detail: Lapsing = {
      ...trace(memberId, sourceKey, t.reason, program, dayStart(t.on)),
      stage: t.to,
      expectedNextPurchaseAt: dayStart(expected),
      daysOverdue: Math.max(0, daysBetween(expected, t.on)),
    };
    return [{ id: sourceKey, type: "Member Lapsing", detail: memberLapsingSchema.parse(detail) }];
  });
}

/** `Member Won Back` for a purchase that converted a sent nudge or win-back message (one per purchase day). */
export function wonBackEvents(
  memberId: string,
  conversions: readonly Conversion[],
  program: Program,
): OutboxEvent[] {
  const latestPerDay = new Map<string, Conversion>();
  for (const c of conversions) {
    if (c.control || (c.family !== "at-risk-nudge" && c.family !== "win-back")) continue;
    const seen = latestPerDay.get(c.convertedOn);
    if (!seen || seen.triggeredOn < c.triggeredOn) latestPerDay.set(c.convertedOn, c);
  }
  return [...latestPerDay.values()].map((c) => {
    const sourceKey = `retention:${memberId}:won-back:${c.convertedOn}`;
    const detail = {
      ...trace(
        memberId,
        sourceKey,
        `purchase ${c.daysToConvert} days after ${c.kind}`,
        program,
        dayStart(c.convertedOn),
      ),
      trigger: c.kind,
      daysToConvert: c.daysToConvert,
    };
    return { id: sourceKey, type: "Member Won Back", detail: memberWonBackSchema.parse(detail) };
  });
}

/** `Offer Sent` once SES accepted an e-mail that carried an offer (no address, no content). */
export function offerSentEvent(
  memberId: string,
  messageKey: string,
  kind: string,
  offerId: string,
  sesMessageId: string,
  program: Program,
  sentAt: string,
): OutboxEvent {
  const detail = {
    ...trace(memberId, messageKey, `${kind} e-mail with offer ${offerId}`, program, sentAt),
    messageId: sesMessageId,
    trigger: kind,
    offerId,
    channel: "email" as const,
  };
  return { id: messageKey, type: "Offer Sent", detail: offerSentSchema.parse(detail) };
}
