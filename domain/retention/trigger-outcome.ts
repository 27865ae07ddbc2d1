// Records what became of a trigger once the send decision is known: sent, withheld for the control group, or
// dropped for good (no consent, suppressed, expired). Deferred triggers are not recorded, so they come back.
import { addDays, toIsoInstant, utcDay } from "../time";
import type { RetentionConfig } from "./retention-config";
import { MAX_PENDING_CONVERSIONS, type RetentionState } from "./retention-state";
import type { Trigger } from "./triggers";

export type TriggerOutcome =
  | { status: "sent"; at: Date | string }
  | { status: "control"; at: Date | string }
  | { status: "dropped"; at: Date | string };

/**
 * Marks the trigger's occurrence handled, advances the win-back journey, and for sent and control outcomes
 * opens a conversion window and (sent only) counts the e-mail toward the frequency cap. Idempotent: recording the
 * same outcome twice changes nothing.
 */
export function markTriggerHandled(
  state: RetentionState,
  trigger: Trigger,
  outcome: TriggerOutcome,
  config: RetentionConfig,
): RetentionState {
  if (state.pending.some((p) => p.messageKey === trigger.messageKey)) return state;
  const at = toIsoInstant(outcome.at);
  const day = utcDay(at);
  const next: RetentionState = {
    ...state,
    lastFired: { ...state.lastFired, [trigger.family]: trigger.cycle },
    pending: state.pending.filter((p) => p.until >= day),
  };
  if (trigger.details.family === "win-back") {
    next.winBackStepsDone = Math.max(state.winBackStepsDone, trigger.details.step);
  }
  if (outcome.status === "dropped") return next;
  next.pending = [
    ...next.pending,
    {
      family: trigger.family,
      kind: trigger.kind,
      messageKey: trigger.messageKey,
      triggeredOn: day,
      until: addDays(day, config.measurement.conversionWindowDays),
      control: outcome.status === "control",
    },
  ].slice(-MAX_PENDING_CONVERSIONS);
  if (outcome.status === "sent") next.recentSends = recentSendsAfter(state.recentSends, at, config);
  return next;
}

/** The sends still inside the cap window after a send at `at`; never more than the cap can use. */
function recentSendsAfter(recent: string[], at: string, config: RetentionConfig): string[] {
  const { maxMessages, perDays } = config.messaging.frequencyCap;
  const windowStart = Date.parse(at) - perDays * 86_400_000;
  return [...recent.filter((s) => Date.parse(s) > windowStart), at].sort().slice(-maxMessages);
}
