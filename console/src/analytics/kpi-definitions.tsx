// The API's one-line formula of each KPI a chart or figure shows, under it.

const NAMES: Readonly<Record<string, string>> = {
  acquisition: "New members",
  referrals: "Referred",
  purchasedWithin30Days: "Purchased within 30 days",
  cohortRetention: "Cohort retention",
  cohortDefection: "Cohort defection",
  activeMembers: "Active members",
  retentionRate: "Retention rate",
  lifecycleStages: "Lifecycle stages",
  customerEquity: "Customer equity",
  equityChange: "Equity change",
  top20Share: "Top-20% share",
  pointsIssued: "Points issued",
  liability: "Liability",
  breakageRate: "Breakage rate",
  redemptionRate: "Redemption rate",
  averageOrderValue: "Average order value",
  purchaseFrequency: "Purchase frequency",
  nps: "NPS",
  csat: "CSAT",
  surveyResponses: "Answers",
  satisfactionByGroup: "By tier and segment",
  complainerRetention: "Complainer retention",
};

export function KpiDefinitions({
  definitions,
  keys,
}: {
  definitions: Readonly<Record<string, string>>;
  keys: readonly string[];
}) {
  const shown = keys.filter((key) => definitions[key] !== undefined);
  if (shown.length === 0) return null;
  return (
    <dl className="kpi-definitions muted">
      {shown.map((key) => (
        <div key={key}>
          <dt>{NAMES[key] ?? key}</dt>
          <dd>{definitions[key]}</dd>
        </div>
      ))}
    </dl>
  );
}
