import * as z from "zod";
import { positiveWholeNumber } from "./common-schema";

/** Most points a single manual adjustment may move (the HTTP API's own bound). */
export const MAX_ADJUSTMENT_POINTS = 1_000_000;

export const DEFAULT_APPROVAL_THRESHOLD = 5_000;
export const DEFAULT_DAILY_ADJUSTMENT_LIMIT = 50_000;

const adjustmentControlsSchema = z
  .strictObject({
    approvalThreshold: positiveWholeNumber("approvalThreshold")
      .max(MAX_ADJUSTMENT_POINTS, { error: `approvalThreshold must be at most ${MAX_ADJUSTMENT_POINTS}` })
      .default(DEFAULT_APPROVAL_THRESHOLD)
      .describe(
        "An adjustment of more than this many points (credit or debit) is stored as pending and changes nothing " +
          "until a second marketer approves it",
      ),
    dailyLimitPerMarketer: positiveWholeNumber("dailyLimitPerMarketer")
      .max(100 * MAX_ADJUSTMENT_POINTS, {
        error: `dailyLimitPerMarketer must be at most ${100 * MAX_ADJUSTMENT_POINTS}`,
      })
      .default(DEFAULT_DAILY_ADJUSTMENT_LIMIT)
      .describe(
        "Most points one marketer may request per UTC day: the sum of the absolute points of their adjustments, " +
          "pending ones included (a refused request does not count)",
      ),
  })
  .superRefine((controls, ctx) => {
    // Every adjustment that needs approval would then also be over the daily limit: none could ever be made.
    if (controls.approvalThreshold >= controls.dailyLimitPerMarketer) {
      ctx.addIssue({
        code: "custom",
        path: ["approvalThreshold"],
        message:
          "approvalThreshold must be below dailyLimitPerMarketer, or no adjustment could need approval",
      });
    }
  });

/** Controls on what marketers may do alone (program setting; every field has a default). */
export const controlsSchema = z
  .strictObject({
    adjustments: adjustmentControlsSchema
      .prefault({})
      .describe("Manual points adjustments: second-marketer approval above a threshold, a daily limit each"),
  })
  .describe("Controls on marketers' manual changes");

export type AdjustmentControls = z.output<typeof adjustmentControlsSchema>;
