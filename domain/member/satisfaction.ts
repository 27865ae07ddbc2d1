// Satisfaction and service recovery: a survey's NPS/CSAT answers, and the service case a detractor or a complaint
// opens. The state keeps only the latest scores and the latest case (bounded); the free-text comment goes to the
// interaction's ledger entry, never into the state or a log.
import type { InteractionFacts } from "../facts";
import type { RetentionConfig } from "../retention/retention-config";
import type { MemberState } from "./member-state";

export const SURVEY_ANSWERED = "survey-answered";
export const COMPLAINT_OPENED = "complaint-opened";
export const COMPLAINT_RESOLVED = "complaint-resolved";
/** Longest comment kept (the inbound contract already refuses longer attribute strings). */
export const MAX_COMMENT_LENGTH = 256;

export type ServiceCaseReason = "nps-detractor" | "csat-detractor" | "complaint";

export interface ServiceCase {
  /** The producer's `complaintId` attribute when sent, else the opening interaction's id. */
  caseId: string;
  reason: ServiceCaseReason;
  openedAt: string;
  /** Set by the `complaint-resolved` interaction that closes it. */
  closedAt?: string;
}

/** A latest score, when it was given and where (the KPIs split NPS and CSAT by channel and store). */
export interface GivenScore {
  score: number;
  at: string;
  channel?: string;
  storeId?: string;
}

export interface SatisfactionState {
  nps?: GivenScore;
  csat?: GivenScore;
  /** The latest case; while it is open no other opens, so a member gets one apology per case. */
  serviceCase?: ServiceCase;
}

export interface SurveyAnswers {
  npsScore?: number;
  csatScore?: number;
  comment?: string;
}

/** What an interaction did to the member's satisfaction facts. */
export interface SatisfactionChange {
  /** Scores or case changed: the interaction needs a ledger entry even when it earns nothing. */
  changed: boolean;
  opened?: ServiceCase;
  closed?: ServiceCase;
  answers?: SurveyAnswers;
}

type Thresholds = Pick<
  RetentionConfig["triggers"]["serviceRecovery"],
  "detractorNpsAtMost" | "detractorCsatAtMost"
>;

const scoreIn = (value: unknown, min: number, max: number) =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : undefined;

/** The survey answers in an interaction's attributes; out-of-range or mistyped values are ignored. */
export function surveyAnswers(attributes: InteractionFacts["attributes"]): SurveyAnswers {
  const npsScore = scoreIn(attributes?.npsScore, 0, 10);
  const csatScore = scoreIn(attributes?.csatScore, 1, 5);
  const comment = attributes?.comment;
  return {
    ...(npsScore !== undefined && { npsScore }),
    ...(csatScore !== undefined && { csatScore }),
    ...(typeof comment === "string" &&
      comment.length > 0 && { comment: comment.slice(0, MAX_COMMENT_LENGTH) }),
  };
}

/** Why these answers make the member a detractor (NPS first), or undefined when they do not. */
export function detractorReason(
  answers: SurveyAnswers,
  thresholds: Thresholds,
): ServiceCaseReason | undefined {
  if (answers.npsScore !== undefined && answers.npsScore <= thresholds.detractorNpsAtMost)
    return "nps-detractor";
  if (answers.csatScore !== undefined && answers.csatScore <= thresholds.detractorCsatAtMost) {
    return "csat-detractor";
  }
  return undefined;
}

const placeOf = ({ channel, storeId }: InteractionFacts) => ({
  ...(channel && { channel }),
  ...(storeId && { storeId }),
});

export function openServiceCase(state: MemberState): ServiceCase | undefined {
  const c = state.satisfaction?.serviceCase;
  return c && c.closedAt === undefined ? c : undefined;
}

/**
 * Records a survey's scores (a late survey never replaces a newer score), opens a case for a detractor or a
 * complaint unless one is open, and closes the open case on its resolution. In place on the copied state.
 */
export function recordSatisfaction(
  state: MemberState,
  interaction: InteractionFacts,
  thresholds: Thresholds,
): SatisfactionChange {
  const at = interaction.occurredAt;
  const caseId = complaintIdOf(interaction);
  if (interaction.kind === COMPLAINT_RESOLVED) return closeCase(state, interaction);
  let reason: ServiceCaseReason | undefined;
  let answers: SurveyAnswers | undefined;
  if (interaction.kind === SURVEY_ANSWERED) {
    answers = surveyAnswers(interaction.attributes);
    const s = { ...state.satisfaction };
    const given = (score: number): GivenScore => ({ score, at, ...placeOf(interaction) });
    if (answers.npsScore !== undefined && !(s.nps && s.nps.at > at)) s.nps = given(answers.npsScore);
    if (answers.csatScore !== undefined && !(s.csat && s.csat.at > at)) s.csat = given(answers.csatScore);
    state.satisfaction = s;
    reason = detractorReason(answers, thresholds);
  } else if (interaction.kind === COMPLAINT_OPENED) {
    reason = "complaint";
  }
  // Every survey answer is kept in the member's history (its ledger entry), even one that changes no score.
  const changed = answers !== undefined;
  if (!reason || openServiceCase(state) || state.satisfaction?.serviceCase?.caseId === caseId) {
    return { changed, ...(answers && { answers }) };
  }
  const opened: ServiceCase = { caseId, reason, openedAt: at };
  state.satisfaction = { ...state.satisfaction, serviceCase: opened };
  return { changed: true, opened, ...(answers && { answers }) };
}

/** A resolution closes the open case when it names it (or names no complaint); otherwise nothing changes here. */
function closeCase(state: MemberState, interaction: InteractionFacts): SatisfactionChange {
  const open = openServiceCase(state);
  const named = interaction.attributes?.complaintId;
  if (!open || (typeof named === "string" && named !== open.caseId)) return { changed: false };
  const closedAt = interaction.occurredAt < open.openedAt ? open.openedAt : interaction.occurredAt;
  const closed = { ...open, closedAt };
  state.satisfaction = { ...state.satisfaction, serviceCase: closed };
  return { changed: true, closed };
}

/** The producer's complaint id when it sends one (attribute `complaintId`), else the interaction's own id. */
export function complaintIdOf(interaction: InteractionFacts): string {
  const id = interaction.attributes?.complaintId;
  return typeof id === "string" && id.length > 0 ? id : interaction.interactionId;
}
