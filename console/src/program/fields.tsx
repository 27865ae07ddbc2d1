import { createContext, type ReactNode, useContext, useEffect, useId, useState } from "react";
import { get, useController, useFormContext, useFormState } from "react-hook-form";
import { messagesOf } from "./field-errors";
import { fromLocalInput, toLocalInput } from "./local-time";

// The program form's inputs. Each has a visible label, shows its own validation error next to it
// (aria-invalid + aria-describedby → .field-error), and registers its name so errors no field shows can be
// listed in the form's summary instead. Fields in a repeated row take the row's name into their accessible
// name: the threshold of the tier named Gold is labelled "Gold threshold" (its visible label says "Threshold").

/** Names of the fields on screen; the error summary lists the errors none of them shows. */
export const FieldRegistry = createContext<Set<string>>(new Set());

export interface FieldProps {
  name: string;
  label: string;
  /** The row the field belongs to, e.g. "Gold": the accessible name becomes "Gold threshold". */
  row?: string;
  hint?: string;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

/** Registration, ids, the error and the ARIA attributes every field shares. */
function useField({ name, label, row, hint }: FieldProps) {
  const registry = useContext(FieldRegistry);
  useEffect(() => {
    registry.add(name);
    return () => {
      registry.delete(name);
    };
  }, [registry, name]);
  const id = useId();
  const { errors } = useFormState({ name });
  const messages = messagesOf(get(errors, name)).map(readable);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [messages.length > 0 && errorId, hint && hintId].filter(Boolean).join(" ");
  const aria = {
    id,
    "aria-invalid": messages.length > 0,
    ...(describedBy && { "aria-describedby": describedBy }),
    ...(row && { "aria-label": `${row} ${lowerFirst(label)}` }),
  };
  const extras = (
    <>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {messages.length > 0 && (
        <p className="field-error" id={errorId}>
          {messages.join("; ")}
        </p>
      )}
    </>
  );
  return { id, aria, extras };
}

/** zod's message for a missing value names types; a marketer needs to know the field is empty. */
function readable(message: string): string {
  return /received (undefined|NaN)$/.test(message) ? "is required" : message;
}

const toNumber = (value: unknown) => (value === "" || value === null ? undefined : Number(value));

export function NumberField(props: FieldProps & { step?: string }) {
  const { register } = useFormContext();
  const { aria, extras } = useField(props);
  return (
    <div className="field">
      <label htmlFor={aria.id}>{props.label}</label>
      <input
        type="number"
        inputMode="decimal"
        step={props.step ?? "any"}
        {...aria}
        {...register(props.name, { setValueAs: toNumber })}
      />
      {extras}
    </div>
  );
}

export function TextField(props: FieldProps & { optional?: boolean; list?: string }) {
  const { register } = useFormContext();
  const { aria, extras } = useField(props);
  const setValueAs = props.optional ? (v: string) => (v === "" ? undefined : v) : undefined;
  return (
    <div className="field">
      <label htmlFor={aria.id}>{props.label}</label>
      <input
        type="text"
        {...(props.list && { list: props.list })}
        {...aria}
        {...register(props.name, setValueAs && { setValueAs })}
      />
      {extras}
    </div>
  );
}

export function SelectField(props: FieldProps & { options: readonly string[] }) {
  const { register } = useFormContext();
  const { aria, extras } = useField(props);
  return (
    <div className="field">
      <label htmlFor={aria.id}>{props.label}</label>
      <select {...aria} {...register(props.name)}>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
      {extras}
    </div>
  );
}

export function CheckboxField(props: FieldProps) {
  const { register } = useFormContext();
  const { aria, extras } = useField(props);
  return (
    <div className="field field-check">
      <input type="checkbox" {...aria} {...register(props.name)} />
      <label htmlFor={aria.id}>{props.label}</label>
      {extras}
    </div>
  );
}

/** An ISO instant edited in the browser's local time; empty means absent when optional. */
export function DateTimeField(props: FieldProps & { optional?: boolean }) {
  const { aria, extras } = useField(props);
  const { field } = useController({ name: props.name });
  return (
    <div className="field">
      <label htmlFor={aria.id}>{props.label}</label>
      <input
        type="datetime-local"
        {...aria}
        ref={field.ref}
        name={field.name}
        value={typeof field.value === "string" ? toLocalInput(field.value) : ""}
        onBlur={field.onBlur}
        onChange={(event) => field.onChange(fromLocalInput(event.target.value))}
      />
      {extras}
    </div>
  );
}

/**
 * A set of choices as checkboxes. `whenNone` is what no ticked box means: `undefined` (the field is absent,
 * e.g. "all channels") or an empty list.
 */
export function ChoicesField(
  props: FieldProps & { options: readonly string[]; whenNone: "absent" | "empty" },
) {
  const { aria, extras } = useField(props);
  const { field } = useController({ name: props.name });
  const chosen: string[] = Array.isArray(field.value) ? field.value : [];
  // A value the options do not offer (e.g. an undeclared category) stays visible so it can be unticked.
  const options = [...props.options, ...chosen.filter((c) => !props.options.includes(c))];
  const toggle = (option: string, on: boolean) => {
    const next = options.filter((o) => (o === option ? on : chosen.includes(o)));
    field.onChange(next.length === 0 && props.whenNone === "absent" ? undefined : next);
  };
  return (
    <fieldset className="field choices" {...aria}>
      <legend>{props.label}</legend>
      {options.map((option, i) => (
        <label key={option} className="choice">
          <input
            type="checkbox"
            {...(i === 0 && { ref: field.ref })}
            checked={chosen.includes(option)}
            onChange={(event) => toggle(option, event.target.checked)}
            onBlur={field.onBlur}
          />
          {option}
        </label>
      ))}
      {extras}
    </fieldset>
  );
}

const joinLines = (value: unknown) => (Array.isArray(value) ? value.join("\n") : "");
const splitLines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");

/** A list of short texts, one per line (perks, categories). */
export function LinesField(props: FieldProps) {
  const { aria, extras } = useField(props);
  const { field } = useController({ name: props.name });
  // The text as typed (with a trailing empty line while the next one is being started); the form holds the list.
  const [text, setText] = useState(() => joinLines(field.value));
  useEffect(() => {
    setText((current) =>
      joinLines(splitLines(current)) === joinLines(field.value) ? current : joinLines(field.value),
    );
  }, [field.value]);
  return (
    <div className="field">
      <label htmlFor={aria.id}>{props.label}</label>
      <textarea
        rows={Math.max(2, splitLines(text).length + 1)}
        {...aria}
        ref={field.ref}
        name={field.name}
        value={text}
        onBlur={field.onBlur}
        onChange={(event) => {
          setText(event.target.value);
          field.onChange(splitLines(event.target.value));
        }}
      />
      {extras}
    </div>
  );
}

/** One item of a list (a tier, a promotion…) with its Remove button. */
export function Row(props: { legend: string; onRemove: () => void; children: ReactNode }) {
  return (
    <fieldset className="row">
      <legend>{props.legend}</legend>
      <div className="grid">{props.children}</div>
      <button type="button" className="secondary remove" onClick={props.onRemove}>
        Remove {props.legend}
      </button>
    </fieldset>
  );
}

export function AddButton(props: { label: string; onAdd: () => void }) {
  return (
    <button type="button" className="secondary" onClick={props.onAdd}>
      {props.label}
    </button>
  );
}
