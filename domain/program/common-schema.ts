import * as z from "zod";

/** Rule ids are what ledger entries cite as their reason, so they are stable, readable slugs. */
export const ruleIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be a lowercase slug of up to 64 characters, e.g. "double-weekend"',
  )
  .describe("Stable id of this rule; ledger entries cite it to explain why points changed");

/** A name shown to members (a rule's, a badge's, the program's). */
export const displayNameSchema = z.string().min(1).max(80);

/** A rule members see: its stable id, its display name (`nameDescription` says which), then its own fields. */
export const namedRuleSchema = <Shape extends z.ZodRawShape>(nameDescription: string, shape: Shape) =>
  z.strictObject({ ruleId: ruleIdSchema, name: displayNameSchema.describe(nameDescription), ...shape });

export const slugSchema = (what: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, `${what} must be a lowercase slug of up to 64 characters`)
    .describe(`${what} (lowercase slug)`);

export const instantSchema = z.iso.datetime({
  offset: true,
  error: "must be an ISO 8601 date-time with a UTC offset, e.g. 2025-06-06T00:00:00+02:00",
});

export const wholeNumber = (what: string) =>
  z.int({ error: `${what} must be a whole number` }).min(0, { error: `${what} must not be negative` });

export const positiveWholeNumber = (what: string) =>
  z.int({ error: `${what} must be a whole number` }).min(1, { error: `${what} must be at least 1` });

export const channelSchema = z.enum(["pos", "web", "app"]).describe("Sales channel: pos (store), web or app");

export const periodSchema = z
  .enum(["day", "week", "month", "year"])
  .describe("Calendar period in UTC; weeks are ISO weeks starting on Monday");
