import * as z from "zod";
import { parseConfig, tableEnv } from "../shared/config";

// The analytics job's environment, parsed once per cold start (a bad value fails with the variable's name).

export const analyticsConfigSchema = z.object({
  ...tableEnv,
  /** Parallel Scan segments (1–64); more segments read faster and cost the same. */
  ANALYTICS_SCAN_SEGMENTS: z.coerce.number().int().min(1).max(64).default(8),
  /** Above this many customers the models are fitted on a deterministic hash sample of this size. */
  ANALYTICS_FIT_SAMPLE_CAP: z.coerce.number().int().min(1000).max(5_000_000).default(200_000),
});

export type AnalyticsConfig = z.output<typeof analyticsConfigSchema>;

export function analyticsConfig(env: Record<string, string | undefined> = process.env): AnalyticsConfig {
  return parseConfig(analyticsConfigSchema, env);
}
