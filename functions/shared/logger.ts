import { Logger } from "@aws-lambda-powertools/logger";

/**
 * Structured JSON logs. Patron logs ids, codes and field paths only — never event details or
 * profiles, which may hold e-mail addresses, names or birthdays.
 */
export function createLogger(
  options: { logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT" } = {},
): Logger {
  return new Logger({ serviceName: "patron", ...(options.logLevel && { logLevel: options.logLevel }) });
}

export type { Logger };
