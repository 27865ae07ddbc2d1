import { formatInteger, formatMoney, formatNumber, formatShare } from "../format";
import { KpiDefinitions } from "./kpi-definitions";
import type { KpiMonth } from "./kpi-types";

// The latest month's programme economics as figures: points issued, redeemed, expired and outstanding, the
// liability in the programme's currency, breakage and redemption rates, customer equity, and order value and
// frequency per tier (the holdout group apart).

type Behaviour = KpiMonth["economics"]["byTier"][string];

function BehaviourRow({
  name,
  row,
  currency,
}: {
  name: string;
  row: Behaviour;
  currency: string | undefined;
}) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td className="number">{formatInteger(row.members)}</td>
      <td className="number">{formatMoney(row.averageOrderMinor, currency)}</td>
      <td className="number">{formatNumber(row.purchaseFrequency)}</td>
    </tr>
  );
}

export function EconomicsSection({
  latest,
  definitions,
  currency,
}: {
  latest: KpiMonth;
  definitions: Readonly<Record<string, string>>;
  currency: string | undefined;
}) {
  const { economics, equity } = latest;
  return (
    <section aria-labelledby="economics-heading">
      <h2 id="economics-heading">Programme economics, {latest.month}</h2>
      <div className="grid">
        <section className="card" aria-labelledby="points-heading">
          <h3 id="points-heading">Points</h3>
          <dl className="facts">
            <dt>Members</dt>
            <dd>{formatInteger(latest.members)}</dd>
            <dt>Points issued</dt>
            <dd>{formatInteger(economics.pointsIssued)}</dd>
            <dt>Points redeemed</dt>
            <dd>{formatInteger(economics.pointsRedeemed)}</dd>
            <dt>Points expired</dt>
            <dd>{formatInteger(economics.pointsExpired)}</dd>
            <dt>Outstanding points</dt>
            <dd>{formatInteger(economics.outstandingPoints)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="liability-heading">
          <h3 id="liability-heading">Liability and rates</h3>
          <dl className="facts">
            <dt>Liability</dt>
            <dd>{formatMoney(economics.liabilityMinor, currency)}</dd>
            <dt>Breakage rate</dt>
            <dd>{formatShare(economics.breakageRate)}</dd>
            <dt>Redemption rate</dt>
            <dd>{formatShare(economics.redemptionRate)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="equity-figures-heading">
          <h3 id="equity-figures-heading">Customer equity</h3>
          <dl className="facts">
            <dt>Total</dt>
            <dd>{formatMoney(equity.totalMinor, currency)}</dd>
            <dt>Change on last month</dt>
            <dd>
              {latest.equityChangeMinor === null
                ? "—"
                : `${latest.equityChangeMinor > 0 ? "+" : ""}${formatMoney(latest.equityChangeMinor, currency)}`}
            </dd>
            <dt>Top-20% share</dt>
            <dd>{formatShare(equity.top20Share)}</dd>
          </dl>
        </section>
      </div>
      <KpiDefinitions
        definitions={definitions}
        keys={["pointsIssued", "liability", "breakageRate", "redemptionRate", "equityChange", "top20Share"]}
      />
      <h3 id="tiers-heading">Orders by tier</h3>
      <div className="table-scroll">
        <table aria-labelledby="tiers-heading">
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col" className="number">
                Members
              </th>
              <th scope="col" className="number">
                Average order
              </th>
              <th scope="col" className="number">
                Purchases per member
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(economics.byTier).map(([tier, row]) => (
              <BehaviourRow key={tier} name={tier} row={row} currency={currency} />
            ))}
            {economics.holdout && (
              <BehaviourRow name="Holdout group" row={economics.holdout} currency={currency} />
            )}
          </tbody>
        </table>
      </div>
      <KpiDefinitions definitions={definitions} keys={["averageOrderValue", "purchaseFrequency"]} />
    </section>
  );
}
