import { useRef, useState } from "react";
import { ApiError, unwrap } from "../api/client";
import { useApi } from "../console-context";
import { formatInteger, formatSigned } from "../format";

// A manual points adjustment (POST /members/{id}/adjustments). The API does the validating: its field errors
// are shown next to the fields they name. Each submission carries an Idempotency-Key; trying the same
// submission again after a failure that may have left it applied (network, 5xx) reuses the key, so the points
// are changed once however often the marketer clicks. An adjustment over the program's approval threshold
// waits for a second marketer (the API answers 202 with the pending request).

type Field = "points" | "reason";
type Errors = Partial<Record<Field | "form", string>>;

/** The form field a problem's error path names (`points`, `body.points`, …). */
function fieldOf(path: string): Field | undefined {
  const last = path.split(".").at(-1);
  return last === "points" || last === "reason" ? last : undefined;
}

function errorsOf(error: unknown): Errors {
  if (!(error instanceof ApiError)) return { form: error instanceof Error ? error.message : String(error) };
  const errors: Errors = {};
  for (const item of error.problem.errors ?? []) {
    const field = fieldOf(item.path) ?? "form";
    errors[field] = errors[field] ? `${errors[field]}; ${item.message}` : item.message;
  }
  if (Object.keys(errors).length === 0) errors.form = error.message;
  return errors;
}

/** Whether the request may have been applied, so a retry must reuse its key. */
const mayHaveApplied = (error: unknown) => !(error instanceof ApiError) || error.problem.status >= 500;

export function AdjustmentForm({ memberId, onApplied }: { memberId: string; onApplied: () => void }) {
  const api = useApi();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState<string | undefined>();
  const pending = useRef<{ key: string; body: string } | undefined>(undefined);

  const submit = async () => {
    // Empty or not a number goes to the API as null, and the API says what points must be.
    const body = { points: points.trim() === "" ? Number.NaN : Number(points), reason };
    const text = JSON.stringify(body);
    if (pending.current?.body !== text) pending.current = { key: crypto.randomUUID(), body: text };
    const key = pending.current.key;
    setBusy(true);
    setErrors({});
    setApplied(undefined);
    try {
      const result = unwrap(
        await api.POST("/members/{id}/adjustments", {
          params: { path: { id: memberId }, header: { "idempotency-key": key } },
          body,
        }),
      );
      pending.current = undefined;
      setPoints("");
      setReason("");
      // Over the program's approval threshold the API stores the request and a second marketer applies it.
      setApplied(
        "spendable" in result
          ? `Applied ${formatSigned(result.points)} points; spendable balance now ${formatInteger(result.spendable)}.`
          : `${formatSigned(result.points)} points are over the approval threshold: sent for approval by another marketer (adjustment ${result.adjustmentId}).`,
      );
      onApplied();
    } catch (error) {
      if (!mayHaveApplied(error)) pending.current = undefined;
      setErrors(errorsOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="adjust-heading">
      <h3 id="adjust-heading">Manual adjustment</h3>
      <form
        className="adjustment-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="fields">
          <div>
            <label htmlFor="adjust-points">Points (negative to deduct)</label>
            <input
              id="adjust-points"
              type="number"
              step={1}
              inputMode="numeric"
              value={points}
              onChange={(event) => setPoints(event.target.value)}
              aria-invalid={errors.points ? true : undefined}
              aria-describedby={errors.points ? "adjust-points-error" : undefined}
            />
            {errors.points && (
              <p id="adjust-points-error" className="field-error">
                {errors.points}
              </p>
            )}
          </div>
          <div className="reason">
            <label htmlFor="adjust-reason">Reason</label>
            <input
              id="adjust-reason"
              value={reason}
              maxLength={300}
              onChange={(event) => setReason(event.target.value)}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "adjust-reason-error" : undefined}
            />
            {errors.reason && (
              <p id="adjust-reason-error" className="field-error">
                {errors.reason}
              </p>
            )}
          </div>
        </div>
        <button type="submit" disabled={busy}>
          Apply adjustment
        </button>
        {errors.form && <p role="alert">{errors.form}</p>}
        <p aria-live="polite">{applied}</p>
      </form>
    </section>
  );
}
