// Readers of the unmarshalled STATE map the analytics job scans: a field of the wrong type (an old or damaged
// item) reads as absent or 0 rather than failing the nightly run.

export type Loose = Record<string, unknown> | undefined;

export const record = (value: unknown): Loose =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;

export const num = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;

export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
