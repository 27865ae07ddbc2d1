import type { LedgerEntry, MemberState, OutboundEvent, Program } from "../../domain";
import { settleMember } from "../../domain";
import { favouriteCategory } from "../../domain/member/queries";
import { withReferralCheck } from "../../domain/member/referral";
import { retentionFacts } from "../../domain/member/retention-facts";
import { quietWindows } from "../../domain/messaging/local-time";
import { decideSend } from "../../domain/messaging/send-policy";
import { type ChosenOffer, chooseOffer } from "../../domain/offers/offer-choice";
import { nextCheckDay } from "../../domain/retention/due-buckets";
import { isInHoldout } from "../../domain/retention/holdout";
import { type Conversion, evaluateLifecycle, type StageTransition } from "../../domain/retention/lifecycle";
import { markTriggerHandled } from "../../domain/retention/trigger-outcome";
import { decideTriggers, type MemberFacts, type Trigger } from "../../domain/retention/triggers";
import { utcDay } from "../../domain/time";
import type { CounterDelta } from "./message-store";
import type { ProfileView } from "./profile-view";

// What the retention job does to one due member, without I/O: settle (expiry, tier review), move the lifecycle on,
// count conversions, pick the triggers due, decide the one e-mail to send (or schedule), record every
// outcome, and file the member under their next due day. The caller commits it all in one transaction.

export interface PreparedMember {
  state: MemberState;
  entries: LedgerEntry[];
  outbound: OutboundEvent[];
  transitions: StageTransition[];
  /** Conversions since the last run, counted by this commit. */
  conversions: Conversion[];
  facts: MemberFacts;
  triggers: Trigger[];
}

export interface MessageClaim {
  trigger: Trigger;
  offer?: ChosenOffer;
  /** Send now (after the commit), or at `nextAttemptAt` once the member's quiet hours end. */
  sendNow: boolean;
  nextAttemptAt: string;
  /** When it is to go out (now, or when the quiet hours end): its offer code's validity counts from this day. */
  sendsAt: string;
}

export interface MemberPlan extends PreparedMember {
  claim?: MessageClaim;
  counters: Map<string, CounterDelta>;
  deferred: number;
  dropped: { kind: string; reason: string }[];
  control: number;
}

/** Step 1, from the state alone: tells whether the profile (PII) must be read at all. */
export function prepareMember(stored: MemberState, program: Program, now: Date): PreparedMember {
  const settled = settleMember(stored, program, now);
  const state = settled.state;
  const config = program.retention;
  const probabilityAlive = state.scores?.probabilityAlive;
  const lifecycle = evaluateLifecycle(state.retention, config, now, probabilityAlive);
  state.retention = lifecycle.state;
  const conversions = state.unreportedConversions;
  state.unreportedConversions = [];
  const facts = retentionFacts(state, program, utcDay(now));
  return {
    state,
    entries: settled.entries,
    outbound: settled.outbound,
    transitions: lifecycle.transitions,
    conversions,
    facts,
    triggers: decideTriggers(facts, config, now),
  };
}

/** Step 2: the send decision with the member's profile (read only when there are triggers). */
export function planMember(
  prepared: PreparedMember,
  program: Program,
  profile: ProfileView | undefined,
  now: Date,
  leaseMs: number,
): MemberPlan {
  const config = program.retention;
  const state = prepared.state;
  const memberId = state.memberId;
  const nowIso = now.toISOString();
  const counters = new Map<string, CounterDelta>();
  const count = (kind: string, field: keyof CounterDelta, by = 1) => {
    const delta = counters.get(kind) ?? {};
    delta[field] = (delta[field] ?? 0) + by;
    counters.set(kind, delta);
  };
  for (const c of prepared.conversions) {
    count(c.kind, c.control ? "controlConverted" : "converted");
    count(c.kind, c.control ? "controlConvertedSpendMinor" : "convertedSpendMinor", c.spendMinor ?? 0);
  }

  const plan: MemberPlan = { ...prepared, counters, deferred: 0, dropped: [], control: 0 };
  let deferredUntil: string | undefined;
  if (prepared.triggers.length > 0) {
    const decision = decideSend({
      consent: { marketing: profile?.emailConsent === true && profile.email !== undefined },
      suppression: {
        suppressed: profile?.suppressed ?? false,
        bounced: profile?.bounced ?? false,
        complained: profile?.complained ?? false,
      },
      inHoldout: isInHoldout(memberId, config.holdout.percent, config.holdout.salt),
      recentSends: state.retention.recentSends,
      cap: config.messaging.frequencyCap,
      quietWindows: quietWindows(config.messaging.quietHours, profile?.quietHours),
      timeZone: profile?.timeZone ?? config.messaging.defaultTimeZone,
      now,
      candidates: prepared.triggers,
    });
    for (const { candidate, reason } of decision.dropped) {
      const control = reason === "holdout";
      state.retention = markTriggerHandled(
        state.retention,
        candidate,
        { status: control ? "control" : "dropped", at: nowIso },
        config,
      );
      if (control) {
        count(candidate.kind, "controlSize");
        plan.control += 1;
      } else plan.dropped.push({ kind: candidate.kind, reason });
    }
    // Quiet hours defer every candidate; the first is scheduled now so it goes out when they end.
    const [first] = decision.deferred;
    const scheduled = !decision.send && first?.reason === "quiet-hours" ? first : undefined;
    const chosen = decision.send ?? scheduled?.candidate;
    if (chosen) {
      const at = scheduled ? scheduled.until : nowIso;
      state.retention = markTriggerHandled(state.retention, chosen, { status: "sent", at }, config);
      count(chosen.kind, "sent");
      const offer = offerFor(state, program, chosen);
      plan.claim = {
        trigger: chosen,
        ...(offer && { offer }),
        sendNow: !scheduled,
        sendsAt: at,
        nextAttemptAt: scheduled ? scheduled.until : new Date(now.getTime() + leaseMs).toISOString(),
      };
    }
    const waiting = decision.deferred.filter((d) => d.candidate !== scheduled?.candidate);
    plan.deferred = waiting.length;
    for (const d of waiting)
      if (deferredUntil === undefined || d.until < deferredUntil) deferredUntil = d.until;
  }
  const facts = { ...prepared.facts, retention: state.retention };
  state.retention = {
    ...state.retention,
    dueOn: withReferralCheck(state, nextCheckDay(facts, config, utcDay(now), deferredUntil), utcDay(now)),
  };
  return plan;
}

function offerFor(state: MemberState, program: Program, trigger: Trigger): ChosenOffer | undefined {
  const { purchases, spendMinor } = state.lifetime;
  const favourite = favouriteCategory(state);
  const averageOrderValueMinor =
    state.scores?.expectedOrderValueMinor ?? (purchases > 0 ? Math.round(spendMinor / purchases) : undefined);
  return chooseOffer(
    {
      family: trigger.family,
      ...(trigger.details.family === "win-back" && { winBackStep: trigger.details.step }),
      segment: state.scores?.segment ?? "unknown",
      ...(favourite !== undefined && { favouriteCategory: favourite }),
      ...(state.scores && { predictedClvMinor: state.scores.clvMinor }),
      ...(averageOrderValueMinor !== undefined && { averageOrderValueMinor }),
    },
    program.retention,
    program.rewards,
  );
}
