// The `expiresAt` attribute DynamoDB's TTL deletes items by: epoch seconds.

const DAY_SECONDS = 86_400;

/** The TTL value `days` whole days after the instant `iso`. */
export const expiresAfter = (iso: string, days: number): { N: string } => ({
  N: String(Math.floor(Date.parse(iso) / 1000) + days * DAY_SECONDS),
});
