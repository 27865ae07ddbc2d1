import * as z from "zod";
import { rewardSchema } from "../../domain/program/frequency-schema";
import { type Program, programSchema } from "../../domain/program/program-schema";
import { supersededBy, versionStatus } from "../../domain/program/program-timeline";
import { planRewardChange } from "../../domain/program/reward-change";
import { formatZodIssues } from "../../events/validation-errors";
import { type ProgramVersion, ProgramVersionConflict } from "../adapters/dynamo/program-repository";
import { emailPreviewRoute } from "./email-preview";
import { ConflictError, HttpError, UnprocessableError } from "./http-errors";
import type { HttpApiDeps } from "./member-access";
import { previewProgram, previewRequestSchema, previewResultSchema } from "./program-preview";
import { defineRoute, type Route } from "./route";

// Marketer routes for the program and its rewards catalogue. Every change publishes a new immutable
// version (who, when, diff, effectiveFrom); the catalogue is part of the program. The version in effect at
// any time is the highest one whose effectiveFrom has passed (domain/program/program-timeline.ts).

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

const publishedProgramSchema = programVersionSchema.extend({
  supersedes: z
    .array(z.int())
    .describe("Scheduled versions this one starts at or before: they will never take effect"),
});

const rebasedSchema = z.object({
  version: z.int(),
  effectiveFrom: z.string(),
  supersedes: z.int().describe("The scheduled version it replaces: the same program with this reward set"),
});

const publishedRewardSchema = programVersionSchema.extend({
  rebased: z
    .array(rebasedSchema)
    .describe(
      "Versions published with this one, one per scheduled version, so the reward holds after they start",
    ),
});

const versionHistorySchema = z.object({
  versions: z.array(
    z.object({
      ...versionMeta,
      status: z
        .enum(["in-effect", "scheduled", "superseded", "retired"])
        .describe(
          "Now: in effect; scheduled to take effect; superseded (a later version starts at or before it, so it never takes effect); retired (was in effect)",
        ),
      supersededBy: z
        .int()
        .optional()
        .describe("The later version that keeps a superseded one from taking effect"),
      diff: z.array(changeSchema),
      diffTruncated: z.boolean(),
    }),
  ),
});

const storedVersionSchema = z.object({
  ...versionMeta,
  program: programSchema.describe("The program document as published"),
});
const versionParams = z.object({
  version: z.coerce.number().int().min(1).describe("Program version number"),
});

const rewardsSchema = z.object({ version: z.int(), rewards: z.array(rewardSchema) });
const rewardParams = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a reward id slug"),
});
const rewardBodySchema = rewardSchema.omit({ rewardId: true });

/** The program's checks no JSON Schema states (domain/program/program-consistency.ts and the field rules). */
const CROSS_FIELD_RULES =
  "Besides its schema, a program must be consistent, or the answer is 400 naming each field: rule ids, offer ids and interaction cap periods are unique; " +
  "every category and reward a rule names is declared; the first tier's threshold is 0 and thresholds rise; promotions and rewards end after they start; " +
  "a milestone gives bonusPoints or a rewardId; an interaction cap has maxCount or maxPoints; points do not expire before the pending period ends; " +
  "a percent-off offer is at most 90 and a reward offer (only it) names a catalogue reward; in retention, minGapDays ≤ maxGapDays, lapsedFactor > atRiskFactor, win-back steps' afterDays rise, " +
  "quiet hours start and end differ, and defaultTimeZone is a zone the time zone database knows.";

function noProgram(): HttpError {
  return new HttpError(404, "no-program", "No program", "No program has been published yet.");
}

async function latestOrThrow(deps: HttpApiDeps): Promise<ProgramVersion> {
  const latest = await deps.programs.latest({ fresh: true });
  if (!latest) throw noProgram();
  return latest;
}

/**
 * Checks the version sequence and the lead time, then publishes `programs` (consecutive versions) all or
 * none. Returns them and every version there is now.
 */
async function publish(deps: HttpApiDeps, programs: readonly Program[], actor: string, now: Date) {
  const before = await deps.programs.listVersions({ fresh: true });
  const latest = before.at(-1);
  const expected = (latest?.version ?? 0) + 1;
  if (programs[0]?.version !== expected) {
    throw new ConflictError(
      `version must be ${expected} (the latest published version is ${latest?.version ?? "none"}); reload and edit the latest version`,
      "program-version-conflict",
    );
  }
  const earliest = now.getTime() + deps.programs.minimumLeadMs;
  // The first version may start in the past: nothing was processed under another program before it.
  if (latest && programs.some((p) => Date.parse(p.effectiveFrom) < earliest)) {
    throw new UnprocessableError("effectiveFrom is too early", "effective-from-too-early", [
      {
        path: "effectiveFrom",
        message: `must be at or after ${new Date(earliest).toISOString()}: events already processed stay under the version in effect when they occurred, and running functions refresh their program cache within ${deps.programs.minimumLeadMs / 1000} s`,
      },
    ]);
  }
  try {
    const published = await deps.programs.publishAll(programs, actor);
    return { published, all: [...before, ...published] };
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
      summary: "Publish a new program version",
      description:
        "`version` must be the latest + 1; `effectiveFrom` at least the cache TTL (60 s) ahead. Invalid programs are answered with a problem naming each field. " +
        "The version in effect at any time is the highest one whose `effectiveFrom` has passed: a new version takes over from its `effectiveFrom`, and a scheduled version that it starts at or before never takes effect (`supersedes` lists them).",
      rules: CROSS_FIELD_RULES,
      access: "marketer",
      body: programSchema,
      response: { status: 201, description: "The published version", schema: publishedProgramSchema },
      problems: [409, 422],
      handle: async ({ body, principal, now }) => {
        const { published, all } = await publish(deps, [body], principal.actor, now);
        const [record] = published;
        if (!record) throw new Error("nothing published");
        const supersedes = all.filter((v) => supersededBy(all, v)?.version === record.version);
        return { ...view(record), supersedes: supersedes.map((v) => v.version) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/program/versions",
      operationId: "getProgramVersions",
      summary:
        "Audit trail: every version with who published it, when, its effective time, its status now and the diff",
      access: "marketer",
      response: { status: 200, description: "Newest first", schema: versionHistorySchema },
      handle: async ({ now }) => {
        const versions = await deps.programs.listVersions({ fresh: true });
        return {
          versions: [...versions].reverse().map(({ program: _p, ...meta }) => {
            const by = supersededBy(versions, meta)?.version;
            return {
              ...meta,
              status: versionStatus(versions, meta, now),
              ...(by !== undefined && { supersededBy: by }),
            };
          }),
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/program/versions/{version}",
      operationId: "getProgramVersion",
      summary: "One published program version as stored, with who published it and when it takes effect",
      description:
        "Any version, in effect, scheduled, superseded or retired; diff two of them with domain/program/program-diff.ts.",
      access: "marketer",
      params: versionParams,
      response: { status: 200, description: "The version", schema: storedVersionSchema },
      problems: [404],
      handle: async ({ params }) => {
        const found = await deps.programs.getVersion(params.version);
        if (!found)
          throw new HttpError(
            404,
            "no-program-version",
            "No such program version",
            `Program version ${params.version} was never published.`,
          );
        const { version, effectiveFrom, publishedAt, publishedBy, program } = found;
        return { version, effectiveFrom, publishedAt, publishedBy, program };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/program/preview",
      operationId: "previewProgram",
      summary: "What-if of a draft program against a bounded sample of recently active members",
      description:
        "Reads at most days × 8 index Queries + maxMembers × (1 GetItem + 1 Query); days ≤ 90, maxMembers ≤ 500. Nothing is written.",
      rules: CROSS_FIELD_RULES,
      access: "marketer",
      body: previewRequestSchema,
      response: { status: 200, description: "Impact on the sample", schema: previewResultSchema },
      problems: [503],
      handle: async ({ body, now }) => previewProgram(deps, body, now),
    }),
    emailPreviewRoute(deps),
    defineRoute({
      method: "GET",
      path: "/rewards",
      operationId: "getRewards",
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
      summary: "Add or replace one reward; publishes a new program version effective after the cache TTL",
      description:
        "Sets the reward in the version in effect and in every scheduled version: besides the version that starts after the cache TTL (60 s), one version is published per scheduled version, from the same `effectiveFrom`, with the reward set (`rebased`); each supersedes the scheduled version it copies, so the new reward holds after it starts and every scheduled change still happens when planned. All are published or none. " +
        "Refused with 409 `reward-change-scheduled` when a scheduled version itself changes this reward: edit that version with `PUT /program` instead.",
      access: "marketer",
      params: rewardParams,
      body: rewardBodySchema,
      response: { status: 201, description: "The published versions", schema: publishedRewardSchema },
      problems: [404, 409, 422],
      handle: async ({ params, body, principal, now }) => {
        await latestOrThrow(deps);
        const versions = await deps.programs.listVersions({ fresh: true });
        const plan = planRewardChange({
          versions: versions.map((v) => v.program),
          reward: { ...body, rewardId: params.id },
          from: new Date(now.getTime() + deps.programs.minimumLeadMs).toISOString(),
        });
        if (!plan.ok) {
          const { version, effectiveFrom } = plan.conflict;
          throw new ConflictError(
            `version ${version}, scheduled from ${effectiveFrom}, changes reward ${params.id} itself; change the reward in that version with PUT /program (a new version that starts at or before it supersedes it), or once it has taken effect`,
            "reward-change-scheduled",
          );
        }
        const programs = plan.versions.map(({ program }) => {
          const parsed = programSchema.safeParse(program);
          if (parsed.success) return parsed.data;
          throw new UnprocessableError(
            `Version ${program.version} with this reward is invalid`,
            "invalid-program",
            formatZodIssues(parsed.error.issues),
          );
        });
        const { published } = await publish(deps, programs, principal.actor, now);
        const [first, ...rest] = published;
        if (!first) throw noProgram();
        return {
          ...view(first),
          rebased: rest.map((record, i) => ({
            version: record.version,
            effectiveFrom: record.effectiveFrom,
            supersedes: plan.versions[i + 1]?.rebases ?? record.version,
          })),
        };
      },
    }),
  ];
}
