import { useState } from "react";
import { unwrap } from "../api/client";
import type { components } from "../api/openapi";
import { useApi } from "../console-context";
import { formatDateTime, formatSigned } from "../format";
import { useResource } from "../use-resource";

// The member's adjustments over the program's approval threshold that wait for a second marketer
// (GET /adjustments), each with Approve and Reject. The API refuses the requester's own approval and says so;
// the message is shown as the API words it.

type PendingAdjustment = components["schemas"]["ListPendingAdjustmentsResponse"]["adjustments"][number];
type Decision = "approve" | "reject";

export function PendingAdjustments({
  memberId,
  changes,
  onDecided,
}: {
  memberId: string;
  /** Changes when the member changed (an adjustment was requested): the list is read again. */
  changes: number;
  onDecided: () => void;
}) {
  const api = useApi();
  const { resource, reload } = useResource(`${memberId}:${changes}`, async () =>
    unwrap(await api.GET("/adjustments")).adjustments.filter((a) => a.memberId === memberId),
  );
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const [busy, setBusy] = useState(false);

  const decide = async (adjustment: PendingAdjustment, decision: Decision) => {
    setBusy(true);
    setMessage(undefined);
    try {
      const params = { params: { path: { id: adjustment.adjustmentId } } };
      const result = unwrap(
        decision === "approve"
          ? await api.POST("/adjustments/{id}/approve", params)
          : await api.POST("/adjustments/{id}/reject", params),
      );
      setMessage({
        text:
          decision === "approve"
            ? `Approved: ${formatSigned(result.points)} points applied.`
            : `Rejected: the request for ${formatSigned(result.points)} points changes nothing.`,
        error: false,
      });
      reload();
      onDecided();
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : String(error), error: true });
    } finally {
      setBusy(false);
    }
  };

  if (resource.status === "failed")
    return <p role="alert">Could not load the adjustments awaiting approval: {resource.error.message}</p>;
  const pending = resource.status === "ready" ? resource.data : [];
  if (pending.length === 0 && !message) return null;
  return (
    <section className="card" aria-labelledby="pending-heading">
      <h3 id="pending-heading">Awaiting approval</h3>
      <p className="muted">
        Adjustments over the program's approval threshold change nothing until a marketer other than the one
        who asked approves them.
      </p>
      {pending.length > 0 && (
        <div className="table-scroll">
          <table aria-labelledby="pending-heading">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">By</th>
                <th scope="col" className="number">
                  Points
                </th>
                <th scope="col">Reason</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((adjustment) => {
                const what = `${formatSigned(adjustment.points)} points by ${adjustment.requestedBy}`;
                return (
                  <tr key={adjustment.adjustmentId}>
                    <td>{formatDateTime(adjustment.requestedAt)}</td>
                    <td>{adjustment.requestedBy}</td>
                    <td className="number">{formatSigned(adjustment.points)}</td>
                    <td>{adjustment.reason}</td>
                    <td className="decision">
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`Approve ${what}`}
                        onClick={() => void decide(adjustment, "approve")}
                      >
                        Approve
                      </button>{" "}
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`Reject ${what}`}
                        onClick={() => void decide(adjustment, "reject")}
                      >
                        Reject
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {message && (
        <p role={message.error ? "alert" : "status"} aria-live="polite">
          {message.text}
        </p>
      )}
    </section>
  );
}
