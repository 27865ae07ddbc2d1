// How long copies of personal data outside the table live. An erasure (POST /members/{id}/erasure) rewrites
// or deletes the member's items in the table at once; copies it cannot reach age out on their own:
// - the EventBridge archive keeps every event on the bus (Member Enrolled carries e-mail and name) for
//   `archiveDays`;
// - CloudWatch log groups (the functions' and the HTTP API's access log) keep `logDays`; Patron never logs
//   PII on purpose, but a log line is not erasable, so it is bounded too;
// - the DynamoDB stream keeps the items' old images 24 hours, point-in-time recovery 35 days, and link codes
//   (the redeeming user's name) expire 7 days after their 15 minutes of validity (+ up to 2 days of TTL lag).
// So erased PII is gone everywhere after max(archiveDays, logDays, 35) days: ERASURE_BOUND_DAYS.

/** The retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_CHOICES: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Point-in-time recovery keeps 35 days of table history, erased items included. */
export const POINT_IN_TIME_RECOVERY_DAYS = 35;

/** Numbers, or their text as `-c name=value` gives it; undefined for the environment's default. */
export interface DataRetentionInput {
  /** Days the EventBridge archive keeps events (1 to 3650). */
  readonly archiveDays?: number | string | undefined;
  /** Days CloudWatch keeps log lines: one of LOG_RETENTION_CHOICES. */
  readonly logDays?: number | string | undefined;
}

export interface DataRetention {
  readonly archiveDays: number;
  readonly logDays: number;
}

/** Defaults: 90 days of archive and logs in prod (replay after a fix, incident analysis), 14 elsewhere. */
export const defaultDataRetention = (production: boolean): DataRetention =>
  production ? { archiveDays: 90, logDays: 90 } : { archiveDays: 14, logDays: 14 };

function days(value: unknown, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const parsed = typeof value === "string" ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isInteger(parsed)) {
    throw new Error(`${name}: expected a whole number of days, got "${String(value)}"`);
  }
  return parsed;
}

/** The retention settings, checked: from stack props or `-c archiveRetentionDays=… -c logRetentionDays=…`. */
export function parseDataRetention(
  input: DataRetentionInput | undefined,
  production: boolean,
): DataRetention {
  const defaults = defaultDataRetention(production);
  const archiveDays = days(input?.archiveDays, "archiveRetentionDays") ?? defaults.archiveDays;
  const logDays = days(input?.logDays, "logRetentionDays") ?? defaults.logDays;
  if (archiveDays < 1 || archiveDays > 3650) {
    throw new Error(`archiveRetentionDays: expected 1 to 3650 days, got ${archiveDays}`);
  }
  if (!LOG_RETENTION_CHOICES.includes(logDays)) {
    throw new Error(
      `logRetentionDays: CloudWatch accepts ${LOG_RETENTION_CHOICES.join(", ")}; got ${logDays}`,
    );
  }
  return { archiveDays, logDays };
}

/** Days after an erasure by which no copy of the member's PII is left anywhere Patron keeps data. */
export const erasureBoundDays = (retention: DataRetention): number =>
  Math.max(retention.archiveDays, retention.logDays, POINT_IN_TIME_RECOVERY_DAYS);
