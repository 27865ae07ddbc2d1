import * as z from "zod";
import { monthFromNumber, monthNumber } from "../../domain/member/activity-months";
import { monthOf, utcDay } from "../../domain/time";
import { KPI_DEFINITIONS, type KpiSnapshot, kpiSnapshotSchema } from "../analytics/kpi-snapshot";
import { orNotFound, ValidationError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { defineRoute, type Route } from "./route";

// GET /kpis: the monthly KPI snapshots the nightly analytics job stored (functions/analytics/kpi-snapshot.ts)
// for a range of months, read with one Query, with each KPI's definition.

const MAX_MONTHS = 24;
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "must be a month, YYYY-MM" })
  .describe("Month, YYYY-MM");

const kpiQuerySchema = z.object({
  from: month.optional().describe("First month (default: 23 months before `to`)"),
  to: month.optional().describe("Last month (default: the current month)"),
});

const snapshot = kpiSnapshotSchema.shape;
const kpiResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  definitions: z.record(z.string(), z.string()).describe("Each KPI's formula in one line"),
  series: z
    .object({
      asOf: snapshot.asOf,
      acquisition: snapshot.acquisition,
      cohorts: snapshot.cohorts,
      active: snapshot.active,
      satisfaction: snapshot.satisfaction
        .unwrap()
        .describe(
          "NPS and CSAT per month: a month with its own snapshot keeps that snapshot's figures (its last nightly run), the others come from the newest snapshot",
        ),
    })
    .describe("The 24-month series of the newest snapshot in the range, cut to the range"),
  months: z
    .array(
      z.object({
        month: snapshot.month,
        asOf: snapshot.asOf,
        members: snapshot.members,
        lifecycle: snapshot.lifecycle,
        equity: snapshot.equity,
        equityChangeMinor: z
          .number()
          .nullable()
          .describe("Equity minus the previous month's (null when that month has no snapshot)"),
        economics: snapshot.economics,
        serviceRecovery: snapshot.serviceRecovery
          .unwrap()
          .nullable()
          .describe("Recovered vs unrecovered complainers at the run (null in snapshots stored before it)"),
      }),
    )
    .describe("One entry per month with a snapshot, oldest first"),
});

function range(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const to = query.to ?? monthOf(utcDay(now));
  const from = query.from ?? monthFromNumber(monthNumber(to) - MAX_MONTHS + 1);
  const span = monthNumber(to) - monthNumber(from) + 1;
  if (span < 1 || span > MAX_MONTHS) {
    throw new ValidationError([
      { path: "query.from", message: `must be on or before \`to\`, at most ${MAX_MONTHS} months before it` },
    ]);
  }
  return { from, to };
}

/**
 * The newest snapshot's satisfaction series, where each month that has its own snapshot takes that one's row:
 * it counted the month's answers before later answers replaced them (the state keeps only the latest).
 */
function satisfactionSeries(
  snapshots: readonly KpiSnapshot[],
  newest: KpiSnapshot,
  inRange: <T extends { month: string }>(rows: readonly T[]) => T[],
) {
  const own = new Map(snapshots.map((s) => [s.month, s.satisfaction?.find((row) => row.month === s.month)]));
  return inRange(newest.satisfaction ?? []).map((row) => own.get(row.month) ?? row);
}

export function kpiRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/kpis",
      operationId: "getKpis",
      summary:
        "Monthly CRM KPIs (acquisition, cohort retention, stages, equity, economics, NPS and CSAT) with definitions",
      access: "marketer",
      rules: `\`from\` must be on or before \`to\`, at most ${MAX_MONTHS} months before it (400 otherwise).`,
      query: kpiQuerySchema,
      response: {
        status: 200,
        description: "The KPIs of the months in the range",
        schema: kpiResponseSchema,
      },
      problems: [404],
      handle: async ({ query, now }) => {
        const { from, to } = range(query, now);
        const snapshots = await deps.analytics.listKpis(from, to);
        const newest = orNotFound(
          snapshots.at(-1),
          `No KPI snapshot from ${from} to ${to}; the analytics job runs nightly`,
        );
        const inRange = <T extends { month: string }>(rows: readonly T[]) =>
          rows.filter((row) => row.month >= from && row.month <= to);
        return {
          from,
          to,
          definitions: KPI_DEFINITIONS,
          series: {
            asOf: newest.asOf,
            acquisition: inRange(newest.acquisition),
            cohorts: newest.cohorts
              .filter((row) => row.cohort >= from && row.cohort <= to)
              .map((row) => {
                const cells = monthNumber(to) - monthNumber(row.cohort) + 1;
                return {
                  ...row,
                  retention: row.retention.slice(0, cells),
                  defection: row.defection.slice(0, cells),
                };
              }),
            active: inRange(newest.active),
            satisfaction: satisfactionSeries(snapshots, newest, inRange),
          },
          months: snapshots.map((s) => {
            const previous = snapshots.find((p) => monthNumber(p.month) === monthNumber(s.month) - 1);
            return {
              month: s.month,
              asOf: s.asOf,
              members: s.members,
              lifecycle: s.lifecycle,
              equity: s.equity,
              equityChangeMinor: previous ? s.equity.totalMinor - previous.equity.totalMinor : null,
              economics: s.economics,
              serviceRecovery: s.serviceRecovery ?? null,
            };
          }),
        };
      },
    }),
  ];
}
