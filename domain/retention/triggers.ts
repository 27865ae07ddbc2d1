// Which retention e-mails are due for a member today. Each trigger family yields at most its next unhandled
// occurrence, with the day it becomes due, the last day it is still worth sending, and a deterministic message
// key that the mailer uses as its exactly-once key. Nothing here marks a trigger as handled: that happens once
// the send decision is known (see trigger-outcome.ts), so a deferred trigger is offered again.
import { InvalidFacts } from "../errors";
import { bySendOrder } from "../messaging/send-policy";
import { addDays, type IsoDay, utcDay } from "../time";
import { journeyLengthDays, stageDays } from "./lifecycle";
import type { RetentionConfig } from "./retention-config";
import type { RetentionState } from "./retention-state";
import type { TriggerFamily } from "./trigger-family";

export interface MemberFacts {
  memberId: string;
  /** Retention state already brought up to today by evaluateLifecycle. */
  retention: RetentionState;
  spendablePoints: number;
  /** Spendable points by expiry day (the member's lots). */
  expiries: { expiresOn: IsoDay; points: number }[];
  tier?: {
    tierId: string;
    /** The member keeps the tier until this day (the review day, or the end of grace). */
    keepsUntil: IsoDay;
    /** What keeping the tier needs by `keepsUntil`; absent for the lowest tier. */
    toKeep?: { metric: "statusPoints" | "spendMinor"; required: number; current: number };
  };
  /** "MM-DD" or "YYYY-MM-DD". */
  birthday?: string;
  /** Recently resolved complaints (older ones may be omitted). */
  complaintsResolved?: { complaintId: string; resolvedOn: IsoDay }[];
  /** The latest service case (open or closed): its opening is a service-recovery occasion. */
  serviceCase?: { caseId: string; openedOn: IsoDay };
  /** Recently reached milestones. */
  milestonesReached?: { milestoneId: string; reachedOn: IsoDay }[];
  /** From the value model, when known. */
  probabilityAlive?: number;
}

export type TriggerDetails =
  | { family: "at-risk-nudge" }
  | { family: "win-back"; step: number; of: number }
  | { family: "points-expiring"; points: number; expiresOn: IsoDay }
  | {
      family: "tier-downgrade-warning";
      tierId: string;
      keepsUntil: IsoDay;
      metric: "statusPoints" | "spendMinor";
      shortfall: number;
    }
  | { family: "service-recovery"; complaintId: string }
  | { family: "birthday"; birthdayOn: IsoDay }
  | { family: "milestone"; milestoneId: string };

export interface Trigger {
  /** "at-risk-nudge", "win-back-step-<n>", "points-expiring", "tier-downgrade-warning", "service-recovery", … */
  kind: string;
  family: TriggerFamily;
  /** Higher goes first under the frequency cap. */
  priority: number;
  /** Points expiring and tier warnings: they protect value the member already has. */
  loyaltyCritical: boolean;
  /** `msg:<memberId>:<kind>:<cycle>`; the same occurrence always has the same key. */
  messageKey: string;
  /** Identifies the occurrence within its family (expiry day, birthday year, lapse day#step, …). */
  cycle: string;
  dueOn: IsoDay;
  /** Last day the message still makes sense; a deferral past it drops the trigger. */
  validUntil: IsoDay;
  /** The control group does not receive it. */
  holdoutApplies: boolean;
  details: TriggerDetails;
}

export const TRIGGER_PRIORITY: Readonly<Record<TriggerFamily, number>> = {
  "points-expiring": 100,
  "tier-downgrade-warning": 90,
  "service-recovery": 70,
  "win-back": 60,
  "at-risk-nudge": 50,
  birthday: 40,
  milestone: 30,
};

const LOYALTY_CRITICAL: ReadonlySet<TriggerFamily> = new Set(["points-expiring", "tier-downgrade-warning"]);
/** A birthday message is still welcome up to this many days after the day. */
const BIRTHDAY_LATE_DAYS = 6;

/** The next unhandled occurrence of every enabled family, due or not; ordered by send preference. */
export function upcomingTriggers(facts: MemberFacts, config: RetentionConfig, today: IsoDay): Trigger[] {
  const candidates = [
    atRiskNudge(facts, config),
    winBackStep(facts, config, today),
    pointsExpiring(facts, config, today),
    tierWarning(facts, config, today),
    oldestRecent(facts, config, today, "service-recovery"),
    birthday(facts, config, today),
    oldestRecent(facts, config, today, "milestone"),
  ];
  return candidates.filter((t): t is Trigger => t !== undefined && t.validUntil >= today).sort(bySendOrder);
}

/** The triggers due today, highest priority first. */
export function decideTriggers(facts: MemberFacts, config: RetentionConfig, now: Date | string): Trigger[] {
  const today = utcDay(now);
  return upcomingTriggers(facts, config, today).filter((t) => t.dueOn <= today);
}

interface TriggerWindow {
  kind: string;
  /** What `lastFired` compares: the occurrence this send handles. */
  cycle: string;
  /** The occurrence in the message key (one e-mail per key, for ever). */
  keyCycle: string;
  dueOn: IsoDay;
  validUntil: IsoDay;
  details: TriggerDetails;
}

function trigger(facts: MemberFacts, config: RetentionConfig, window: TriggerWindow): Trigger {
  const { kind, cycle, keyCycle, dueOn, validUntil, details } = window;
  const family = details.family;
  return {
    kind,
    family,
    priority: TRIGGER_PRIORITY[family],
    loyaltyCritical: LOYALTY_CRITICAL.has(family),
    messageKey: `msg:${facts.memberId}:${kind}:${keyCycle}`,
    cycle,
    dueOn,
    validUntil,
    holdoutApplies: config.holdout.appliesTo.includes(family),
    details,
  };
}

function handled(facts: MemberFacts, family: TriggerFamily, cycle: string): boolean {
  const last = facts.retention.lastFired[family];
  return last !== undefined && last >= cycle;
}

function atRiskNudge(facts: MemberFacts, config: RetentionConfig): Trigger | undefined {
  const r = facts.retention;
  if (!config.triggers.atRiskNudge.enabled || r.stage !== "at-risk") return undefined;
  if (handled(facts, "at-risk-nudge", r.stageSince)) return undefined;
  const lapsedOn = stageDays(r, config, facts.probabilityAlive).lapsedOn;
  const validUntil = lapsedOn > r.stageSince ? addDays(lapsedOn, -1) : r.stageSince;
  return trigger(facts, config, {
    kind: "at-risk-nudge",
    cycle: r.stageSince,
    keyCycle: r.stageSince,
    dueOn: r.stageSince,
    validUntil,
    details: { family: "at-risk-nudge" },
  });
}

/** The next win-back step; when a run was missed and several are due, only the latest (biggest offer) is sent. */
function winBackStep(facts: MemberFacts, config: RetentionConfig, today: IsoDay): Trigger | undefined {
  const r = facts.retention;
  const { enabled, steps } = config.triggers.winBack;
  if (!enabled || r.stage !== "lapsed" || r.winBackStepsDone >= steps.length) return undefined;
  const dayOf = (index: number) => addDays(r.stageSince, steps[index]?.afterDays ?? 0);
  let index = r.winBackStepsDone;
  while (index + 1 < steps.length && dayOf(index + 1) <= today) index++;
  const step = index + 1;
  const endOn =
    index + 1 < steps.length ? dayOf(index + 1) : addDays(r.stageSince, journeyLengthDays(config));
  return trigger(facts, config, {
    kind: `win-back-step-${step}`,
    cycle: `${r.stageSince}#${step}`,
    keyCycle: r.stageSince,
    dueOn: dayOf(index),
    validUntil: addDays(endOn, -1),
    details: { family: "win-back", step, of: steps.length },
  });
}

/** The earliest unreminded expiry day with enough points; the reminder opens `daysBefore` ahead of it. */
function pointsExpiring(facts: MemberFacts, config: RetentionConfig, today: IsoDay): Trigger | undefined {
  const { enabled, daysBefore, minPoints } = config.triggers.pointsExpiring;
  if (!enabled) return undefined;
  const perDay = new Map<IsoDay, number>();
  for (const lot of facts.expiries) perDay.set(lot.expiresOn, (perDay.get(lot.expiresOn) ?? 0) + lot.points);
  const next = [...perDay]
    .filter(([day, points]) => day > today && points >= minPoints && !handled(facts, "points-expiring", day))
    .sort(([a], [b]) => a.localeCompare(b))[0];
  if (!next) return undefined;
  const [expiresOn, points] = next;
  return trigger(facts, config, {
    kind: "points-expiring",
    cycle: expiresOn,
    keyCycle: expiresOn,
    dueOn: addDays(expiresOn, -daysBefore),
    validUntil: addDays(expiresOn, -1),
    details: { family: "points-expiring", points, expiresOn },
  });
}

/** "Spend X by D to keep Gold": only while the member is short of what keeping the tier needs. */
function tierWarning(facts: MemberFacts, config: RetentionConfig, today: IsoDay): Trigger | undefined {
  const { enabled, daysBefore } = config.triggers.tierWarning;
  const tier = facts.tier;
  if (!enabled || !tier?.toKeep || tier.keepsUntil <= today) return undefined;
  const shortfall = tier.toKeep.required - tier.toKeep.current;
  if (shortfall <= 0 || handled(facts, "tier-downgrade-warning", tier.keepsUntil)) return undefined;
  return trigger(facts, config, {
    kind: "tier-downgrade-warning",
    cycle: tier.keepsUntil,
    keyCycle: tier.keepsUntil,
    dueOn: addDays(tier.keepsUntil, -daysBefore),
    validUntil: addDays(tier.keepsUntil, -1),
    details: {
      family: "tier-downgrade-warning",
      tierId: tier.tierId,
      keepsUntil: tier.keepsUntil,
      metric: tier.toKeep.metric,
      shortfall,
    },
  });
}

/**
 * The oldest unhandled recent service case opening, complaint resolution or milestone (one per run keeps the
 * cycle keys ordered).
 */
function oldestRecent(
  facts: MemberFacts,
  config: RetentionConfig,
  today: IsoDay,
  family: "service-recovery" | "milestone",
): Trigger | undefined {
  const { enabled, withinDays } =
    family === "service-recovery" ? config.triggers.serviceRecovery : config.triggers.milestone;
  if (!enabled) return undefined;
  const events =
    family === "service-recovery"
      ? [
          ...(facts.complaintsResolved ?? []).map((c) => ({ id: c.complaintId, on: c.resolvedOn })),
          ...(facts.serviceCase ? [{ id: facts.serviceCase.caseId, on: facts.serviceCase.openedOn }] : []),
        ]
      : (facts.milestonesReached ?? []).map((m) => ({ id: m.milestoneId, on: m.reachedOn }));
  const next = events
    .filter(
      (e) =>
        e.on <= today && addDays(e.on, withinDays) >= today && !handled(facts, family, `${e.on}#${e.id}`),
    )
    .sort((a, b) => a.on.localeCompare(b.on) || a.id.localeCompare(b.id))[0];
  if (!next) return undefined;
  const details: TriggerDetails =
    family === "service-recovery" ? { family, complaintId: next.id } : { family, milestoneId: next.id };
  return trigger(facts, config, {
    kind: family,
    cycle: `${next.on}#${next.id}`,
    keyCycle: next.id,
    dueOn: next.on,
    validUntil: addDays(next.on, withinDays),
    details,
  });
}

/** This year's birthday, or next year's once this year's window has passed (29 Feb → 28 Feb in other years). */
function birthday(facts: MemberFacts, config: RetentionConfig, today: IsoDay): Trigger | undefined {
  const { enabled, daysBefore } = config.triggers.birthday;
  if (!enabled || facts.birthday === undefined) return undefined;
  const [month, day] = parseBirthday(facts.birthday);
  const year = Number(today.slice(0, 4));
  for (const y of [year - 1, year, year + 1]) {
    const on = birthdayIn(y, month, day);
    const validUntil = addDays(on, BIRTHDAY_LATE_DAYS);
    if (validUntil < today || handled(facts, "birthday", String(y))) continue;
    return trigger(facts, config, {
      kind: "birthday",
      cycle: String(y),
      keyCycle: String(y),
      dueOn: addDays(on, -daysBefore),
      validUntil,
      details: { family: "birthday", birthdayOn: on },
    });
  }
  return undefined;
}

function parseBirthday(text: string): [number, number] {
  const match = /^(?:\d{4}-)?(\d{2})-(\d{2})$/.exec(text);
  const month = Number(match?.[1]);
  const day = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(2000, month, 0)).getUTCDate()) {
    // The value itself is personal data, so the error names only the field.
    throw new InvalidFacts("birthday", "must be MM-DD or YYYY-MM-DD");
  }
  return [month, day];
}

function birthdayIn(year: number, month: number, day: number): IsoDay {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1, Math.min(day, last))).toISOString().slice(0, 10);
}
