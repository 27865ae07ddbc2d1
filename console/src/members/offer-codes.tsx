import { unwrap } from "../api/client";
import { useApi } from "../console-context";
import { formatDateTime, formatDay, formatMoney } from "../format";
import { useResource } from "../use-resource";

// The member's offer codes (GET /members/{id}/offers): what each gives, until when, and whether it was used and
// on which order, so support can answer "why didn't my code work?".

const giving = (offer: { kind: string; value: number; rewardId?: string }, currency: string | undefined) => {
  if (offer.kind === "percent-off") return `${offer.value}% off`;
  if (offer.kind === "amount-off") return `${formatMoney(offer.value, currency)} off`;
  if (offer.kind === "reward")
    return `${offer.value > 1 ? `${offer.value} × ` : ""}reward ${offer.rewardId ?? ""}`;
  return `${offer.value} bonus points`;
};

const terms = (
  offer: { kind: string; value: number; rewardId?: string; minSpendMinor: number },
  currency: string | undefined,
) => {
  const gives = giving(offer, currency);
  return offer.minSpendMinor > 0 ? `${gives} from ${formatMoney(offer.minSpendMinor, currency)}` : gives;
};

export function OfferCodes(props: { memberId: string; changes: number; currency: string | undefined }) {
  const { memberId, changes, currency } = props;
  const api = useApi();
  const { resource } = useResource(`${memberId}#offers#${changes}`, async () =>
    unwrap(await api.GET("/members/{id}/offers", { params: { path: { id: memberId } } })),
  );
  return (
    <section aria-labelledby="offers-heading">
      <h3 id="offers-heading">Offer codes</h3>
      {resource.status === "loading" && <p aria-live="polite">Loading offer codes…</p>}
      {resource.status === "failed" && (
        <p role="alert">Could not load offer codes: {resource.error.message}</p>
      )}
      {resource.status === "ready" && resource.data.offers.length === 0 && (
        <p>No offer codes sent to this member.</p>
      )}
      {resource.status === "ready" && resource.data.offers.length > 0 && (
        <div className="table-scroll">
          <table aria-labelledby="offers-heading">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Offer</th>
                <th scope="col">Sent</th>
                <th scope="col">Valid until</th>
                <th scope="col">Status</th>
                <th scope="col">Used on</th>
              </tr>
            </thead>
            <tbody>
              {resource.data.offers.map((offer) => (
                <tr key={offer.code}>
                  <th scope="row">{offer.code}</th>
                  <td>
                    {offer.offerId}: {terms(offer, currency)}
                  </td>
                  <td>
                    {formatDateTime(offer.issuedAt)} ({offer.trigger})
                  </td>
                  <td>{formatDay(offer.validUntil)}</td>
                  <td>{offer.status}</td>
                  <td>
                    {offer.redemption
                      ? `order ${offer.redemption.orderId}, ${formatDateTime(offer.redemption.redeemedAt)}`
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
