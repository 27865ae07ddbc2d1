import { InvalidFacts } from "../../domain/errors";
import { type Grant, grantPoints, grantSourceKey } from "../../domain/grants/grant-points";
import type { Program } from "../../domain/program/program-schema";
import type { GrantPart, GrantStore, PartCounts, StoredGrant } from "../adapters/dynamo/grant-store";
import { NO_COUNTS, sumParts } from "../adapters/dynamo/grant-store";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import type { OptimisticRetryOptions } from "../adapters/dynamo/optimistic-retry";
import { backoffDelay, sleep } from "../shared/backoff";
import { type MemberChangeStore, runMemberChange } from "../shared/member-change";
import { type AudienceSource, audiencePage } from "./grant-audience";

// Running an approved grant: its parts (Scan segments or list chunks) each walk their pages; every member of
// a page goes through the one load → decide → commit runner under the business key `grant:<grant>:<member>`,
// a bounded number at a time, so a concurrent purchase is never lost and nobody is credited twice. A page is
// counted (and the part moved past it) only when every member of it is settled; a page with a failure stops
// the part, and the next run does the page again — the members it already credited then come back as
// duplicates. `runGrantPart` is one part for one invocation (a Map state's iteration); `runGrant` is the
// whole run in one process (the local command).

export interface GrantRunDeps extends AudienceSource {
  members: AudienceSource["members"] & MemberChangeStore;
  programs: { inEffectAt(at: Date): Promise<Program | undefined> };
  grants: GrantStore;
  clock: () => Date;
}

export interface GrantRunOptions {
  /** Items one Scan page reads (segment, tier or stage audience). */
  scanPageSize: number;
  /** Ids one page of an uploaded list takes. */
  listPageSize: number;
  /** Members of a page changed at once. */
  concurrency: number;
  /** Tries per member when a change fails (throttling, a network error after the SDK's own retries). */
  memberAttempts: number;
  /** Stop a part after this many pages (an invocation's time budget); it resumes where it stopped. */
  maxPages?: number;
  /** Parts run at once by `runGrant`. */
  partConcurrency: number;
  retry?: OptimisticRetryOptions;
}

export const DEFAULT_GRANT_RUN_OPTIONS: GrantRunOptions = {
  scanPageSize: 500,
  listPageSize: 100,
  concurrency: 16,
  memberAttempts: 3,
  partConcurrency: 4,
};

const DEFAULT_RETRY: OptimisticRetryOptions = { maxAttempts: 25, baseDelayMs: 10, maxDelayMs: 400 };

export class GrantRunError extends Error {
  override readonly name = "GrantRunError";
}

type MemberOutcome = "granted" | "duplicate" | "not-eligible" | "not-found" | { failed: string };

class NotEligible extends Error {}
class MemberGone extends Error {}

/** The grant as the domain takes it, approver included. */
export function grantOf(stored: StoredGrant): Grant {
  return {
    grantId: stored.grantId,
    points: stored.points,
    reason: stored.reason,
    ...(stored.expiresOn !== undefined && { expiresOn: stored.expiresOn }),
    audience: stored.audience,
    actor: stored.requestedBy.name,
    ...(stored.needsApproval && stored.decidedBy && { approvedBy: stored.decidedBy.name }),
  };
}

async function grantMember(
  deps: GrantRunDeps,
  ctx: { grant: Grant; program: Program; payload: string; options: GrantRunOptions },
  memberId: string,
): Promise<MemberOutcome> {
  const { grant, program, options } = ctx;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const outcome = await runMemberChange(
        deps.members,
        {
          memberId,
          sourceKey: grantSourceKey(grant.grantId, memberId),
          payload: ctx.payload,
          program,
          clock: deps.clock,
          unknownMember: () => new MemberGone(),
          decide: (state, now) => {
            // A member merged into another forwards here: that member gets its own share, not a second one.
            if (state.memberId !== memberId) throw new NotEligible();
            const decision = grantPoints(state, program, grant, now);
            if (decision.kind === "not-eligible") throw new NotEligible();
            return decision.result;
          },
        },
        { ...DEFAULT_RETRY, ...options.retry },
      );
      if (outcome.outcome === "committed") return "granted";
      if (outcome.outcome === "duplicate") return "duplicate";
      return { failed: `business key ${outcome.outcome}` };
    } catch (error) {
      if (error instanceof NotEligible) return "not-eligible";
      if (error instanceof MemberGone) return "not-found";
      // The grant itself is wrong now (e.g. its expiry day has passed): no member can get it.
      if (error instanceof InvalidFacts) throw new GrantRunError(`${error.field}: ${error.message}`);
      if (attempt >= options.memberAttempts) return { failed: (error as Error).name || "Error" };
      await sleep(backoffDelay(attempt, { baseMs: 50, capMs: 1_000 }));
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time, results in input order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function tally(outcomes: readonly MemberOutcome[]): PartCounts {
  const counts = { ...NO_COUNTS };
  for (const o of outcomes) {
    counts.processed += 1;
    if (o === "granted" || o === "duplicate") counts.granted += 1;
    if (o === "duplicate") counts.duplicates += 1;
    if (o === "not-eligible") counts.notEligible += 1;
    if (o === "not-found") counts.notFound += 1;
  }
  return counts;
}

async function runningGrant(deps: GrantRunDeps, grantId: string): Promise<StoredGrant> {
  const grant = await deps.grants.get(grantId);
  if (!grant) throw new GrantRunError(`no grant ${grantId}`);
  if (grant.status !== "running") throw new GrantRunError(`grant ${grantId} is ${grant.status}, not running`);
  return grant;
}

export interface PartResult {
  part: number;
  done: boolean;
  pages: number;
}

/** One part of a running grant from where it stands: until it is done, or `maxPages` pages. */
export async function runGrantPart(
  deps: GrantRunDeps,
  input: { grantId: string; part: number },
  overrides: Partial<GrantRunOptions> = {},
): Promise<PartResult> {
  const options = { ...DEFAULT_GRANT_RUN_OPTIONS, ...overrides };
  const stored = await runningGrant(deps, input.grantId);
  const program = await deps.programs.inEffectAt(deps.clock());
  if (!program) throw new GrantRunError("no program is in effect");
  const grant = grantOf(stored);
  const ctx = { grant, program, payload: grantPayload(stored), options };
  let part: GrantPart = await deps.grants.getPart(input.grantId, input.part);
  let pages = 0;
  while (!part.done && (options.maxPages === undefined || pages < options.maxPages)) {
    const page = await audiencePage(deps, {
      grantId: stored.grantId,
      audience: stored.audience,
      part: input.part,
      parts: stored.parts,
      position: part.position,
      size: stored.audience.kind === "list" ? options.listPageSize : options.scanPageSize,
    });
    const outcomes = await mapLimit(page.memberIds, options.concurrency, (id) => grantMember(deps, ctx, id));
    const failures = outcomes.filter((o): o is { failed: string } => typeof o === "object");
    if (failures.length > 0) {
      await deps.grants.recordFailures(stored.grantId, input.part, failures.length);
      throw new GrantRunError(
        `part ${input.part}: ${failures.length} members failed (${failures[0]?.failed}); run the grant again to resume`,
      );
    }
    const moved = await deps.grants.checkpoint(stored.grantId, {
      part: input.part,
      from: part.position,
      next: page.next,
      counts: tally(outcomes),
    });
    // Another runner moved this part on first: it counted the page; stop rather than race it.
    if (!moved) return { part: input.part, done: false, pages };
    pages += 1;
    part = { ...part, done: page.next === undefined, position: page.next };
  }
  return { part: input.part, done: part.done, pages };
}

/** Claims an approved (or interrupted) grant for a run; the parts to run. */
export async function startGrantRun(deps: GrantRunDeps, grantId: string): Promise<{ parts: number[] }> {
  const grant = await deps.grants.get(grantId);
  if (!grant) throw new GrantRunError(`no grant ${grantId}`);
  if (grant.status === "done") return { parts: [] };
  const started = await deps.grants.transition(grantId, {
    from: ["approved", "running", "failed"],
    to: "running",
  });
  if (!started) throw new GrantRunError(`grant ${grantId} is ${grant.status}; only an approved grant runs`);
  return { parts: Array.from({ length: grant.parts }, (_, i) => i) };
}

export interface GrantRunReport extends PartCounts {
  grantId: string;
  status: StoredGrant["status"];
  parts: number;
  partsDone: number;
  failed: number;
  errors: string[];
}

/** After the parts: done when every part is, else failed with the parts' errors (a re-run resumes). */
export async function finishGrantRun(
  deps: GrantRunDeps,
  grantId: string,
  errors: readonly string[] = [],
): Promise<GrantRunReport> {
  const grant = await deps.grants.get(grantId);
  if (!grant) throw new GrantRunError(`no grant ${grantId}`);
  const totals = sumParts(await deps.grants.listParts(grantId));
  let status = grant.status;
  if (status === "running") {
    const done = totals.partsDone === grant.parts;
    status = done ? "done" : "failed";
    await deps.grants.transition(grantId, {
      from: ["running"],
      to: status,
      ...(done
        ? { finishedAt: deps.clock().toISOString() }
        : { error: errors[0] ?? "some parts did not finish; run the grant again to resume" }),
    });
  }
  return { grantId, status, parts: grant.parts, ...totals, errors: [...errors] };
}

/** The whole run in this process: every part (a few at a time), then the grant's final status. */
export async function runGrant(
  deps: GrantRunDeps,
  grantId: string,
  overrides: Partial<GrantRunOptions> = {},
): Promise<GrantRunReport> {
  // Every part to its end: a page budget is for one invocation of a part, not for a whole run.
  const { maxPages: _perInvocation, ...options } = { ...DEFAULT_GRANT_RUN_OPTIONS, ...overrides };
  const { parts } = await startGrantRun(deps, grantId);
  const errors: string[] = [];
  await mapLimit(parts, options.partConcurrency, async (part) => {
    try {
      await runGrantPart(deps, { grantId, part }, options);
    } catch (error) {
      errors.push((error as Error).message);
    }
  });
  return finishGrantRun(deps, grantId, errors);
}

/** The fingerprint a grant's business keys promise: the same grant id always means the same grant. */
export const grantPayload = (grant: Pick<StoredGrant, "points" | "reason" | "expiresOn">): string =>
  payloadFingerprint({ grant: { points: grant.points, reason: grant.reason, expiresOn: grant.expiresOn } });
