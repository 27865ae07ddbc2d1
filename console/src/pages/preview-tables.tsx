import type { components } from "../api/openapi";
import { formatMoney } from "../format";
import { formatCount } from "./review-format";

// The Preview page's tables: the draft's challenges over the sample, and what partner purchases earn and cost.

type Preview = components["schemas"]["PreviewProgramResponse"];

export function ChallengesSection({ challenges }: { challenges: Preview["challenges"] }) {
  if (challenges.length === 0) return null;
  return (
    <section aria-labelledby="challenges-heading" className="card">
      <h2 id="challenges-heading">Challenges</h2>
      <div className="table-scroll">
        <table aria-labelledby="challenges-heading">
          <thead>
            <tr>
              <th scope="col">Challenge</th>
              <th scope="col" className="number">
                In audience
              </th>
              <th scope="col" className="number">
                Taking part
              </th>
              <th scope="col" className="number">
                Completed
              </th>
              <th scope="col" className="number">
                Would complete
              </th>
            </tr>
          </thead>
          <tbody>
            {challenges.map((c) => (
              <tr key={c.challengeId}>
                <td>{c.challengeId}</td>
                <td className="number">{formatCount(c.inAudience)}</td>
                <td className="number">{formatCount(c.joined)}</td>
                <td className="number">{formatCount(c.completed)}</td>
                <td className="number">{formatCount(c.wouldComplete)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function PartnersSection(props: { partners: Preview["partners"]; currency: string | undefined }) {
  const { partners, currency } = props;
  if (partners.length === 0) return null;
  return (
    <section aria-labelledby="partners-heading" className="card">
      <h2 id="partners-heading">Partners</h2>
      <p>What the sample's purchases with each partner earn, and what the partner pays for those points.</p>
      <div className="table-scroll">
        <table>
          <caption>Partner purchases in the window, current program vs draft</caption>
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <th scope="col">Purchases</th>
              <th scope="col">Points now</th>
              <th scope="col">Points under the draft</th>
              <th scope="col">Partner pays now</th>
              <th scope="col">Partner pays under the draft</th>
            </tr>
          </thead>
          <tbody>
            {partners.map((p) => (
              <tr key={p.partnerId}>
                <td>{p.name}</td>
                <td>{formatCount(p.purchases)}</td>
                <td>{formatCount(p.points.current)}</td>
                <td>{formatCount(p.points.draft)}</td>
                <td>{formatMoney(p.partnerOwesMinor.current, currency)}</td>
                <td>{formatMoney(p.partnerOwesMinor.draft, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
