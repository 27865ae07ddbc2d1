import { formatDateTime, formatInteger, formatMoney, formatSigned } from "../format";
import type { Member360 } from "./member-view";

// The member's recent ledger (what changed their points, why, under which program rules, and the offer codes an
// order carried) and the retention e-mails sent, owed or dropped.

type Offers = NonNullable<Member360["recentLedger"][number]["offers"]>;

/** What each code on the order gave, or why it did not apply (support's "why didn't my code work?"). */
function OfferLines({ offers, currency }: { offers: Offers; currency: string | undefined }) {
  const gave = ({ discountMinor, points, reward }: Offers["redeemed"][number]) =>
    [
      ...(discountMinor > 0 ? [`${formatMoney(discountMinor, currency)} off`] : []),
      ...(points > 0 ? [`${formatInteger(points)} points`] : []),
      ...(reward ? [`${reward.copies > 1 ? `${reward.copies} × ` : ""}reward ${reward.rewardId}`] : []),
    ].join(", ") || "nothing";
  return (
    <ul className="offer-lines">
      {offers.redeemed.map((r) => (
        <li key={`used-${r.code}`}>
          Code {r.code} ({r.offerId}) used: {gave(r)}
        </li>
      ))}
      {offers.rejected.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a code presented twice on one order is rejected twice; the list never reorders
        <li key={`rejected-${r.code}-${i}`}>
          Code {r.code} not applied: {r.reason}
        </li>
      ))}
    </ul>
  );
}

export function LedgerTable({
  entries,
  currency,
}: {
  entries: Member360["recentLedger"];
  currency: string | undefined;
}) {
  return (
    <section aria-labelledby="ledger-heading">
      <h3 id="ledger-heading">Recent ledger</h3>
      {entries.length === 0 ? (
        <p>No ledger entries yet.</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="ledger-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col" className="number">
                  Points
                </th>
                <th scope="col" className="number">
                  Pending
                </th>
                <th scope="col" className="number">
                  Status
                </th>
                <th scope="col">Reason</th>
                <th scope="col">Rules</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.entryId}>
                  <td>{formatDateTime(entry.occurredAt)}</td>
                  <td>{entry.kind}</td>
                  <td className="number">{formatSigned(entry.points)}</td>
                  <td className="number">
                    {entry.pendingPoints === undefined ? "—" : formatSigned(entry.pendingPoints)}
                  </td>
                  <td className="number">{formatSigned(entry.statusPoints)}</td>
                  <td>
                    {entry.reason}
                    {entry.offers && <OfferLines offers={entry.offers} currency={currency} />}
                  </td>
                  <td>{entry.ruleIds.length === 0 ? "—" : entry.ruleIds.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function MessagesTable({ messages }: { messages: Member360["messages"] }) {
  return (
    <section aria-labelledby="messages-heading">
      <h3 id="messages-heading">Retention e-mails</h3>
      {messages.length === 0 ? (
        <p>No retention e-mails for this member.</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="messages-heading">
            <thead>
              <tr>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Claimed</th>
                <th scope="col">Sent</th>
                <th scope="col" className="number">
                  Attempts
                </th>
                <th scope="col">Offer</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={`${message.trigger}|${message.claimedAt}`}>
                  <td>{message.trigger}</td>
                  <td>{message.status}</td>
                  <td>{formatDateTime(message.claimedAt)}</td>
                  <td>{formatDateTime(message.sentAt)}</td>
                  <td className="number">{formatInteger(message.attempts)}</td>
                  <td>{message.offerId ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
