import * as z from "zod";
import { rewardSchema } from "../../domain/program/frequency-schema";
import { type Program, programSchema } from "../../domain/program/program-schema";
import { formatZodIssues } from "../../events/validation-errors";
import { type ProgramVersion, ProgramVersionConflict } from "../adapters/dynamo/program-repository";
import { ConflictError, HttpError, UnprocessableError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { previewProgram, previewRequestSchema, previewResultSchema } from "./program-preview";
import { defineRoute, type Route } from "./route";

// Marketer routes for the program and its rewards catalogue. Every change publishes a new immutable
// version (who, when, diff, effectiveFrom); the catalogue is part of the program.

const changeSchema = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

const versionMeta = {
  version: z.int(),
  effectiveFrom: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
};

export const programVersionSchema = z.object({
  ...versionMeta,
  inEffectVersion: z.int().optional().describe("Version in effect now (may be older than a scheduled one)"),
  program: programSchema,
});

const versionHistorySchema = z.object({
  versions: z.array(z.object({ ...versionMeta, diff: z.array(changeSchema), diffTruncated: z.boolean() })),
});

const rewardsSchema = z.object({ version: z.int(), rewards: z.array(rewardSchema) });
const rewardParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a reward id slug"),
});
const rewardBodySchema = rewardSchema.omit({ rewardId: true });

function noProgram(): HttpError {
  return new HttpError(404, "no-program", "No program", "No program has been published yet.");
}

async function latestOrThrow(deps: HttpApiDeps): Promise<ProgramVersion> {
  const latest = await deps.programs.latest({ fresh: true });
  if (!latest) throw noProgram();
  return latest;
}

/** Checks the version sequence and the lead time, then publishes. */
async function publish(deps: HttpApiDeps, program: Program, actor: string, now: Date) {
  const latest = await deps.programs.latest({ fresh: true });
  const expected = (latest?.version ?? 0) + 1;
  if (program.version !== expected) {
    throw new ConflictError(
      `version must be ${expected} (the latest published version is ${latest?.version ?? "none"}); reload and edit the latest version`,
      "program-version-conflict",
    );
  }
  const earliest = now.getTime() + deps.programs.minimumLeadMs;
  // The first version may start in the past: nothing was processed under another program before it.
  if (latest && Date.parse(program.effectiveFrom) < earliest) {
    throw new UnprocessableError("effectiveFrom is too early", "effective-from-too-early", [
      {
        path: "effectiveFrom",
        message: `must be at or after ${new Date(earliest).toISOString()}: events already processed stay under the version in effect when they occurred, and running functions refresh their program cache within ${deps.programs.minimumLeadMs / 1000} s`,
      },
    ]);
  }
  try {
    return await deps.programs.publish(program, actor);
  } catch (error) {
    if (error instanceof ProgramVersionConflict)
      throw new ConflictError(error.message, "program-version-conflict");
    throw error;
  }
}

function view(version: ProgramVersion, inEffect?: number) {
  const { diff: _diff, diffTruncated: _truncated, ...rest } = version;
  return { ...rest, ...(inEffect !== undefined && { inEffectVersion: inEffect }) };
}

export function programRoutes(deps: HttpApiDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      path: "/program",
      operationId: "getProgram",
      tag: "marketer",
      summary: "The latest program version (possibly scheduled) and the version in effect now",
      access: "marketer",
      response: { status: 200, description: "Latest version", schema: programVersionSchema },
      problems: [404],
      handle: async ({ now }) => {
        const latest = await latestOrThrow(deps);
        return view(latest, (await deps.programs.inEffectAt(now))?.version);
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/program",
      operationId: "putProgram",
      tag: "marketer",
      summary: "Publish a new program version",
      description:
        "`version` must be the latest + 1; `effectiveFrom` at least the cache TTL (60 s) ahead. Invalid programs are answered with a problem naming each field.",
      access: "marketer",
      body: programSchema,
      response: { status: 201, description: "The published version", schema: programVersionSchema },
      problems: [409, 422],
      handle: async ({ body, principal, now }) => view(await publish(deps, body, principal.actor, now)),
    }),
    defineRoute({
      method: "GET",
      path: "/program/versions",
      operationId: "getProgramVersions",
      tag: "marketer",
      summary: "Audit trail: every version with who published it, when, its effective time and the diff",
      access: "marketer",
      response: { status: 200, description: "Newest first", schema: versionHistorySchema },
      handle: async () => {
        const versions = await deps.programs.listVersions({ fresh: true });
        return { versions: [...versions].reverse().map(({ program: _p, ...meta }) => meta) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/program/preview",
      operationId: "previewProgram",
      tag: "marketer",
      summary: "What-if of a draft program against a bounded sample of recently active members",
      description:
        "Reads at most days × 8 index Queries + maxMembers × (1 GetItem + 1 Query); days ≤ 90, maxMembers ≤ 500. Nothing is written.",
      access: "marketer",
      body: previewRequestSchema,
      response: { status: 200, description: "Impact on the sample", schema: previewResultSchema },
      problems: [503],
      handle: async ({ body, now }) => previewProgram(deps, body, now),
    }),
    defineRoute({
      method: "GET",
      path: "/rewards",
      operationId: "getRewards",
      tag: "marketer",
      summary: "The rewards catalogue of the latest program version",
      access: "marketer",
      response: { status: 200, description: "Catalogue", schema: rewardsSchema },
      problems: [404],
      handle: async () => {
        const latest = await latestOrThrow(deps);
        return { version: latest.version, rewards: latest.program.rewards };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/rewards/{id}",
      operationId: "putReward",
      tag: "marketer",
      summary: "Add or replace one reward; publishes a new program version effective after the cache TTL",
      access: "marketer",
      params: rewardParams,
      body: rewardBodySchema,
      response: { status: 201, description: "The published version", schema: programVersionSchema },
      problems: [404, 409, 422],
      handle: async ({ params, body, principal, now }) => {
        const latest = await latestOrThrow(deps);
        const reward = { ...body, rewardId: params.id };
        const others = latest.program.rewards.filter((r) => r.rewardId !== params.id);
        const exists = others.length !== latest.program.rewards.length;
        const rewards = exists
          ? latest.program.rewards.map((r) => (r.rewardId === params.id ? reward : r))
          : [...others, reward];
        const effectiveFrom = new Date(now.getTime() + deps.programs.minimumLeadMs).toISOString();
        const next = programSchema.safeParse({
          ...latest.program,
          version: latest.version + 1,
          effectiveFrom,
          rewards,
        });
        if (!next.success) {
          throw new UnprocessableError(
            "The program with this reward is invalid",
            "invalid-program",
            formatZodIssues(next.error.issues),
          );
        }
        return view(await publish(deps, next.data, principal.actor, now));
      },
    }),
  ];
}
