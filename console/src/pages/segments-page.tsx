import { ConcentrationSection } from "../analytics/concentration-section";
import { ModelFitSection } from "../analytics/model-fit-section";
import { RfmSection } from "../analytics/rfm-section";
import { ApiError, unwrap } from "../api/client";
import { useApi } from "../console-context";
import { formatDateTime, formatDay, formatInteger } from "../format";
import { useProgramCurrency } from "../use-program-currency";
import { useResource } from "../use-resource";
import "../figures.css";

// Customer value (GET /segments): the last nightly analytics run's RFM grid and segments, how concentrated
// value is, and the fitted BG/NBD and Gamma-Gamma models that predict it.

export function SegmentsPage() {
  const api = useApi();
  const currency = useProgramCurrency();
  const { resource } = useResource("segments", async () => unwrap(await api.GET("/segments")));
  return (
    <>
      <h1>Segments</h1>
      {resource.status === "loading" && <p aria-live="polite">Loading the last analytics run…</p>}
      {resource.status === "failed" &&
        (resource.error instanceof ApiError && resource.error.problem.status === 404 ? (
          <div className="notice">
            <p>Analytics has not run yet, so there are no segments or scores to show.</p>
            <p>
              The analytics job runs nightly at 01:00 UTC. On the local platform run it now with{" "}
              <code>npm run job -- analytics-job</code>; deployed, invoke the analytics job function.
            </p>
          </div>
        ) : (
          <p role="alert">Could not load the segments: {resource.error.message}</p>
        ))}
      {resource.status === "ready" && (
        <>
          <p className="muted">
            Analytics run of {formatDateTime(resource.data.asOf)}: purchases up to{" "}
            {formatDay(resource.data.asOfDay)}; {formatInteger(resource.data.members.total)} members, of whom{" "}
            {formatInteger(resource.data.members.customers)} have purchased and are scored (
            {formatInteger(resource.data.members.withoutPurchases)} without purchases). Model{" "}
            {resource.data.modelVersion}.
          </p>
          <RfmSection rfm={resource.data.rfm} currency={currency} />
          <ConcentrationSection concentration={resource.data.concentration} currency={currency} />
          <ModelFitSection snapshot={resource.data} />
        </>
      )}
    </>
  );
}
