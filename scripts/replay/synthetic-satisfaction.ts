import type { InteractionKind, InteractionRecorded } from "../../events/inbound/interaction-recorded";
import type { PurchaseCompleted } from "../../events/inbound/purchase-completed";
import type { ReplayEvent } from "./replay-events";
import { beta, normal, seededRandom } from "./synthetic-log";

// Satisfaction for the synthetic replay. After a share of purchases the member answers a post-purchase survey
// (NPS 0–10 and/or CSAT 1–5, drawn around a satisfaction of their own) or files a complaint; the retailer's
// service desk resolves a share of the service cases Patron opens — a detractor answer or a complaint while the
// member has no open case — by sending the case id back as the resolution's `complaintId` (as `Service
// Recovery Needed` asks). A member makes at most one such contact a day: the replay settles the bus between
// days but not within one, and whether a case opens depends on the order contacts are applied. Deterministic
// by seed (a PRNG stream of its own, so the purchase log is the same with or without it).

export interface SatisfactionOptions {
  seed: number;
  /** Share of purchases followed by a survey answer, 1–3 days later (default DEFAULT_SURVEY_RATE). */
  surveyRate?: number;
  /** Share of purchases followed by a complaint, 1–3 days later (default DEFAULT_COMPLAINT_RATE). */
  complaintRate?: number;
  /** Share of service cases the desk resolves, 2–10 days after they open (default DEFAULT_RESOLVED_SHARE). */
  resolvedShare?: number;
  /** The program's service-recovery thresholds: an answer at or below one opens a case. */
  detractor: { npsAtMost: number; csatAtMost: number };
  /** The log's last instant; later contacts are left out (a case resolved after it stays open). */
  endAt: Date;
}

export const DEFAULT_SURVEY_RATE = 0.2;
export const DEFAULT_COMPLAINT_RATE = 0.03;
export const DEFAULT_RESOLVED_SHARE = 0.6;

const SURVEY_SOURCE = "retail.web.surveys";
const DESK_SOURCE = "retail.web.service-desk";
/** XORed into the seed: the satisfaction draws never shift the purchase log's. */
const STREAM = 0x5a715fac;
const DAY_MS = 86_400_000;
const COMMENTS = [
  "The checkout queue was far too long",
  "My order arrived late",
  "Staff were not helpful",
  "Item was out of stock again",
];

type Attributes = NonNullable<InteractionRecorded["attributes"]>;

interface Contact {
  memberId: string;
  at: Date;
  kind: InteractionKind;
  interactionId: string;
  attributes: Attributes;
  /** A post-purchase survey is answered about the purchase's channel and store (KPIs by channel and store). */
  place?: Pick<InteractionRecorded, "channel" | "storeId">;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** A daytime instant (from 09:00 UTC, within `hours`) `minDays`–`maxDays` days after `at`'s day. */
function dayTimeAfter(random: () => number, at: Date, days: [number, number], hours = 11): Date {
  const day =
    Date.parse(`${dayOf(at)}T09:00:00Z`) +
    (days[0] + Math.floor(random() * (days[1] - days[0] + 1))) * DAY_MS;
  return new Date(day + Math.floor(random() * hours * 60) * 60_000);
}

/**
 * A survey's answers around the member's satisfaction `mood` (0–1): both scores, NPS only or CSAT only, and
 * now and then a comment from the unhappy. Always the same number of draws, whatever the answer.
 */
function surveyAnswers(random: () => number, mood: number): Attributes {
  const nps = clamp(10 * mood + 1.5 * normal(random), 0, 10);
  const csat = clamp(1 + 4 * mood + 0.7 * normal(random), 1, 5);
  const asked = random();
  const comment = COMMENTS[Math.floor(random() * COMMENTS.length)] as string;
  const commented = random() < 0.5;
  const attributes: Attributes = {
    ...(asked < 0.85 && { npsScore: nps }),
    ...(asked >= 0.6 && { csatScore: csat }),
  };
  const unhappy = Number(attributes.npsScore ?? 10) <= 6 || Number(attributes.csatScore ?? 5) <= 2;
  if (commented && unhappy) attributes.comment = comment;
  return attributes;
}

/** Each member's surveys and complaints after their purchases, in time order, at most one a day. */
function memberContacts(
  events: readonly ReplayEvent[],
  random: () => number,
  options: SatisfactionOptions,
): Map<string, Contact[]> {
  const surveyRate = options.surveyRate ?? DEFAULT_SURVEY_RATE;
  const complaintRate = options.complaintRate ?? DEFAULT_COMPLAINT_RATE;
  const moods = new Map<string, number>();
  const byMember = new Map<string, Contact[]>();
  for (const event of events) {
    if (event.entry.DetailType !== "Purchase Completed") continue;
    const { memberId, orderId, channel, storeId } = JSON.parse(
      event.entry.Detail ?? "{}",
    ) as PurchaseCompleted;
    // Most members are content, some are not: a mean around 0.73.
    const mood = moods.get(memberId) ?? beta(random, 4, 1.5);
    moods.set(memberId, mood);
    // The same draws for every purchase, so a rate changes only what it governs.
    const surveyed = random() < surveyRate;
    const complained = random() < complaintRate;
    const surveyAt = dayTimeAfter(random, event.at, [1, 3]);
    const complaintAt = dayTimeAfter(random, event.at, [1, 3]);
    const answers = surveyAnswers(random, mood);
    const contacts = byMember.get(memberId) ?? [];
    byMember.set(memberId, contacts);
    if (surveyed)
      contacts.push({
        memberId,
        at: surveyAt,
        kind: "survey-answered",
        interactionId: `svy-${orderId}`,
        attributes: answers,
        place: { channel, ...(storeId && { storeId }) },
      });
    if (complained)
      contacts.push({
        memberId,
        at: complaintAt,
        kind: "complaint-opened",
        interactionId: `cmp-${orderId}`,
        attributes: { complaintId: `T-${orderId}` },
      });
  }
  for (const [memberId, contacts] of byMember) {
    const days = new Set<string>();
    const kept: Contact[] = [];
    for (const contact of contacts.sort((a, b) => a.at.getTime() - b.at.getTime())) {
      if (contact.at > options.endAt || days.has(dayOf(contact.at))) continue;
      days.add(dayOf(contact.at));
      kept.push(contact);
    }
    byMember.set(memberId, kept);
  }
  return byMember;
}

function opensCase(contact: Contact, detractor: SatisfactionOptions["detractor"]): boolean {
  if (contact.kind === "complaint-opened") return true;
  const { npsScore, csatScore } = contact.attributes;
  return (
    (typeof npsScore === "number" && npsScore <= detractor.npsAtMost) ||
    (typeof csatScore === "number" && csatScore <= detractor.csatAtMost)
  );
}

/** The desk's resolutions of a member's cases, on days the member made no other contact. */
function resolutions(
  contacts: readonly Contact[],
  random: () => number,
  options: SatisfactionOptions,
): Contact[] {
  const resolvedShare = options.resolvedShare ?? DEFAULT_RESOLVED_SHARE;
  const days = new Set(contacts.map((c) => dayOf(c.at)));
  const resolved: Contact[] = [];
  let open: { resolvedAt?: Date } | undefined;
  for (const contact of contacts) {
    if (open?.resolvedAt && open.resolvedAt < contact.at) open = undefined;
    if (open || !opensCase(contact, options.detractor)) continue;
    const resolves = random() < resolvedShare;
    let at = dayTimeAfter(random, contact.at, [2, 10], 9);
    while (days.has(dayOf(at))) at = new Date(at.getTime() + DAY_MS);
    open = {};
    if (!resolves || at > options.endAt) continue;
    days.add(dayOf(at));
    open.resolvedAt = at;
    const caseId = String(contact.attributes.complaintId ?? contact.interactionId);
    resolved.push({
      memberId: contact.memberId,
      at,
      kind: "complaint-resolved",
      interactionId: `res-${caseId}`,
      attributes: { complaintId: caseId },
    });
  }
  return resolved;
}

function toEvent(contact: Contact): ReplayEvent {
  const detail: InteractionRecorded = {
    schemaVersion: "1",
    interactionId: contact.interactionId,
    memberId: contact.memberId,
    kind: contact.kind,
    occurredAt: contact.at.toISOString(),
    channel: "web",
    ...contact.place,
    attributes: contact.attributes,
  };
  return {
    at: contact.at,
    entry: {
      Source: contact.kind === "survey-answered" ? SURVEY_SOURCE : DESK_SOURCE,
      DetailType: "Interaction Recorded",
      Detail: JSON.stringify(detail),
    },
  };
}

/** The surveys, complaints and resolutions that follow the purchases among `events`, in time order. */
export function satisfactionEvents(
  events: readonly ReplayEvent[],
  options: SatisfactionOptions,
): ReplayEvent[] {
  for (const [name, rate] of Object.entries({
    surveyRate: options.surveyRate,
    complaintRate: options.complaintRate,
    resolvedShare: options.resolvedShare,
  })) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1))
      throw new Error(`${name} must be from 0 to 1, got ${rate}`);
  }
  const random = seededRandom((options.seed ^ STREAM) >>> 0);
  const contacts: Contact[] = [];
  // Members in the order of their first purchase, so the desk's draws are deterministic too.
  for (const memberContactsOf of memberContacts(events, random, options).values()) {
    contacts.push(...memberContactsOf, ...resolutions(memberContactsOf, random, options));
  }
  return contacts.sort((a, b) => a.at.getTime() - b.at.getTime()).map(toEvent);
}

/** The events with their satisfaction contacts merged in, in time order (stable: ties keep their order). */
export function withSatisfaction(
  events: readonly ReplayEvent[],
  options: SatisfactionOptions,
): ReplayEvent[] {
  return [...events, ...satisfactionEvents(events, options)].sort((a, b) => a.at.getTime() - b.at.getTime());
}
