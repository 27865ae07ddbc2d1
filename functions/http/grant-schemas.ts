import * as z from "zod";
import { idSchema, memberIdSchema } from "../../events/primitives";
import { reasonSchema } from "./api-schemas";
import { decisionTrailFields, requestIdParams } from "./four-eyes";

// Requests and answers of the bulk grant routes (grant-routes.ts).

/** Most member ids one uploaded list may hold; the request must also fit the API's body limit. */
export const MAX_GRANT_LIST = 100_000;
/** The grant routes' body limit, for an uploaded list: under Lambda's 6 MB request payload. */
export const GRANT_BODY_BYTES = 4 * 1024 * 1024;
/** Most points a grant credits each member (the adjustments' own bound). */
export const MAX_GRANT_POINTS = 1_000_000;

const LIFECYCLE_STAGES = ["new", "active", "at-risk", "lapsed", "won-back", "churned"] as const;

export const grantAudienceSchema = z
  .strictObject({
    segment: z
      .string()
      .min(1, { error: "segment must not be empty" })
      .max(64, { error: "segment must be at most 64 characters" })
      .optional()
      .describe(
        'RFM segment name the nightly analytics job gave the members (GET /segments), e.g. "champions"',
      ),
    tier: idSchema("tier", 64).optional().describe("Tier id of the program in effect"),
    stage: z.enum(LIFECYCLE_STAGES).optional().describe("Retention lifecycle stage"),
    memberIds: z
      .array(memberIdSchema)
      .min(1, { error: "memberIds must hold at least one member id" })
      .max(MAX_GRANT_LIST, { error: `memberIds must hold at most ${MAX_GRANT_LIST} member ids` })
      .optional()
      .describe(
        `An uploaded list of member ids (at most ${MAX_GRANT_LIST}, and a body of at most 4 MiB; duplicates count once; ids of no member are skipped)`,
      ),
  })
  .describe("Who gets the points: exactly one of segment, tier, stage or memberIds");

export const grantRequestSchema = z.strictObject({
  points: z
    .int({ error: "points must be a whole number" })
    .min(1, { error: "points must be at least 1" })
    .max(MAX_GRANT_POINTS, { error: `points must be at most ${MAX_GRANT_POINTS}` })
    .describe("Points each member of the audience gets"),
  reason: reasonSchema.describe("Why, in words the member reads on their ledger"),
  expiresOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expiresOn must be a day, YYYY-MM-DD" })
    .optional()
    .describe("First day the granted points are no longer valid; absent: the program's expiry rule"),
  audience: grantAudienceSchema,
});

export const GRANT_RULES =
  "audience must name exactly one of segment, tier, stage or memberIds; a tier must be one of the program in effect; " +
  "expiresOn must be after today (UTC).";

export const grantIdParams = requestIdParams("a grant", "Grant id, from the answer to POST /grants");

export const grantPreviewSchema = z.object({
  members: z.int().describe("Members in the audience now"),
  totalPoints: z.int().describe("points × members: what the grant adds to the points liability"),
  costMinor: z.int().describe("totalPoints at the program's point cost (retention.offers.pointCostMinor)"),
  currency: z.string().describe("The program's currency, of costMinor"),
  needsApproval: z
    .boolean()
    .describe("totalPoints is over controls.adjustments.approvalThreshold: a second marketer must approve"),
  approvalThreshold: z.int(),
});

const count = z.int();

export const grantViewSchema = z.object({
  grantId: z.string(),
  status: z
    .enum(["pending-approval", "approved", "running", "done", "failed", "rejected"])
    .describe(
      "pending-approval: waits for a second marketer; approved: ready to run; failed: a run stopped short (run it again to resume)",
    ),
  points: count,
  reason: z.string(),
  expiresOn: z.string().optional(),
  audience: z.object({
    segment: z.string().optional(),
    tier: z.string().optional(),
    stage: z.string().optional(),
    listedMembers: count.optional().describe("Distinct ids in the uploaded list"),
  }),
  needsApproval: z.boolean(),
  ...decisionTrailFields,
  preview: grantPreviewSchema
    .omit({ needsApproval: true, approvalThreshold: true })
    .describe("When requested"),
  progress: z.object({
    parts: count.describe("Parts of the run (Scan segments or list chunks)"),
    partsDone: count,
    processed: count.describe("Members handled in finished pages"),
    granted: count.describe("Members holding the grant's ledger entry"),
    duplicates: count.describe("Of granted, members found granted already (met again after a retry)"),
    notEligible: count.describe("No longer in the audience when the run reached them"),
    notFound: count.describe("Listed ids of no member"),
    failed: count.describe("Members whose change failed where a part stopped; a new run retries them"),
  }),
  error: z.string().optional().describe("Why the last run stopped short"),
  finishedAt: z.string().optional(),
});

export type GrantRequest = z.output<typeof grantRequestSchema>;
export type GrantView = z.input<typeof grantViewSchema>;
export type GrantPreviewView = z.input<typeof grantPreviewSchema>;
