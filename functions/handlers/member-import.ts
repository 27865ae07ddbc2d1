import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import * as z from "zod";
import type { Program } from "../../domain";
import { createDynamoClient } from "../adapters/dynamo/client";
import { createImportJobStore, type ImportJobStore } from "../adapters/dynamo/import-job-store";
import { createMemberRepository, type MemberRepository } from "../adapters/dynamo/member-repository";
import { createProgramRepository } from "../adapters/dynamo/program-repository";
import { MAX_RESULT_PROBLEMS, runBatch } from "../migration/import-batch";
import { memberImportConfig } from "../migration/import-config";
import { finishCheck, finishImport, startImport } from "../migration/import-job";
import { createLogger, type Logger } from "../shared/logger";
import { onFirstCall } from "../shared/runtime";

// The steps of a deployed migration import, each one invocation of the import state machine
// (infra/member-imports.ts): "start" (from the upload's S3 event), "batch" (a Distributed Map's batch of rows,
// in the check or the import pass), "checked" (between the passes) and "finish". Every step is safe to retry.

const importId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "importId must be an import id" });
const attempt = z.int().min(1);
/** The Distributed Map's ResultWriterDetails. */
const manifest = z.object({ Bucket: z.string(), Key: z.string() }).optional();
const job = z.object({
  importId,
  attempt,
  mode: z.enum(["valid-rows", "all-or-nothing"]),
  format: z.enum(["csv", "jsonl"]),
  importedAt: z.iso.datetime(),
});

export const memberImportEventSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("start"), bucket: z.string().min(1), key: z.string().min(1) }),
  z.object({
    action: z.literal("batch"),
    pass: z.enum(["check", "import"]),
    job,
    items: z.array(z.object({ index: z.int().min(0), record: z.unknown() })).min(1),
  }),
  z.object({ action: z.literal("checked"), importId, attempt, manifest }),
  z.object({ action: z.literal("finish"), importId, attempt, manifest, error: z.unknown().optional() }),
]);

/** Why the Map stopped, from the state machine's Catch (`{ Error, Cause }`): a Lambda error's message only. */
function errorOf(caught: unknown): string | undefined {
  if (caught === undefined) return undefined;
  const parsed = z.object({ Error: z.string().optional(), Cause: z.string().optional() }).safeParse(caught);
  if (!parsed.success) return "the run failed";
  try {
    const cause = z.object({ errorMessage: z.string() }).safeParse(JSON.parse(parsed.data.Cause ?? ""));
    if (cause.success) return cause.data.errorMessage;
  } catch {}
  return parsed.data.Error ?? "the run failed";
}

const location = (m: z.infer<typeof manifest>) => (m ? { manifest: `s3://${m.Bucket}/${m.Key}` } : {});

export interface MemberImportDeps {
  jobs: ImportJobStore;
  members: MemberRepository;
  programs: { inEffectAt(at: string): Promise<Program | undefined> };
  clock: () => Date;
  logger: Logger;
}

export function createMemberImportHandler(deps: MemberImportDeps) {
  return middy(async (raw: unknown) => {
    const event = memberImportEventSchema.parse(raw);
    switch (event.action) {
      case "start": {
        const answer = await startImport(deps, event);
        deps.logger.info("import start", { key: event.key, proceed: answer.proceed });
        return answer;
      }
      case "batch": {
        const program = await deps.programs.inEffectAt(event.job.importedAt);
        if (!program) throw new Error("no program is in effect");
        const {
          rejectedRows: _rows,
          problems,
          ...result
        } = await runBatch({ ...deps, program }, event.job, event.pass, event.items);
        return { ...result, problems: problems.slice(0, MAX_RESULT_PROBLEMS) };
      }
      case "checked":
        return finishCheck(deps, {
          importId: event.importId,
          attempt: event.attempt,
          ...location(event.manifest),
        });
      case "finish": {
        const error = errorOf(event.error);
        const job = await finishImport(deps, {
          importId: event.importId,
          attempt: event.attempt,
          ...location(event.manifest),
          ...(error !== undefined && { error }),
        });
        deps.logger.info("import finished", { importId: event.importId, status: job?.status });
        return { importId: event.importId, status: job?.status };
      }
    }
  }).use(injectLambdaContext(deps.logger));
}

export const handler = onFirstCall(() => {
  const config = memberImportConfig();
  const client = createDynamoClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION });
  const tableName = config.TABLE_NAME;
  const programs = createProgramRepository({ client, tableName });
  // One program per attempt's time: every batch of an attempt judges its rows by the same one.
  const cache = new Map<string, Promise<Program | undefined>>();
  return createMemberImportHandler({
    jobs: createImportJobStore({ client, tableName }),
    members: createMemberRepository({ client, tableName }),
    programs: {
      inEffectAt: (at) => {
        if (cache.size > 16) cache.clear();
        if (!cache.has(at)) cache.set(at, programs.inEffectAt(at));
        return cache.get(at) as Promise<Program | undefined>;
      },
    },
    clock: () => new Date(),
    logger: createLogger(),
  });
});
