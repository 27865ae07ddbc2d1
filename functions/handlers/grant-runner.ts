import * as z from "zod";
import { grantRunnerConfig } from "../grants/grant-config";
import { grantRunDeps } from "../grants/grant-run-deps";
import {
  finishGrantRun,
  type GrantRunDeps,
  type GrantRunReport,
  type PartResult,
  runGrantPart,
  startGrantRun,
} from "../grants/run-grant";
import { tableFromConfig, withLambdaContext } from "../shared/lambda-wiring";
import { createLogger, type Logger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";

// The steps of a bulk grant's run, each one invocation of the grant state machine (infra/grant-runs.ts):
// "start" claims the grant and lists its parts, the Map state calls "part" for each (again while it answers
// `done: false`, a page budget at a time), and "finish" sets the grant done or failed. Every step is safe to
// retry: a part resumes from its last counted page, and a member is credited once by its business key.

const grantId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, { error: "grantId must be a grant id" });

export const grantRunnerEventSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("start"), grantId }),
  z.object({ action: z.literal("part"), grantId, part: z.int().min(0).max(9_999) }),
  z.object({ action: z.literal("finish"), grantId, error: z.unknown().optional() }),
]);

export type GrantRunnerAnswer =
  | { grantId: string; parts: { grantId: string; part: number }[] }
  | PartResult
  | GrantRunReport;

/** A Lambda error's Cause is the error as JSON: its message only (never a payload). */
function messageOf(cause: string | undefined): string | undefined {
  try {
    const parsed = z.object({ errorMessage: z.string() }).safeParse(JSON.parse(cause ?? ""));
    return parsed.success ? parsed.data.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

/** Why the Map stopped, from the state machine's Catch (`{ Error, Cause }`), as one line for the grant. */
function errorOf(caught: unknown): string[] {
  if (caught === undefined) return [];
  const parsed = z.object({ Error: z.string().optional(), Cause: z.string().optional() }).safeParse(caught);
  if (!parsed.success) return ["the run failed"];
  return [messageOf(parsed.data.Cause) ?? parsed.data.Error ?? "the run failed"];
}

export function createGrantRunnerHandler(
  deps: GrantRunDeps & { logger: Logger },
  options: { pagesPerInvocation: number },
) {
  return withLambdaContext<unknown, GrantRunnerAnswer>(deps.logger, async (raw) => {
    const event = grantRunnerEventSchema.parse(raw);
    switch (event.action) {
      case "start": {
        const { parts } = await startGrantRun(deps, event.grantId);
        return { grantId: event.grantId, parts: parts.map((part) => ({ grantId: event.grantId, part })) };
      }
      case "part": {
        const result = await runGrantPart(deps, event, { maxPages: options.pagesPerInvocation });
        deps.logger.info("grant part", { grantId: event.grantId, ...result });
        return result;
      }
      case "finish":
        return finishGrantRun(deps, event.grantId, errorOf(event.error));
    }
  });
}

export const handler = onFirstCall(() => {
  const config = grantRunnerConfig();
  return createGrantRunnerHandler(
    { ...grantRunDeps(tableFromConfig(config)), logger: createLogger() },
    { pagesPerInvocation: config.GRANT_PAGES_PER_INVOCATION },
  );
});
