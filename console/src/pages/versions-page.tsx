import { useEffect, useMemo, useRef, useState } from "react";
import { diffPrograms } from "../../../domain/program/program-diff";
import { type ApiClient, unwrap } from "../api/client";
import { ApiErrorAlert } from "../components/api-error-alert";
import { useApi } from "../console-context";
import { formatDateTime, formatValue, humanisePath } from "./review-format";
import "./preview-versions.css";

// The program's audit trail (GET /program/versions) and the field-level differences between any two versions,
// computed here with the domain's diffPrograms over the two documents (GET /program/versions/{version}).

type VersionList = Awaited<ReturnType<typeof fetchVersions>>;
type VersionDocument = Awaited<ReturnType<typeof fetchVersion>>;
type Query<T> = { status: "loading" } | { status: "error"; error: unknown } | { status: "done"; data: T };

const fetchVersions = (api: ApiClient) => api.GET("/program/versions").then(unwrap);
const fetchVersion = (api: ApiClient, version: number) =>
  api.GET("/program/versions/{version}", { params: { path: { version } } }).then(unwrap);

const STATUS: Record<string, string> = {
  "in-effect": "In effect",
  scheduled: "Scheduled",
  superseded: "Superseded",
  retired: "Retired",
};

export function VersionsPage() {
  const api = useApi();
  const [list, setList] = useState<Query<VersionList["versions"]>>({ status: "loading" });
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();

  useEffect(() => {
    let current = true;
    fetchVersions(api).then(
      ({ versions }) => {
        if (!current) return;
        setList({ status: "done", data: versions });
        // Newest first: by default, what the latest version changed.
        setTo(versions[0]?.version);
        setFrom(versions[1]?.version ?? versions[0]?.version);
      },
      (error: unknown) => current && setList({ status: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [api]);

  return (
    <div className="review">
      <h1>Versions</h1>
      {list.status === "loading" && <p aria-live="polite">Loading the versions…</p>}
      {list.status === "error" && <ApiErrorAlert error={list.error} />}
      {list.status === "done" && (
        <>
          <AuditTrail versions={list.data} />
          <h2>Compare two versions</h2>
          <div className="card version-pickers">
            <VersionSelect
              id="from-version"
              label="From version"
              versions={list.data}
              value={from}
              onChange={setFrom}
            />
            <VersionSelect
              id="to-version"
              label="To version"
              versions={list.data}
              value={to}
              onChange={setTo}
            />
          </div>
          {from !== undefined && to !== undefined && <VersionDiff from={from} to={to} />}
        </>
      )}
    </div>
  );
}

function AuditTrail({ versions }: { versions: VersionList["versions"] }) {
  return (
    <div className="table-scroll">
      <table>
        <caption>Every published version, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published by</th>
            <th scope="col">Published at (UTC)</th>
            <th scope="col">Effective from (UTC)</th>
            <th scope="col">Status</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">{v.version}</th>
              <td>{v.publishedBy}</td>
              <td>
                <time dateTime={v.publishedAt}>{formatDateTime(v.publishedAt)}</time>
              </td>
              <td>
                <time dateTime={v.effectiveFrom}>{formatDateTime(v.effectiveFrom)}</time>
              </td>
              <td>
                {STATUS[v.status] ?? v.status}
                {v.supersededBy !== undefined && ` by version ${v.supersededBy}`}
              </td>
              <td>
                {v.diff.length}
                {v.diffTruncated && "+"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VersionSelect(props: {
  id: string;
  label: string;
  versions: VersionList["versions"];
  value: number | undefined;
  onChange(version: number): void;
}) {
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(Number(e.target.value))}
      >
        {props.versions.map((v) => (
          <option key={v.version} value={v.version}>
            Version {v.version} ({STATUS[v.status] ?? v.status})
          </option>
        ))}
      </select>
    </div>
  );
}

/** One version's document, fetched once per page visit. */
function useVersionDocument(version: number): Query<VersionDocument> {
  const api = useApi();
  const cache = useRef(new Map<number, Promise<VersionDocument>>());
  const [query, setQuery] = useState<Query<VersionDocument>>({ status: "loading" });
  useEffect(() => {
    let current = true;
    setQuery({ status: "loading" });
    let pending = cache.current.get(version);
    if (!pending) {
      pending = fetchVersion(api, version);
      cache.current.set(version, pending);
      pending.catch(() => cache.current.delete(version));
    }
    pending.then(
      (data) => current && setQuery({ status: "done", data }),
      (error: unknown) => current && setQuery({ status: "error", error }),
    );
    return () => {
      current = false;
    };
  }, [api, version]);
  return query;
}

function VersionDiff({ from, to }: { from: number; to: number }) {
  const before = useVersionDocument(from);
  const after = useVersionDocument(to);
  const changes = useMemo(
    () =>
      before.status === "done" && after.status === "done"
        ? diffPrograms(before.data.program, after.data.program)
        : undefined,
    [before, after],
  );
  if (before.status === "error") return <ApiErrorAlert error={before.error} />;
  if (after.status === "error") return <ApiErrorAlert error={after.error} />;
  if (!changes || before.status !== "done" || after.status !== "done")
    return <p aria-live="polite">Loading the two versions…</p>;
  if (changes.length === 0)
    return (
      <p>
        Version {from} and version {to} are the same program.
      </p>
    );
  const programs = [after.data.program, before.data.program];
  return (
    <div className="table-scroll">
      <table className="diff">
        <caption>
          {changes.length} {changes.length === 1 ? "field differs" : "fields differ"} from version {from} to
          version {to}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Version {from}</th>
            <th scope="col">Version {to}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={change.path}>
              <th scope="row" title={change.path}>
                {humanisePath(change.path, programs)}
              </th>
              <td className="before">{formatValue(change.before)}</td>
              <td className="after">{formatValue(change.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
