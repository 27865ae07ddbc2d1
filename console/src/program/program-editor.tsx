import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useMemo, useState } from "react";
import { FormProvider, type Path, type UseFormReturn, useForm } from "react-hook-form";
import { Link } from "react-router";
import { type Program, type ProgramInput, programSchema } from "../../../domain/program/program-schema";
import { ApiError, unwrap } from "../api/client";
import type { components } from "../api/openapi";
import { useApi } from "../console-context";
import { BrandingSection } from "./branding-section";
import { readDraft, saveDraft, useDraft } from "./draft";
import { EarningSection } from "./earning-section";
import { ErrorSummary } from "./error-summary";
import { fieldNameOf } from "./field-errors";
import { DateTimeField, FieldRegistry } from "./fields";
import { FrequencySection } from "./frequency-section";
import { GeneralSection } from "./general-section";
import { PartnersSection } from "./partners-section";
import { RetentionSection } from "./retention-section";
import { RewardsSection } from "./rewards-section";
import { TiersSection } from "./tiers-section";
import "./program-form.css";

export type LatestProgram = components["schemas"]["GetProgramResponse"];
export type PublishedProgram = components["schemas"]["PutProgramResponse"];

// The whole program document as a form over the API's own zod schema (domain/program/program-schema.ts): what
// the form does not show is kept as it was. The form edits the next version of the latest one; every change is
// kept as the shared draft (./draft.ts) until it is saved or discarded.

const MINUTE = 60_000;

/** The latest version as the next one: it may take effect two minutes from now (the API asks for one). */
function nextVersionOf(latest: LatestProgram, now = Date.now()): ProgramInput {
  const effectiveFrom = new Date(Math.ceil((now + 2 * MINUTE) / MINUTE) * MINUTE).toISOString();
  return { ...latest.program, version: latest.version + 1, effectiveFrom };
}

export function ProgramEditor(props: { latest: LatestProgram; onSaved: (saved: PublishedProgram) => void }) {
  const { latest, onSaved } = props;
  const api = useApi();
  const base = useMemo(() => nextVersionOf(latest), [latest]);
  const registry = useMemo(() => new Set<string>(), []);
  // A draft left from before (another page, a reload) is picked up where it was left.
  const [start] = useState(() => readDraft()?.program ?? base);
  const form = useForm<ProgramInput, unknown, Program>({
    resolver: zodResolver(programSchema),
    defaultValues: start,
    mode: "onTouched",
  });
  useKeepDraft(form, base, latest.version);
  const [unplaced, setUnplaced] = useState<string[]>([]);

  const submit = form.handleSubmit(async (program) => {
    setUnplaced([]);
    try {
      const result = await api.PUT("/program", { body: { ...program, version: latest.version + 1 } });
      const saved = unwrap(result);
      saveDraft(undefined);
      onSaved(saved);
    } catch (error) {
      setUnplaced(showProblem(form, error));
    }
  });

  const discard = () => {
    saveDraft(undefined);
    setUnplaced([]);
    form.reset(base);
  };

  return (
    <FormProvider {...form}>
      <FieldRegistry.Provider value={registry}>
        <form className="program-form" noValidate onSubmit={submit} aria-label="Program">
          <DraftBar latestVersion={latest.version} onDiscard={discard} />
          <GeneralSection />
          <EarningSection />
          <TiersSection />
          <FrequencySection />
          <RewardsSection />
          <PartnersSection />
          <RetentionSection />
          <BrandingSection />
          <section className="card" aria-labelledby="program-publish">
            <h2 id="program-publish">Publish</h2>
            <p>Saving publishes version {latest.version + 1}; earlier versions stay as they are.</p>
            <DateTimeField
              name="effectiveFrom"
              label="Effective from"
              hint="Your local time. At least a minute ahead: running functions pick up a new version within 60 s."
            />
            <ErrorSummary unplaced={unplaced} />
            <button type="submit" disabled={form.formState.isSubmitting}>
              Save new version
            </button>
          </section>
        </form>
      </FieldRegistry.Provider>
    </FormProvider>
  );
}

/** Keeps every change as the shared draft; a form back at the version it started from has none. */
function useKeepDraft(
  form: UseFormReturn<ProgramInput, unknown, Program>,
  base: ProgramInput,
  version: number,
) {
  useEffect(() => {
    const baseline = JSON.stringify(base);
    const subscription = form.watch((values) => {
      const program = values as ProgramInput;
      saveDraft(JSON.stringify(program) === baseline ? undefined : { baseVersion: version, program });
    });
    return () => subscription.unsubscribe();
  }, [form, base, version]);
}

/** Puts the API's field errors next to their fields; returns the messages that name no field. */
function showProblem(form: UseFormReturn<ProgramInput, unknown, Program>, error: unknown): string[] {
  if (!(error instanceof ApiError))
    return [`Not saved: ${error instanceof Error ? error.message : String(error)}`];
  const { problem } = error;
  const unplaced: string[] = [];
  let first = true;
  for (const { path, message } of problem.errors ?? []) {
    const name = fieldNameOf(path);
    if (!name) {
      unplaced.push(message);
      continue;
    }
    // The API's paths are the schema's, so they name form fields; the summary lists any no field shows.
    form.setError(name as Path<ProgramInput>, { type: "server", message }, { shouldFocus: first });
    first = false;
  }
  if (!problem.errors?.length) unplaced.push(`Not saved: ${problem.detail || problem.title}`);
  return unplaced;
}

function DraftBar(props: { latestVersion: number; onDiscard: () => void }) {
  const draft = useDraft();
  const stale = draft && draft.baseVersion !== props.latestVersion;
  return (
    <div className="draft-bar card">
      <p>
        {draft ? "Unsaved changes, kept as a draft while you switch pages." : "No unsaved changes."}
        {stale &&
          ` The draft started from version ${draft.baseVersion}; version ${props.latestVersion} has been published since.`}
      </p>
      <Link to="/preview">Preview changes</Link>
      <button type="button" className="secondary" disabled={!draft} onClick={props.onDiscard}>
        Discard changes
      </button>
    </div>
  );
}
