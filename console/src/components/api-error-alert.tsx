import { ApiError } from "../api/client";

/** A failed request as the API explained it: the problem's title, detail and each field error. */
export function ApiErrorAlert({ error }: { error: unknown }) {
  if (!(error instanceof ApiError))
    return <div role="alert">{error instanceof Error ? error.message : String(error)}</div>;
  const { title, detail, errors, status } = error.problem;
  return (
    <div role="alert" className="card">
      <strong>
        {title} ({status})
      </strong>
      {detail && <p>{detail}</p>}
      {errors && errors.length > 0 && (
        <ul>
          {errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
