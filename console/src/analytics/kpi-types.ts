import type { components } from "../api/openapi";

/** The KPIs of a range of months as GET /kpis answers them. */
export type Kpis = components["schemas"]["GetKpisResponse"];
export type KpiMonth = Kpis["months"][number];

/** A month (YYYY-MM) `offset` months after `month` (before, when negative). */
export function addMonths(month: string, offset: number): string {
  const [year = 0, number = 1] = month.split("-").map(Number);
  const index = year * 12 + (number - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every key of a record across rows, in order of first appearance (stages, channels). */
export function keysOf(records: readonly Record<string, number>[]): string[] {
  return [...new Set(records.flatMap((record) => Object.keys(record)))];
}
