import { type FormEvent, useState } from "react";
import { KpiChartSections } from "../analytics/kpi-chart-sections";
import { EconomicsSection } from "../analytics/kpi-economics-section";
import { SatisfactionSection } from "../analytics/kpi-satisfaction-section";
import { addMonths } from "../analytics/kpi-types";
import { ApiError, unwrap } from "../api/client";
import { ApiErrorAlert } from "../components/api-error-alert";
import { useApi } from "../console-context";
import { formatDateTime } from "../format";
import { useProgramCurrency } from "../use-program-currency";
import { useResource } from "../use-resource";
import "../figures.css";
import "../analytics/kpis.css";

// CRM KPIs (GET /kpis) for a range of months: the latest month's programme economics as figures, then
// acquisition, cohort retention, active members, customer equity, lifecycle stages and NPS/CSAT as charts. The nightly
// analytics job writes one snapshot per month.

interface Range {
  from: string;
  to: string;
}

/** The API's default: the current month (UTC) and the 23 before it. */
function defaultRange(): Range {
  const to = new Date().toISOString().slice(0, 7);
  return { from: addMonths(to, -23), to };
}

function RangeForm({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  const [draft, setDraft] = useState(range);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  return (
    <form className="kpi-range" onSubmit={submit} aria-label="Months">
      <div>
        <label htmlFor="kpi-from">From month</label>
        <input
          id="kpi-from"
          type="month"
          required
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor="kpi-to">To month</label>
        <input
          id="kpi-to"
          type="month"
          required
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
        />
      </div>
      <button type="submit">Show</button>
    </form>
  );
}

export function KpisPage() {
  const api = useApi();
  const currency = useProgramCurrency();
  const [range, setRange] = useState(defaultRange);
  const { resource } = useResource(`kpis ${range.from} ${range.to}`, async () =>
    unwrap(await api.GET("/kpis", { params: { query: range } })),
  );
  const latest = resource.status === "ready" ? resource.data.months.at(-1) : undefined;
  return (
    <>
      <h1>KPIs</h1>
      <RangeForm range={range} onChange={setRange} />
      {resource.status === "loading" && <p aria-live="polite">Loading the KPIs…</p>}
      {resource.status === "failed" &&
        (resource.error instanceof ApiError && resource.error.problem.status === 404 ? (
          <div className="notice">
            <p>
              No KPIs from {range.from} to {range.to}: analytics has not run in these months.
            </p>
            <p>
              The analytics job runs nightly at 01:00 UTC and stores each month's KPIs. On the local platform
              run it now with <code>npm run job -- analytics-job</code>; deployed, invoke the analytics job
              function.
            </p>
          </div>
        ) : (
          <ApiErrorAlert error={resource.error} />
        ))}
      {resource.status === "ready" && latest && (
        <>
          <p className="muted">
            {resource.data.from} to {resource.data.to}: {resource.data.months.length} month
            {resource.data.months.length === 1 ? "" : "s"} with KPIs; series from the analytics run of{" "}
            {formatDateTime(resource.data.series.asOf)}.
          </p>
          <EconomicsSection latest={latest} definitions={resource.data.definitions} currency={currency} />
          <KpiChartSections kpis={resource.data} currency={currency} />
          <SatisfactionSection kpis={resource.data} />
        </>
      )}
    </>
  );
}
