import type { IsoDay } from "../../domain/time";
import type { DeliveryOutcome } from "./deliver";

/** What one run of the retention job did; returned by the handler and logged (counts only, no PII). */
export interface JobReport {
  days: IsoDay[];
  /** Due-index entries read (one per member filed under a day read). */
  indexEntriesRead: number;
  /** STATE items read by BatchGetItem. */
  statesRead: number;
  /** PROFILE items read (only members with a trigger due). */
  profilesRead: number;
  /** Index entries whose member was no longer due (bought since, or handled by another run). */
  stale: number;
  processed: number;
  conflicts: number;
  failed: number;
  lapsing: number;
  wonBack: number;
  expiryEntries: number;
  /** Withheld from the control group. */
  control: number;
  /** Triggers waiting for a later run (frequency cap, one per run). */
  deferred: number;
  /** Triggers dropped for good (no consent, suppressed, expired). */
  dropped: number;
  /** E-mails claimed for after the member's quiet hours. */
  scheduled: number;
  sent: number;
  /** Send attempts deferred (SES throttle or failure, quiet hours). */
  sendDeferred: number;
  sendDropped: number;
  /** Owed messages from earlier runs that this run attempted. */
  retried: number;
}

export function newReport(): JobReport {
  return {
    days: [],
    indexEntriesRead: 0,
    statesRead: 0,
    profilesRead: 0,
    stale: 0,
    processed: 0,
    conflicts: 0,
    failed: 0,
    lapsing: 0,
    wonBack: 0,
    expiryEntries: 0,
    control: 0,
    deferred: 0,
    dropped: 0,
    scheduled: 0,
    sent: 0,
    sendDeferred: 0,
    sendDropped: 0,
    retried: 0,
  };
}

export function count(report: JobReport, outcome: DeliveryOutcome): void {
  if (outcome === "sent") report.sent += 1;
  else if (outcome === "deferred") report.sendDeferred += 1;
  else report.sendDropped += 1;
}
