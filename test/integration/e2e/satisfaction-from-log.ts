import { UNATTRIBUTED } from "../../../domain/analytics/kpi-satisfaction";
import type { ReplayEvent } from "../../../scripts/replay/replay-events";

// What a replayed log should leave behind for satisfaction, computed from the log alone, as the issue states
// the rules (not with the domain's code): a detractor answer (NPS ≤ npsAtMost or CSAT ≤ csatAtMost) or a
// complaint opens a service case unless the member has one open; a resolution naming the open case (or naming
// none) closes it. NPS and CSAT per month count each member's latest answer as of the month's end, in the month
// it was given; complainers are grouped by their latest case, with a purchase after it opened or not.

export interface ExpectedCase {
  caseId: string;
  reason: "nps-detractor" | "csat-detractor" | "complaint";
  openedAt: string;
  closedAt?: string;
}

/** An answer, when and where it was given (UNATTRIBUTED without a channel or store). */
export interface LogAnswer {
  score: number;
  at: string;
  channel: string;
  storeId: string;
}

export interface LogMember {
  emailConsent: boolean;
  purchases: string[];
  cases: ExpectedCase[];
  nps: LogAnswer[];
  csat: LogAnswer[];
}

interface Interaction {
  interactionId: string;
  memberId: string;
  kind: string;
  occurredAt: string;
  channel?: string;
  storeId?: string;
  attributes?: Record<string, string | number | boolean>;
}

const num = (value: unknown) => (typeof value === "number" ? value : undefined);

function member(members: Map<string, LogMember>, memberId: string): LogMember {
  const found = members.get(memberId) ?? { emailConsent: false, purchases: [], cases: [], nps: [], csat: [] };
  members.set(memberId, found);
  return found;
}

function applyInteraction(
  m: LogMember,
  i: Interaction,
  thresholds: { npsAtMost: number; csatAtMost: number },
) {
  const open = m.cases.at(-1)?.closedAt === undefined ? m.cases.at(-1) : undefined;
  const named = i.attributes?.complaintId;
  if (i.kind === "complaint-resolved") {
    if (open && (named === undefined || named === open.caseId)) open.closedAt = i.occurredAt;
    return;
  }
  const nps = num(i.attributes?.npsScore);
  const csat = num(i.attributes?.csatScore);
  if (i.kind === "survey-answered") {
    const where = { channel: i.channel ?? UNATTRIBUTED, storeId: i.storeId ?? UNATTRIBUTED };
    if (nps !== undefined) m.nps.push({ score: nps, at: i.occurredAt, ...where });
    if (csat !== undefined) m.csat.push({ score: csat, at: i.occurredAt, ...where });
  }
  const reason =
    i.kind === "complaint-opened"
      ? "complaint"
      : nps !== undefined && nps <= thresholds.npsAtMost
        ? "nps-detractor"
        : csat !== undefined && csat <= thresholds.csatAtMost
          ? "csat-detractor"
          : undefined;
  if (!reason || open) return;
  m.cases.push({
    caseId: typeof named === "string" ? named : i.interactionId,
    reason,
    openedAt: i.occurredAt,
  });
}

/** Every member of a time-ordered log: consent, purchase times, service cases and survey answers. */
export function membersFromLog(
  events: readonly ReplayEvent[],
  thresholds: { npsAtMost: number; csatAtMost: number },
): Map<string, LogMember> {
  const members = new Map<string, LogMember>();
  for (const { entry } of events) {
    const detail = JSON.parse(entry.Detail ?? "{}");
    const m = member(members, detail.memberId);
    if (entry.DetailType === "Member Enrolled") m.emailConsent = detail.consent.email === true;
    else if (entry.DetailType === "Purchase Completed") m.purchases.push(detail.occurredAt);
    else if (entry.DetailType === "Interaction Recorded")
      applyInteraction(m, detail as Interaction, thresholds);
  }
  return members;
}

/**
 * NPS and CSAT of month `month` (YYYY-MM): each member's latest answer by the month's end, if given in it (and,
 * with `where`, only the answers it accepts: a channel's or a store's).
 */
export function satisfactionOfMonth(
  members: Iterable<LogMember>,
  month: string,
  where: (answer: LogAnswer) => boolean = () => true,
) {
  const nps = { responses: 0, promoters: 0, passives: 0, detractors: 0 };
  const csat = { responses: 0, satisfied: 0 };
  const latestBy = (answers: LogAnswer[]) => {
    const latest = answers.filter((a) => a.at.slice(0, 7) <= month).at(-1);
    return latest && where(latest) ? latest : undefined;
  };
  for (const m of members) {
    const n = latestBy(m.nps);
    if (n && n.at.slice(0, 7) === month) {
      nps.responses++;
      if (n.score >= 9) nps.promoters++;
      else if (n.score <= 6) nps.detractors++;
      else nps.passives++;
    }
    const c = latestBy(m.csat);
    if (c && c.at.slice(0, 7) === month) {
      csat.responses++;
      if (c.score >= 4) csat.satisfied++;
    }
  }
  return {
    nps: {
      ...nps,
      score: nps.responses > 0 ? (100 * (nps.promoters - nps.detractors)) / nps.responses : null,
    },
    csat: { ...csat, score: csat.responses > 0 ? csat.satisfied / csat.responses : null },
  };
}

/** Recovered (latest case closed) vs unrecovered complainers, and who of each bought after the case opened. */
export function complainerRetention(members: Iterable<LogMember>) {
  const groups = {
    recovered: { complainers: 0, purchasedAfter: 0 },
    unrecovered: { complainers: 0, purchasedAfter: 0 },
  };
  for (const m of members) {
    const latest = m.cases.at(-1);
    if (!latest) continue;
    const group = latest.closedAt === undefined ? groups.unrecovered : groups.recovered;
    group.complainers++;
    if (m.purchases.some((at) => at > latest.openedAt)) group.purchasedAfter++;
  }
  const rate = (g: { complainers: number; purchasedAfter: number }) => ({
    ...g,
    retentionRate: g.complainers > 0 ? g.purchasedAfter / g.complainers : 0,
  });
  return { recovered: rate(groups.recovered), unrecovered: rate(groups.unrecovered) };
}
