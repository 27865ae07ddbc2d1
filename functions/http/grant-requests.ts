import {
  type GrantAudience,
  grantLiability,
  grantNeedsApproval,
  grantProblems,
} from "../../domain/grants/grant-points";
import type { Program } from "../../domain/program/program-schema";
import { utcDay } from "../../domain/time";
import { type StoredGrant, sumParts } from "../adapters/dynamo/grant-store";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import { DEFAULT_SCAN_PARTS, partsOf } from "../grants/grant-audience";
import { decisionTrailView, partyOf } from "./four-eyes";
import type { GrantPreviewView, GrantRequest, GrantView } from "./grant-schemas";
import { ConflictError, HttpError, orNotFound, UnprocessableError, ValidationError } from "./http-errors";
import { type HttpApiDeps, programInEffectNow } from "./member-access";
import type { Principal } from "./principal";

// Bulk grants (domain/grants): a preview counts the audience and prices the liability; a request stores the
// grant, approved at once when its total points are within the program's approval threshold
// (controls.adjustments.approvalThreshold, the adjustments' control) and pending a second marketer otherwise.
// Nothing is credited here: the run (functions/grants/run-grant.ts) does that, each member once.

/** Deterministic from the marketer and their Idempotency-Key, so a retried request finds its grant. */
export const grantIdOf = (sub: string, idempotencyKey: string): string =>
  payloadFingerprint({ grant: idempotencyKey, by: sub });

/** The audience the request names, checked against the program; the listed ids deduplicated. */
function audienceOf(
  request: GrantRequest,
  program: Program,
): { audience: GrantAudience; memberIds?: string[] } {
  const { segment, tier, stage, memberIds } = request.audience;
  const named = [segment, tier, stage, memberIds].filter((v) => v !== undefined).length;
  if (named !== 1)
    throw new ValidationError([
      { path: "audience", message: "must name exactly one of segment, tier, stage or memberIds" },
    ]);
  if (segment !== undefined) return { audience: { kind: "segment", segment } };
  if (stage !== undefined) return { audience: { kind: "stage", stage } };
  if (tier !== undefined) {
    if (!program.tiers.some((t) => t.id === tier))
      throw new ValidationError([
        {
          path: "audience.tier",
          message: `must be a tier of the program in effect (${program.tiers.map((t) => t.id).join(", ")})`,
        },
      ]);
    return { audience: { kind: "tier", tierId: tier } };
  }
  const unique = [...new Set(memberIds)];
  return { audience: { kind: "list", size: unique.length }, memberIds: unique };
}

function checkGrant(request: GrantRequest, now: Date): void {
  const problems = grantProblems(request, utcDay(now));
  if (problems.length > 0)
    throw new ValidationError(problems.map((p) => ({ path: p.field, message: p.message })));
}

async function preview(deps: HttpApiDeps, request: GrantRequest, now: Date) {
  checkGrant(request, now);
  const program = await programInEffectNow(deps, now);
  const { audience, memberIds } = audienceOf(request, program);
  const members = await deps.audiences.count(audience, memberIds ? { memberIds } : {});
  const liability = grantLiability(request.points, members, program.retention.offers.pointCostMinor);
  const threshold = program.controls.adjustments.approvalThreshold;
  return {
    program,
    audience,
    memberIds,
    view: {
      members,
      totalPoints: liability.points,
      costMinor: liability.costMinor,
      currency: program.currency,
      needsApproval: grantNeedsApproval(liability.points, program.controls.adjustments),
      approvalThreshold: threshold,
    } satisfies GrantPreviewView,
  };
}

/** POST /grants/preview: the audience's size and the grant's liability; writes nothing. */
export async function previewGrant(
  deps: HttpApiDeps,
  request: GrantRequest,
  now: Date,
): Promise<GrantPreviewView> {
  return (await preview(deps, request, now)).view;
}

export async function grantView(deps: HttpApiDeps, grant: StoredGrant): Promise<GrantView> {
  const { failed, partsDone, ...counts } = sumParts(await deps.grants.listParts(grant.grantId));
  const a = grant.audience;
  return {
    grantId: grant.grantId,
    status: grant.status,
    points: grant.points,
    reason: grant.reason,
    ...(grant.expiresOn && { expiresOn: grant.expiresOn }),
    audience: {
      ...(a.kind === "segment" && { segment: a.segment }),
      ...(a.kind === "tier" && { tier: a.tierId }),
      ...(a.kind === "stage" && { stage: a.stage }),
      ...(a.kind === "list" && { listedMembers: a.size }),
    },
    needsApproval: grant.needsApproval,
    ...decisionTrailView(grant),
    preview: grant.preview,
    progress: { parts: grant.parts, partsDone, failed, ...counts },
    ...(grant.error && { error: grant.error }),
    ...(grant.finishedAt && { finishedAt: grant.finishedAt }),
  };
}

export async function getGrant(deps: HttpApiDeps, grantId: string): Promise<StoredGrant> {
  return orNotFound(await deps.grants.get(grantId), `No grant ${grantId}`);
}

/** POST /grants: stores the grant (once per Idempotency-Key), approved or pending a second marketer. */
export async function requestGrant(
  deps: HttpApiDeps,
  input: { request: GrantRequest; idempotencyKey: string; principal: Principal; now: Date },
): Promise<GrantView> {
  const { request, idempotencyKey, principal, now } = input;
  const store = deps.grants;
  const grantId = grantIdOf(principal.sub, idempotencyKey);
  const payload = payloadFingerprint(request);
  let grant = await store.get(grantId);
  if (!grant) {
    const { view, audience, memberIds } = await preview(deps, request, now);
    const created: StoredGrant = {
      grantId,
      points: request.points,
      reason: request.reason,
      ...(request.expiresOn !== undefined && { expiresOn: request.expiresOn }),
      audience,
      status: view.needsApproval ? "pending-approval" : "approved",
      needsApproval: view.needsApproval,
      requestedBy: partyOf(principal),
      requestedAt: now.toISOString(),
      preview: {
        members: view.members,
        totalPoints: view.totalPoints,
        costMinor: view.costMinor,
        currency: view.currency,
      },
      parts: partsOf(audience, store.listChunkSize, DEFAULT_SCAN_PARTS),
      payload,
      idempotencyKey,
    };
    grant = (await store.create(created, memberIds)) === "created" ? created : await store.get(grantId);
    if (!grant) throw new Error(`grant ${grantId} was reported stored but is not`);
  }
  if (grant.payload !== payload)
    throw new UnprocessableError(
      "This Idempotency-Key was already used for a different request; use a new key for a new request.",
      "idempotency-key-reused",
    );
  return grantView(deps, grant);
}

/** POST /grants/{id}/approve and /reject: a pending grant decided by a marketer (approval: not its requester). */
export async function decideGrant(
  deps: HttpApiDeps,
  input: { grantId: string; decision: "approve" | "reject"; principal: Principal; now: Date },
): Promise<GrantView> {
  const store = deps.grants;
  const grant = await getGrant(deps, input.grantId);
  const me = partyOf(input.principal);
  const approve = input.decision === "approve";
  if (approve && grant.requestedBy.sub === me.sub)
    throw new HttpError(
      403,
      "self-approval",
      "Forbidden",
      "You requested this grant; a different marketer must approve it.",
    );
  if (!grant.needsApproval)
    throw new ConflictError(
      "This grant was within the approval threshold and needs no approval.",
      "not-approvable",
    );
  const to = approve ? "approved" : "rejected";
  const decision = { by: me, at: input.now.toISOString() };
  if (await store.transition(grant.grantId, { from: ["pending-approval"], to, decision }))
    return grantView(deps, { ...grant, status: to, decidedBy: me, decidedAt: decision.at });
  const now = await getGrant(deps, input.grantId);
  // The same decision again (a retry) answers the grant as it stands.
  if ((now.status === "rejected") === !approve && now.decidedBy?.sub === me.sub) return grantView(deps, now);
  throw new ConflictError(
    `This grant is ${now.status}${now.decidedBy ? ` (decided by ${now.decidedBy.name})` : ""}; it can no longer be ${approve ? "approved" : "rejected"}.`,
    "grant-decided",
  );
}
