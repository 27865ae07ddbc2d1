import * as z from "zod";
import { parseConfig, tableEnv } from "../shared/config";

// The grant runner's environment, parsed once per cold start (a bad value fails with the variable's name).

export const grantRunnerConfigSchema = z.object({
  ...tableEnv,
  /**
   * Pages one invocation of a part works through before it returns (the state machine invokes the part again
   * until it is done): 40 pages of 500 scanned items, or of 100 listed ids, fit well inside 15 minutes.
   */
  GRANT_PAGES_PER_INVOCATION: z.coerce.number().int().min(1).max(1_000).default(40),
});

export type GrantRunnerConfig = z.output<typeof grantRunnerConfigSchema>;

export function grantRunnerConfig(env: Record<string, string | undefined> = process.env): GrantRunnerConfig {
  return parseConfig(grantRunnerConfigSchema, env);
}
