import * as z from "zod";
import { memberIdSchema } from "../../events/primitives";
import { formatZodIssues, summarizeFieldErrors } from "../../events/validation-errors";

// The retention job's event. The hourly schedule sends {"job": "<handler>"}: read the due days as usual. With
// `members` the run checks just those members, as of the run's time and whatever day they are filed under,
// and reads no due day, so the schedule's record of finished days stays as it was — for support ("check this
// member now") and the local demo (`npm run job -- retention-job --member <id>`).

export const MAX_MEMBERS_PER_CHECK = 100;

const runRequestSchema = z.object({
  members: z
    .array(memberIdSchema)
    .min(1, { error: "members must name at least one member (leave it out for the scheduled run)" })
    .max(MAX_MEMBERS_PER_CHECK, { error: `members may name at most ${MAX_MEMBERS_PER_CHECK} members` })
    .optional(),
});

export type RetentionRunRequest = z.infer<typeof runRequestSchema>;

export class InvalidRetentionRunRequest extends Error {
  constructor(message: string) {
    super(`invalid retention job event: ${message}`);
    this.name = "InvalidRetentionRunRequest";
  }
}

/** The run an event asks for; a malformed one is refused rather than taken for the scheduled run. */
export function parseRetentionRunRequest(event: unknown): RetentionRunRequest {
  if (event === undefined || event === null) return {};
  const parsed = runRequestSchema.safeParse(event);
  if (!parsed.success)
    throw new InvalidRetentionRunRequest(summarizeFieldErrors(formatZodIssues(parsed.error.issues)));
  return parsed.data.members ? { members: [...new Set(parsed.data.members)] } : {};
}
