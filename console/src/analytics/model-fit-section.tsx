import { formatInteger, formatNumber, formatShare } from "../format";
import { RepeatCheckChart } from "./repeat-check-chart";
import type { SegmentsSnapshot } from "./segments-types";

// The fitted models behind the scores: BG/NBD (purchase frequency and drop-out) and Gamma-Gamma (order value),
// with their log-likelihoods and what they were fitted on, the scoring settings, and the fit check.

const param = (value: number) => formatNumber(value, 4);

export function ModelFitSection({ snapshot }: { snapshot: SegmentsSnapshot }) {
  const { fit, scoring, writes } = snapshot;
  return (
    <section aria-labelledby="fit-heading">
      <h2 id="fit-heading">Model fit</h2>
      <p className="muted">
        Fitted on {formatInteger(fit.customers)} customers
        {fit.sampled ? " (a deterministic sample)" : ""} in {formatInteger(fit.durationMs)} ms. Scores look{" "}
        {formatInteger(scoring.horizonWeeks)} weeks ahead at a {formatShare(scoring.annualDiscountRate)}{" "}
        annual discount rate and a {formatShare(scoring.margin, 0)} margin.
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="bgnbd-heading">
          <h3 id="bgnbd-heading">BG/NBD (purchases and drop-out)</h3>
          <dl className="facts">
            <dt>r</dt>
            <dd>{param(fit.bgNbd.r)}</dd>
            <dt>alpha</dt>
            <dd>{param(fit.bgNbd.alpha)}</dd>
            <dt>a</dt>
            <dd>{param(fit.bgNbd.a)}</dd>
            <dt>b</dt>
            <dd>{param(fit.bgNbd.b)}</dd>
            <dt>Log-likelihood</dt>
            <dd>{formatNumber(fit.bgNbd.logLikelihood, 2)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="gamma-heading">
          <h3 id="gamma-heading">Gamma-Gamma (order value)</h3>
          <dl className="facts">
            <dt>p</dt>
            <dd>{param(fit.gammaGamma.p)}</dd>
            <dt>q</dt>
            <dd>{param(fit.gammaGamma.q)}</dd>
            <dt>gamma</dt>
            <dd>{param(fit.gammaGamma.gamma)}</dd>
            <dt>Log-likelihood</dt>
            <dd>{formatNumber(fit.gammaGamma.logLikelihood, 2)}</dd>
            <dt>Repeat buyers fitted</dt>
            <dd>{formatInteger(fit.gammaGamma.repeatBuyers)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="writes-heading">
          <h3 id="writes-heading">Scores written</h3>
          <dl className="facts">
            <dt>Replaced</dt>
            <dd>{formatInteger(writes.written)}</dd>
            <dt>Unchanged (within thresholds)</dt>
            <dd>{formatInteger(writes.unchanged)}</dd>
            <dt>Skipped (bought during the run)</dt>
            <dd>{formatInteger(writes.skipped)}</dd>
          </dl>
        </section>
      </div>
      {fit.repeatCheck && <RepeatCheckChart bins={fit.repeatCheck} />}
    </section>
  );
}
