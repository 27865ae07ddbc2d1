import { type FormEvent, useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import type { components } from "../api/openapi";
import { ApiErrorAlert } from "../components/api-error-alert";
import { Chart } from "../components/chart";
import { useApi } from "../console-context";
import { type Draft, useDraft } from "../program/draft";
import { EmailPreview } from "./email-preview";
import { comparisonOption, tierAxis, tierMoveOption } from "./preview-charts";
import { ChallengesSection, PartnersSection } from "./preview-tables";
import { formatChange, formatCount } from "./review-format";
import "./preview-versions.css";

// What the draft would change for a sample of recently active members (POST /program/preview): tier moves,
// the points liability and the rewards members can afford, each current vs draft.

type Preview = components["schemas"]["PreviewProgramResponse"];
type Compared = { current: number; draft: number; change: number };

export function PreviewPage() {
  const draft = useDraft();
  return (
    <div className="review">
      <h1>Preview</h1>
      {draft ? (
        <DraftPreview draft={draft} />
      ) : (
        <p>
          There is no draft to preview. Edit the program on the <Link to="/program">Program</Link> page first;
          the preview compares your draft with the version in effect.
        </p>
      )}
      <EmailPreview program={draft?.program} />
    </div>
  );
}

type Query =
  | { status: "loading" }
  | { status: "error"; error: unknown }
  | { status: "done"; preview: Preview };

function DraftPreview({ draft }: { draft: Draft }) {
  const api = useApi();
  const [request, setRequest] = useState({ days: 30, maxMembers: 200 });
  const [query, setQuery] = useState<Query>({ status: "loading" });

  useEffect(() => {
    let current = true;
    setQuery({ status: "loading" });
    api
      .POST("/program/preview", { body: { program: draft.program, ...request } })
      .then(unwrap)
      .then(
        (preview) => current && setQuery({ status: "done", preview }),
        (error: unknown) => current && setQuery({ status: "error", error }),
      );
    return () => {
      current = false;
    };
  }, [api, draft, request]);

  return (
    <>
      <p>
        Your draft of <strong>{draft.program.name}</strong> (based on version {draft.baseVersion}) compared
        with the version in effect, for a sample of recently active members.
      </p>
      <SampleForm request={request} onSubmit={setRequest} />
      {query.status === "loading" && <p aria-live="polite">Computing the preview…</p>}
      {query.status === "error" && <ApiErrorAlert error={query.error} />}
      {query.status === "done" && <PreviewResult preview={query.preview} draft={draft} />}
    </>
  );
}

function SampleForm({
  request,
  onSubmit,
}: {
  request: { days: number; maxMembers: number };
  onSubmit(next: { days: number; maxMembers: number }): void;
}) {
  const [days, setDays] = useState(String(request.days));
  const [maxMembers, setMaxMembers] = useState(String(request.maxMembers));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ days: Number(days), maxMembers: Number(maxMembers) });
  };
  return (
    <form className="card sample-form" onSubmit={submit}>
      <div>
        <label htmlFor="preview-days">Days</label>
        <input
          id="preview-days"
          type="number"
          min={1}
          max={90}
          required
          value={days}
          onChange={(e) => setDays(e.target.value)}
          aria-describedby="preview-days-hint"
        />
        <p id="preview-days-hint" className="hint">
          Members due for a retention check in the next N days (1–90), and their purchases in the last N days.
        </p>
      </div>
      <div>
        <label htmlFor="preview-max-members">Most members</label>
        <input
          id="preview-max-members"
          type="number"
          min={1}
          max={500}
          required
          value={maxMembers}
          onChange={(e) => setMaxMembers(e.target.value)}
        />
      </div>
      <button type="submit">Run preview</button>
    </form>
  );
}

function PreviewResult({ preview, draft }: { preview: Preview; draft: Draft }) {
  const { sample, tiers } = preview;
  const axis = useMemo(
    () =>
      tierAxis(draft.program.tiers, [
        ...tiers.byTier.map((t) => t.tierId),
        ...tiers.moves.flatMap((m) => [m.fromTierId, m.toTierId]),
      ]),
    [draft, tiers],
  );
  const nameOf = (id: string) => axis.names[axis.ids.indexOf(id)] ?? id;
  const moveOption = useMemo(() => tierMoveOption(tiers.moves, axis), [tiers, axis]);
  const liability = useMemo(
    () => comparisonOption(preview.pointsLiability, { series: "Points liability", axis: "Points" }),
    [preview],
  );
  const reach = useMemo(
    () =>
      comparisonOption(preview.rewardsWithinReach, {
        series: "Rewards within reach",
        axis: "Member × reward pairs",
      }),
    [preview],
  );

  return (
    <>
      <section aria-labelledby="sample-heading" className="card">
        <h2 id="sample-heading">Sample</h2>
        <dl className="figures">
          <Figure label="Members sampled" value={formatCount(sample.members)} />
          <Figure label="Purchases re-earned" value={formatCount(preview.purchasesRecomputed)} />
        </dl>
        {!sample.complete && (
          <p>
            More members were active than the sample holds: the figures cover the first {sample.maxMembers}.
          </p>
        )}
      </section>

      <section aria-labelledby="tiers-heading" className="card">
        <h2 id="tiers-heading">Tier moves</h2>
        <dl className="figures">
          <Figure label="Moved up" value={formatCount(tiers.movedUp)} />
          <Figure label="Moved down" value={formatCount(tiers.movedDown)} />
          <Figure label="Unchanged" value={formatCount(tiers.unchanged)} />
        </dl>
        <Chart
          option={moveOption}
          label="Tier moves: members by their tier now (rows) and their tier under the draft (columns)"
          height={80 + 60 * axis.ids.length + 60}
        />
        <div className="table-scroll">
          <table>
            <caption>Members by tier now and under the draft</caption>
            <thead>
              <tr>
                <th scope="col">Tier now</th>
                <th scope="col">Tier under the draft</th>
                <th scope="col">Members</th>
              </tr>
            </thead>
            <tbody>
              {tiers.moves.map((m) => (
                <tr key={`${m.fromTierId} ${m.toTierId}`}>
                  <td>{nameOf(m.fromTierId)}</td>
                  <td>{nameOf(m.toTierId)}</td>
                  <td>{formatCount(m.members)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="liability-heading" className="card">
        <h2 id="liability-heading">Points liability</h2>
        <Comparison figures={preview.pointsLiability} unit="points" />
        <Chart option={liability} label="Points liability: current program vs draft" height={260} />
      </section>

      <section aria-labelledby="reach-heading" className="card">
        <h2 id="reach-heading">Rewards within reach</h2>
        <p>Member × reward pairs where the member has the points for a catalogue reward.</p>
        <Comparison figures={preview.rewardsWithinReach} unit="pairs" />
        {/* The API counts pairs over the whole catalogue (no per-reward breakdown): one pair of bars. */}
        <Chart
          option={reach}
          label={`Rewards within reach: ${formatCount(preview.rewardsWithinReach.current)} member × reward pairs with the current program, ${formatCount(preview.rewardsWithinReach.draft)} with the draft`}
          height={260}
        />
      </section>

      <ChallengesSection challenges={preview.challenges} />
      <PartnersSection partners={preview.partners} currency={draft.program.currency} />

      <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ul>
          {preview.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Comparison({ figures, unit }: { figures: Compared; unit: string }) {
  return (
    <dl className="figures">
      <Figure label="Current" value={`${formatCount(figures.current)} ${unit}`} />
      <Figure label="Draft" value={`${formatCount(figures.draft)} ${unit}`} />
      <Figure label="Change" value={`${formatChange(figures.change)} ${unit}`} />
    </dl>
  );
}
