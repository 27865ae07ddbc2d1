import * as z from "zod";
import { formatPath } from "./program-consistency";
import { type Program, programSchema } from "./program-schema";

export interface ProgramError {
  /** Where the mistake is, e.g. "tiers[1].threshold". */
  path: string;
  /** Why it is wrong. */
  message: string;
}

export type ParseProgramResult = { ok: true; program: Program } | { ok: false; errors: ProgramError[] };

/** Validates a marketer-edited program; never throws. */
export function parseProgram(input: unknown): ParseProgramResult {
  const result = programSchema.safeParse(input);
  if (result.success) return { ok: true, program: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? formatPath(issue.path) : "(program)",
      message: issue.message,
    })),
  };
}

/** JSON Schema of the program (input side, so defaulted fields are optional), for editors and the README. */
export function programJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(programSchema, { io: "input" }) as Record<string, unknown>;
}
