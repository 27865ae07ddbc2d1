// Satisfaction KPIs per month (NPS, CSAT and their response counts, by tier, RFM segment, channel and store) and the
// subsequent retention of recovered vs unrecovered complainers, from the bounded satisfaction facts a member
// keeps (domain/member/satisfaction.ts): the latest NPS answer, the latest CSAT answer and the latest service
// case. A member therefore counts once per score, in the month of their latest answer as of the run; an
// earlier answer they replaced no longer counts anywhere. Pure; one-line formulas: README "KPIs".
import { type IsoMonth, monthOf, utcDay } from "../time";

export interface SurveyScore {
  score: number;
  /** When the member answered (ISO date-time; its UTC month is the month it counts in). */
  at: string;
  /** Where the survey was answered, when the producer said (Interaction Recorded `channel`, `storeId`). */
  channel?: string;
  storeId?: string;
}

export interface SatisfactionMember {
  tierId: string;
  /** RFM segment from the last scoring; "unscored" when the member has none. */
  segment: string;
  nps?: SurveyScore;
  csat?: SurveyScore;
  /** The member's latest service case (a detractor's answer or a complaint opened it). */
  serviceCase?: { openedAt: string; closedAt?: string };
  lastPurchaseAt?: string;
}

export interface NpsFigures {
  responses: number;
  /** Answers of 9–10. */
  promoters: number;
  /** Answers of 7–8. */
  passives: number;
  /** Answers of 0–6. */
  detractors: number;
  /** 100 × (promoters − detractors) ÷ responses, −100 to 100; null without responses. */
  score: number | null;
}

export interface CsatFigures {
  responses: number;
  /** Answers of 4–5. */
  satisfied: number;
  /** satisfied ÷ responses, 0 to 1; null without responses. */
  score: number | null;
}

export interface SatisfactionFigures {
  nps: NpsFigures;
  csat: CsatFigures;
}

export interface SatisfactionMonth extends SatisfactionFigures {
  month: IsoMonth;
  /** Only the tiers (segments, channels, stores) with an answer in the month. */
  byTier: Record<string, SatisfactionFigures>;
  bySegment: Record<string, SatisfactionFigures>;
  /** Answers given without a channel (or store) count under UNATTRIBUTED. */
  byChannel: Record<string, SatisfactionFigures>;
  /** The MAX_STORES_PER_MONTH stores with the most answers; the rest are summed under OTHER_STORES. */
  byStore: Record<string, SatisfactionFigures>;
}

export const PROMOTER_AT_LEAST = 9;
export const DETRACTOR_AT_MOST = 6;
export const SATISFIED_CSAT_AT_LEAST = 4;
/** Keeps a month's row (one KPI snapshot item holds 24 of them) bounded however many stores a retailer has. */
export const MAX_STORES_PER_MONTH = 50;
// In parentheses: no store id can be either (ids are letters, digits, "_" and "-"), so a store called "other"
// keeps its own row.
export const UNATTRIBUTED = "(unattributed)";
export const OTHER_STORES = "(other)";

const emptyFigures = (): SatisfactionFigures => ({
  nps: { responses: 0, promoters: 0, passives: 0, detractors: 0, score: null },
  csat: { responses: 0, satisfied: 0, score: null },
});

function countNps(into: NpsFigures, score: number): void {
  into.responses++;
  if (score >= PROMOTER_AT_LEAST) into.promoters++;
  else if (score <= DETRACTOR_AT_MOST) into.detractors++;
  else into.passives++;
}

function countCsat(into: CsatFigures, score: number): void {
  into.responses++;
  if (score >= SATISFIED_CSAT_AT_LEAST) into.satisfied++;
}

function withScores({ nps, csat }: SatisfactionFigures): SatisfactionFigures {
  return {
    nps: {
      ...nps,
      score: nps.responses > 0 ? (100 * (nps.promoters - nps.detractors)) / nps.responses : null,
    },
    csat: { ...csat, score: csat.responses > 0 ? csat.satisfied / csat.responses : null },
  };
}

// A Map, not an object: store ids come from producers, and "constructor" or "__proto__" would find Object's own.
type Groups = Map<string, SatisfactionFigures>;
interface MonthCounts {
  all: SatisfactionFigures;
  byTier: Groups;
  bySegment: Groups;
  byChannel: Groups;
  byStore: Groups;
}

const emptyCounts = (): MonthCounts => ({
  all: emptyFigures(),
  byTier: new Map(),
  bySegment: new Map(),
  byChannel: new Map(),
  byStore: new Map(),
});

function groupOf(groups: Groups, key: string): SatisfactionFigures {
  const figures = groups.get(key) ?? emptyFigures();
  groups.set(key, figures);
  return figures;
}

const scored = (groups: Groups): Record<string, SatisfactionFigures> =>
  Object.fromEntries([...groups].map(([key, figures]) => [key, withScores(figures)]));

const answers = ({ nps, csat }: SatisfactionFigures) => nps.responses + csat.responses;

function addInto(into: SatisfactionFigures, from: SatisfactionFigures): void {
  into.nps.responses += from.nps.responses;
  into.nps.promoters += from.nps.promoters;
  into.nps.passives += from.nps.passives;
  into.nps.detractors += from.nps.detractors;
  into.csat.responses += from.csat.responses;
  into.csat.satisfied += from.csat.satisfied;
}

/** The stores with the most answers (ties by id), the rest summed under OTHER_STORES. */
function topStores(stores: Groups): Groups {
  const ranked = [...stores].sort(
    ([a, x], [b, y]) => answers(y) - answers(x) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const kept: Groups = new Map(ranked.slice(0, MAX_STORES_PER_MONTH));
  const rest = ranked.slice(MAX_STORES_PER_MONTH);
  if (rest.length > 0) {
    const other = groupOf(kept, OTHER_STORES);
    for (const [, figures] of rest) addInto(other, figures);
  }
  return kept;
}

/** NPS and CSAT of each month in `months`, counting each member's latest answer in the month it was given. */
export function satisfactionByMonth(
  members: readonly SatisfactionMember[],
  months: readonly IsoMonth[],
): SatisfactionMonth[] {
  const rows = new Map<string, MonthCounts>(months.map((month) => [month, emptyCounts()]));
  /** The figures an answer counts in: the month's, its tier's, segment's, channel's and store's. */
  const countedIn = (answer: SurveyScore, member: SatisfactionMember): SatisfactionFigures[] => {
    const row = rows.get(monthOf(utcDay(answer.at)));
    if (!row) return [];
    return [
      row.all,
      groupOf(row.byTier, member.tierId),
      groupOf(row.bySegment, member.segment),
      groupOf(row.byChannel, answer.channel ?? UNATTRIBUTED),
      groupOf(row.byStore, answer.storeId ?? UNATTRIBUTED),
    ];
  };
  for (const member of members) {
    const { nps, csat } = member;
    if (nps) for (const figures of countedIn(nps, member)) countNps(figures.nps, nps.score);
    if (csat) for (const figures of countedIn(csat, member)) countCsat(figures.csat, csat.score);
  }
  return months.map((month) => {
    const row = rows.get(month) ?? emptyCounts();
    return {
      month,
      ...withScores(row.all),
      byTier: scored(row.byTier),
      bySegment: scored(row.bySegment),
      byChannel: scored(row.byChannel),
      byStore: scored(topStores(row.byStore)),
    };
  });
}

export interface ComplainerGroup {
  /** Members whose latest service case is in this group. */
  complainers: number;
  /** Of them, those with a purchase after their case opened. */
  purchasedAfter: number;
  /** purchasedAfter ÷ complainers (0 with no complainers). */
  retentionRate: number;
}

export interface ServiceRecovery {
  /** Latest case closed by a resolution. */
  recovered: ComplainerGroup;
  /** Latest case still open. */
  unrecovered: ComplainerGroup;
}

/** Recovered vs unrecovered complainers at the run, by their latest service case, and who bought since. */
export function serviceRecovery(members: readonly SatisfactionMember[]): ServiceRecovery {
  const recovered = { complainers: 0, purchasedAfter: 0 };
  const unrecovered = { complainers: 0, purchasedAfter: 0 };
  for (const { serviceCase, lastPurchaseAt } of members) {
    if (!serviceCase) continue;
    const group = serviceCase.closedAt === undefined ? unrecovered : recovered;
    group.complainers++;
    if (lastPurchaseAt !== undefined && lastPurchaseAt > serviceCase.openedAt) group.purchasedAfter++;
  }
  const rate = (g: typeof recovered): ComplainerGroup => ({
    ...g,
    retentionRate: g.complainers > 0 ? g.purchasedAfter / g.complainers : 0,
  });
  return { recovered: rate(recovered), unrecovered: rate(unrecovered) };
}
