import type * as z from "zod";

/** One problem with an input, located by a readable path such as `detail.lines[0].quantity`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Joins a zod issue path: ["lines", 0, "quantity"] -> "lines[0].quantity" (after an optional prefix). */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ""): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && PLAIN_KEY.test(segment))
      out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === "" ? "(root)" : out;
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  if (issue.code !== "invalid_type") return false;
  // `input` is only present with `reportInput: true`; zod's default message says so otherwise.
  return "input" in issue ? issue.input === undefined : issue.message.endsWith("received undefined");
}

/**
 * Turns zod issues into field errors that name the field and why. Unknown keys become one error
 * per key so the path points at the offending field, and missing fields say "is required".
 */
export function formatZodIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix = ""): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key], prefix),
        message: "unknown field: not part of this schema version",
      }));
    }
    if (isMissing(issue) && issue.code === "invalid_type") {
      return [{ path: formatPath(issue.path, prefix), message: `is required (expected ${issue.expected})` }];
    }
    return [{ path: formatPath(issue.path, prefix), message: issue.message }];
  });
}

/**
 * Limits for errors that reach logs and the dead-letter partition: a few hundred characters each and a
 * short list, whatever the input. An event with thousands of unknown fields once made a 210 KB log line.
 */
export const FIELD_ERROR_BOUNDS = { maxErrors: 20, maxPathLength: 200, maxMessageLength: 300 } as const;

/** Cuts `text` to at most `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** At most `maxErrors` errors (the last one saying how many more there were), each cut to size. */
export function boundFieldErrors(errors: ReadonlyArray<FieldError>): FieldError[] {
  const bounds = FIELD_ERROR_BOUNDS;
  const cut = (error: FieldError): FieldError => ({
    path: truncateText(error.path, bounds.maxPathLength),
    message: truncateText(error.message, bounds.maxMessageLength),
  });
  if (errors.length <= bounds.maxErrors) return errors.map(cut);
  const listed = errors.slice(0, bounds.maxErrors - 1).map(cut);
  const more = errors.length - listed.length;
  return [...listed, { path: "(more)", message: `${more} more field error(s) not listed` }];
}

/** Single-line summary, e.g. for an Error message: "detail.total: must equal ...; source: ...". */
export function summarizeFieldErrors(errors: ReadonlyArray<FieldError>): string {
  return errors.map((error) => `${error.path}: ${error.message}`).join("; ");
}
