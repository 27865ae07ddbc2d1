import { useMemo } from "react";
import { unwrap } from "../api/client";
import type { components } from "../api/openapi";
import { Chart, type ChartOption } from "../components/chart";
import { useApi } from "../console-context";
import { formatInteger, formatMoney, formatNumber, formatShare } from "../format";
import { useResource } from "../use-resource";
import "../figures.css";

// Retention campaigns (GET /campaigns): per trigger, the e-mails sent and the purchases that followed, against
// the holdout control group whose e-mails were withheld — the lift is what the e-mails added, with its 95%
// interval so a small sample does not pass for a result.

type Report = components["schemas"]["GetCampaignReportResponse"];
type Trigger = Report["triggers"][number];

export function CampaignsPage() {
  const api = useApi();
  const { resource } = useResource("campaigns", async () => unwrap(await api.GET("/campaigns")));
  return (
    <>
      <h1>Campaigns</h1>
      {resource.status === "loading" && <p aria-live="polite">Loading the campaign report…</p>}
      {resource.status === "failed" && (
        <p role="alert">Could not load the campaign report: {resource.error.message}</p>
      )}
      {resource.status === "ready" && <CampaignReport report={resource.data} />}
    </>
  );
}

function CampaignReport({ report }: { report: Report }) {
  const option = useMemo(() => conversionChart(report.triggers), [report.triggers]);
  return (
    <>
      {report.triggers.length === 0 ? (
        <p className="notice">
          No retention e-mails have been sent yet: the retention job sends them as members become at risk or
          lapse.
        </p>
      ) : (
        <>
          <section aria-labelledby="conversion-heading">
            <h2 id="conversion-heading">Conversion rate: e-mailed vs control</h2>
            <Chart
              option={option}
              label="Bar chart of the conversion rate of e-mailed members and of the control group, per trigger"
            />
          </section>
          <TriggerTable triggers={report.triggers} />
          <IncentiveTable triggers={report.triggers} currency={report.currency} />
        </>
      )}
      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ul>
          {report.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </section>
    </>
  );
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

function conversionChart(triggers: readonly Trigger[]): ChartOption {
  return {
    tooltip: { trigger: "axis", valueFormatter: (value: unknown) => (value == null ? "—" : `${value}%`) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 72 },
    xAxis: {
      type: "category",
      data: triggers.map((t) => t.trigger),
      axisLabel: { interval: 0, rotate: triggers.length > 4 ? 30 : 0 },
    },
    yAxis: { type: "value", name: "Conversion %", axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "E-mailed", type: "bar", data: triggers.map((t) => percent(t.conversionRate)) },
      { name: "Control", type: "bar", data: triggers.map((t) => percent(t.controlConversionRate)) },
    ],
  };
}

const signed = new Intl.NumberFormat(undefined, {
  signDisplay: "exceptZero",
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** "+3.2 pp (95% CI −1.0 to +7.4)"; a dash where there is nothing to compare with yet. */
function lift(trigger: Trigger): string {
  if (trigger.liftPoints === null) return "—";
  const interval = trigger.liftInterval
    ? ` (95% CI ${signed.format(trigger.liftInterval.low)} to ${signed.format(trigger.liftInterval.high)})`
    : "";
  return `${signed.format(trigger.liftPoints)} pp${interval}`;
}

function TriggerTable({ triggers }: { triggers: readonly Trigger[] }) {
  return (
    <section aria-labelledby="triggers-heading">
      <h2 id="triggers-heading">Per trigger</h2>
      <div className="table-scroll">
        <table aria-labelledby="triggers-heading">
          <thead>
            <tr>
              <th scope="col">Trigger</th>
              <th scope="col">Sent</th>
              <th scope="col">Converted</th>
              <th scope="col">Conversion rate</th>
              <th scope="col">Control size</th>
              <th scope="col">Control converted</th>
              <th scope="col">Control conversion</th>
              <th scope="col">Lift</th>
              <th scope="col">Incremental conversions</th>
            </tr>
          </thead>
          <tbody>
            {triggers.map((t) => (
              <tr key={t.trigger}>
                <th scope="row">{t.trigger}</th>
                <td>{formatInteger(t.sent)}</td>
                <td>{formatInteger(t.converted)}</td>
                <td>{formatShare(t.conversionRate)}</td>
                <td>{formatInteger(t.controlSize)}</td>
                <td>{formatInteger(t.controlConverted)}</td>
                <td>{formatShare(t.controlConversionRate)}</td>
                <td>{lift(t)}</td>
                <td>{t.incrementalConversions === null ? "—" : formatNumber(t.incrementalConversions, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const money = (minor: number | null, currency: string) =>
  minor === null ? "—" : formatMoney(minor, currency);

/** The offers' side of the evaluation: codes used, what they cost, and what the e-mails brought back for it. */
function IncentiveTable({ triggers, currency }: { triggers: readonly Trigger[]; currency: string }) {
  return (
    <section aria-labelledby="incentives-heading">
      <h2 id="incentives-heading">Offers: redemptions and return on incentives</h2>
      <div className="table-scroll">
        <table aria-labelledby="incentives-heading">
          <thead>
            <tr>
              <th scope="col">Trigger</th>
              <th scope="col">Codes redeemed</th>
              <th scope="col">Redemption rate</th>
              <th scope="col">Incentive cost</th>
              <th scope="col">Incremental revenue</th>
              <th scope="col">Incremental margin</th>
              <th scope="col">Margin per unit of incentive</th>
            </tr>
          </thead>
          <tbody>
            {triggers.map((t) => (
              <tr key={t.trigger}>
                <th scope="row">{t.trigger}</th>
                <td>{formatInteger(t.redeemed)}</td>
                <td>{formatShare(t.redemptionRate)}</td>
                <td>{money(t.incentiveCostMinor, currency)}</td>
                <td>{money(t.incrementalRevenueMinor, currency)}</td>
                <td>{money(t.incrementalMarginMinor, currency)}</td>
                <td>{t.marginPerIncentive === null ? "—" : formatNumber(t.marginPerIncentive, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
