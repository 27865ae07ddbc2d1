// Which ONE retention e-mail a member gets now, which wait and until when, and which are dropped for good.
//
// Consent: every retention e-mail — including the loyalty-critical points-expiring reminder and tier warning —
// goes only to members with marketing consent. They are service-like in content, but they are not required for
// the contract, so treating them as marketing is the simple, safe reading. Suppression, bounce and complaint
// always block. Loyalty-critical messages outrank promotions under the frequency cap; they do not bypass it.
//
// The cap is a rolling window over `recentSends`. This function never picks more than one message, so the cap
// holds for any candidate set; under concurrent runs the caller must persist the send (recentSends) with a
// conditional write on the member item before calling SES, and use the message key as the exactly-once key.
import type { IsoDay } from "../time";
import { addDays, dayStart, toIsoInstant, utcDay } from "../time";
import { endOfQuietHours, type QuietWindow } from "./local-time";

export interface SendCandidate {
  messageKey: string;
  priority: number;
  dueOn: IsoDay;
  validUntil: IsoDay;
  /** True when the control group must not receive it. */
  holdoutApplies: boolean;
}

export interface SendInput<T extends SendCandidate> {
  consent: { marketing: boolean };
  suppression: { suppressed: boolean; bounced: boolean; complained: boolean };
  /** The member is in the holdout control group. */
  inHoldout: boolean;
  /** Instants of retention e-mails already sent (any order; older ones are ignored). */
  recentSends: readonly string[];
  cap: { maxMessages: number; perDays: number };
  /** The program's and the member's quiet time (see `quietWindows`), in the member's time zone. */
  quietWindows: readonly QuietWindow[];
  /** The member's IANA time zone. */
  timeZone: string;
  now: Date | string;
  candidates: readonly T[];
}

export type DeferReason = "frequency-cap" | "quiet-hours" | "one-per-run";
export type DropReason =
  | "suppressed"
  | "bounced"
  | "complained"
  | "no-consent"
  | "holdout"
  | "expired"
  | "expires-before-send"
  | "duplicate"
  /** The program's and the member's quiet hours together leave no minute of the day. */
  | "no-send-window";

export interface SendDecision<T extends SendCandidate> {
  send?: T;
  deferred: { candidate: T; until: string; reason: DeferReason }[];
  dropped: { candidate: T; reason: DropReason }[];
}

const DAY_MS = 86_400_000;

export function decideSend<T extends SendCandidate>(input: SendInput<T>): SendDecision<T> {
  const nowMs = Date.parse(toIsoInstant(input.now));
  const today = utcDay(input.now);
  const decision: SendDecision<T> = { deferred: [], dropped: [] };
  const seen = new Set<string>();
  const eligible: T[] = [];
  for (const candidate of [...input.candidates].sort(bySendOrder)) {
    const reason = seen.has(candidate.messageKey) ? "duplicate" : dropReason(input, candidate, today);
    seen.add(candidate.messageKey);
    if (reason) decision.dropped.push({ candidate, reason });
    else eligible.push(candidate);
  }
  const [first, ...rest] = eligible;
  if (!first) return decision;

  const capFree = capFreeAt(input.recentSends, input.cap, nowMs);
  const sendAt = endOfQuietHours(Math.max(nowMs, capFree), input.quietWindows, input.timeZone);
  if (sendAt === undefined) {
    for (const candidate of eligible) decision.dropped.push({ candidate, reason: "no-send-window" });
    return decision;
  }
  if (sendAt > nowMs) {
    const reason: DeferReason = capFree > nowMs ? "frequency-cap" : "quiet-hours";
    for (const candidate of eligible) defer(decision, candidate, sendAt, reason);
    return decision;
  }
  decision.send = first;
  const afterSend = [...input.recentSends, new Date(nowMs).toISOString()];
  const nextFree = capFreeAt(afterSend, input.cap, nowMs);
  // With room left under the cap the rest still wait for the next run: one e-mail per member per run.
  const reason: DeferReason = nextFree > nowMs ? "frequency-cap" : "one-per-run";
  const base = nextFree > nowMs ? nextFree : Date.parse(dayStart(addDays(today, 1)));
  // Windows that left `now` free leave a minute free every day: `until` is found.
  const until = endOfQuietHours(base, input.quietWindows, input.timeZone) ?? base;
  for (const candidate of rest) defer(decision, candidate, until, reason);
  return decision;
}

function dropReason<T extends SendCandidate>(
  input: SendInput<T>,
  candidate: T,
  today: IsoDay,
): DropReason | undefined {
  if (input.suppression.suppressed) return "suppressed";
  if (input.suppression.bounced) return "bounced";
  if (input.suppression.complained) return "complained";
  if (!input.consent.marketing) return "no-consent";
  if (input.inHoldout && candidate.holdoutApplies) return "holdout";
  if (candidate.validUntil < today) return "expired";
  return undefined;
}

function defer<T extends SendCandidate>(
  decision: SendDecision<T>,
  candidate: T,
  untilMs: number,
  reason: DeferReason,
) {
  const until = new Date(untilMs).toISOString();
  if (utcDay(until) > candidate.validUntil)
    decision.dropped.push({ candidate, reason: "expires-before-send" });
  else decision.deferred.push({ candidate, until, reason });
}

/** The first instant a further e-mail fits under the cap: when enough of the sends in the window have aged out. */
export function capFreeAt(
  recentSends: readonly string[],
  cap: { maxMessages: number; perDays: number },
  nowMs: number,
): number {
  const windowMs = cap.perDays * DAY_MS;
  const inWindow = recentSends
    .map((s) => Date.parse(s))
    .filter((t) => t > nowMs - windowMs && t <= nowMs)
    .sort((a, b) => a - b);
  if (inWindow.length < cap.maxMessages) return nowMs;
  return (inWindow[inWindow.length - cap.maxMessages] as number) + windowMs;
}

/** Priority first, then the older occurrence, then the key: the choice never depends on candidate order. */
export function bySendOrder(a: SendCandidate, b: SendCandidate): number {
  return (
    b.priority - a.priority || a.dueOn.localeCompare(b.dueOn) || a.messageKey.localeCompare(b.messageKey)
  );
}
