import * as z from "zod";
import { decisionTrailFields, requestIdParams } from "./four-eyes";

// Answers of the adjustment routes. An adjustment at or under the approval threshold is applied at once
// (201, `adjustmentResultSchema`); one over it is a request that waits for a second marketer (202, the view).

const points = z.int();

export const adjustmentIdParams = requestIdParams(
  "an adjustment",
  "Adjustment id, from the answer to POST /members/{id}/adjustments",
);

export const adjustmentResultSchema = z.object({
  adjustmentId: z.string(),
  status: z.literal("applied"),
  memberId: z.string(),
  ledgerEntryId: z.string(),
  points,
  spendable: points,
  actor: z.string(),
});

export const adjustmentRequestViewSchema = z.object({
  adjustmentId: z.string(),
  memberId: z.string(),
  points,
  reason: z.string(),
  status: z
    .enum(["pending", "approving", "applying", "applied", "rejected"])
    .describe(
      "pending: waits for a second marketer; approving: being applied by its approver; applying: under the threshold, being applied",
    ),
  ...decisionTrailFields,
  ledgerEntryId: z.string().optional().describe("Once applied"),
});

export const adjustmentAnswerSchema = z.union([adjustmentResultSchema, adjustmentRequestViewSchema]);

export const pendingAdjustmentsSchema = z.object({
  adjustments: z.array(adjustmentRequestViewSchema).describe("Oldest first; at most 100"),
});

export type AdjustmentResult = z.input<typeof adjustmentResultSchema>;
export type AdjustmentRequestView = z.input<typeof adjustmentRequestViewSchema>;
