// Program instants are ISO 8601 with an offset; datetime-local inputs hold the browser's local wall time.

const pad = (n: number) => String(n).padStart(2, "0");

/** "2025-06-06T00:00:00+02:00" → "2025-06-06T00:00" in the browser's time zone ("" when unreadable). */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value → an ISO instant in UTC; undefined when empty or incomplete. */
export function fromLocalInput(local: string): string | undefined {
  if (local === "") return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Human-readable instant in the browser's locale and time zone. */
export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}
