/** Bad analytics input (a malformed log, a date outside the data, a bad option). The message names the field. */
export class AnalyticsInputError extends Error {
  override readonly name = "AnalyticsInputError";
}
