import { useCallback, useEffect, useState } from "react";
import { ApiError, unwrap } from "../api/client";
import { useApi } from "../console-context";
import { formatInstant } from "../program/local-time";
import { type LatestProgram, ProgramEditor, type PublishedProgram } from "../program/program-editor";

// The Program page: which version is in effect and which is the latest (possibly scheduled), and the latest
// version as an editable form that publishes the next one.

type Loaded = { latest: LatestProgram } | { error: string } | undefined;

export function ProgramPage() {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded>();
  const [saved, setSaved] = useState<PublishedProgram>();

  const load = useCallback(async () => {
    try {
      setLoaded({ latest: unwrap(await api.GET("/program")) });
    } catch (error) {
      const message =
        error instanceof ApiError && error.problem.status === 404
          ? "No program has been published yet."
          : `The program could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      setLoaded({ error: message });
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const onSaved = (published: PublishedProgram) => {
    setSaved(published);
    void load();
  };

  return (
    <>
      <h1>Program</h1>
      {saved && (
        <p role="status" className="saved">
          Version {saved.version} saved, effective from {formatInstant(saved.effectiveFrom)}.
        </p>
      )}
      {loaded === undefined && <p>Loading the program…</p>}
      {loaded && "error" in loaded && <p role="alert">{loaded.error}</p>}
      {loaded && "latest" in loaded && (
        <>
          <VersionStatus latest={loaded.latest} />
          <ProgramEditor key={loaded.latest.version} latest={loaded.latest} onSaved={onSaved} />
        </>
      )}
    </>
  );
}

function VersionStatus({ latest }: { latest: LatestProgram }) {
  const inEffect = latest.inEffectVersion;
  const scheduled = inEffect !== latest.version;
  return (
    <dl className="version-status card">
      <dt>In effect</dt>
      <dd>{inEffect === undefined ? "No version yet" : `Version ${inEffect}`}</dd>
      <dt>Latest</dt>
      <dd>
        Version {latest.version}, {scheduled ? "scheduled from" : "in effect since"}{" "}
        {formatInstant(latest.effectiveFrom)}; published by {latest.publishedBy} on{" "}
        {formatInstant(latest.publishedAt)}
      </dd>
      <dt>Editing</dt>
      <dd>
        A copy of version {latest.version}; saving publishes version {latest.version + 1}
      </dd>
    </dl>
  );
}
