import { useContext } from "react";
import { useFormState } from "react-hook-form";
import { displayPath, fieldShowing, listErrors } from "./field-errors";
import { FieldRegistry } from "./fields";

/**
 * After a save attempt: how many problems there are (each field shows its own), plus the errors no field on the
 * page shows (e.g. about a whole milestone) and problems that name no field (e.g. a version conflict).
 */
export function ErrorSummary(props: { unplaced: readonly string[] }) {
  const registry = useContext(FieldRegistry);
  const { errors, submitCount } = useFormState();
  const all = submitCount > 0 ? listErrors(errors) : [];
  if (all.length === 0 && props.unplaced.length === 0) return null;
  const loose = all.filter((error) => !fieldShowing(error.name, registry));
  const placed = all.length - loose.length;
  return (
    <div role="alert" className="error-summary">
      {all.length > 0 && (
        <p>
          Not saved: {all.length === 1 ? "1 problem" : `${all.length} problems`} to fix
          {placed > 0 &&
            `; ${placed} ${placed === 1 ? "is shown next to its field" : "are shown next to their fields"}`}
          .
        </p>
      )}
      {(loose.length > 0 || props.unplaced.length > 0) && (
        <ul>
          {loose.map((error) => (
            <li key={`${error.name}:${error.message}`}>
              {displayPath(error.name)}: {error.message}
            </li>
          ))}
          {props.unplaced.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
