import { formatDateTime, formatInteger, formatSigned } from "../format";
import type { Member360 } from "./member-view";

// The member's recent ledger (what changed their points, why, and under which program rules) and the retention
// e-mails sent, owed or dropped.

export function LedgerTable({ entries }: { entries: Member360["recentLedger"] }) {
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
                  <td>{entry.reason}</td>
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
