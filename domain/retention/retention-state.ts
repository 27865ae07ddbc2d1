// What retention keeps per member, stored inside the member's single item as `state.retention`. Every field is
// bounded whatever the member's history: the rhythm is a running average, fired triggers keep one cycle key
// per trigger family, pending conversions and recent sends are capped lists.
import type { IsoDay } from "../time";
import type { MonthStartStages } from "./stage-months";
import type { TriggerFamily } from "./trigger-family";

export type LifecycleStage = "new" | "active" | "at-risk" | "lapsed" | "won-back" | "churned";

export interface PurchaseRhythm {
  /** Distinct UTC days with a purchase (several orders on one day are one visit). */
  purchaseDays: number;
  firstDay?: IsoDay;
  lastDay?: IsoDay;
  /** Exponentially weighted mean of the gaps between purchase days; absent before the second day. */
  meanGapDays?: number;
}

/** A sent (or, for the control group, withheld) trigger waiting for a purchase inside the conversion window. */
export interface PendingConversion {
  family: TriggerFamily;
  /** The exact trigger kind, e.g. "win-back-step-2". */
  kind: string;
  messageKey: string;
  triggeredOn: IsoDay;
  /** Last day a purchase still counts as a conversion. */
  until: IsoDay;
  /** True for a control-group member whose message was withheld. */
  control: boolean;
}

export interface RetentionState {
  enrolledOn: IsoDay;
  rhythm: PurchaseRhythm;
  stage: LifecycleStage;
  stageSince: IsoDay;
  /** The stage at the start of the latest change's month and the month before (stage-months.ts; stage flows). */
  monthStart?: MonthStartStages;
  /** Win-back steps already handled in the current lapse (0 outside a win-back journey). */
  winBackStepsDone: number;
  /** Per trigger family, the cycle key of the last handled trigger (e.g. the expiry day, the birthday year). */
  lastFired: Partial<Record<TriggerFamily, string>>;
  /** At most MAX_PENDING_CONVERSIONS entries, oldest dropped first. */
  pending: PendingConversion[];
  /** Instants of retention e-mails sent inside the frequency-cap window (at most the cap's maxMessages). */
  recentSends: string[];
  /** The due day the member is filed under (see due-buckets.ts); never later than the day they need a check. */
  dueOn: IsoDay;
  /**
   * Birthday as ISO month-day "--MM-DD", copied from the profile. It is the only personal datum in the state:
   * the birthday trigger needs the day every time it plans the member's due day, and the year is not needed.
   */
  birthday?: string;
  /** Latest complaint resolutions, at most MAX_RECENT_OCCASIONS (for the service-recovery trigger). */
  complaintsResolved?: { complaintId: string; resolvedOn: IsoDay }[];
  /** Latest milestones reached, at most MAX_RECENT_OCCASIONS (for the milestone trigger). */
  milestonesReached?: { milestoneId: string; reachedOn: IsoDay }[];
}

export const MAX_PENDING_CONVERSIONS = 8;
/** Resolved complaints and reached milestones kept per member (bounded state; the newest matter most). */
export const MAX_RECENT_OCCASIONS = 2;

/**
 * Retention state of a newly enrolled member. It is due on the enrolment day, so the write that enrols them
 * files them under their real next check (refileOnPurchase re-files any entry due today or earlier).
 */
export function newRetentionState(enrolledOn: IsoDay): RetentionState {
  return {
    enrolledOn,
    rhythm: { purchaseDays: 0 },
    stage: "new",
    stageSince: enrolledOn,
    winBackStepsDone: 0,
    lastFired: {},
    pending: [],
    recentSends: [],
    dueOn: enrolledOn,
  };
}
