import { spendableBalance } from "../../domain/ledger/lots";
import { adjustPoints } from "../../domain/member/adjust-points";
import {
  type AdjustmentParty,
  dailyLimitCheck,
  decideApproval,
  decideRejection,
  needsApproval,
} from "../../domain/member/adjustment-controls";
import type { AdjustmentControls } from "../../domain/program/controls-schema";
import { utcDay } from "../../domain/time";
import type { AdjustmentStore, StoredAdjustment } from "../adapters/dynamo/adjustment-store";
import { payloadFingerprint } from "../adapters/dynamo/keys";
import type { AdjustmentRequestView, AdjustmentResult } from "./adjustment-schemas";
import { decisionTrailView, partyOf } from "./four-eyes";
import {
  ConflictError,
  HttpError,
  NotFoundError,
  orNotFound,
  toHttpError,
  UnprocessableError,
} from "./http-errors";
import { changeMember, type HttpApiDeps, programInEffectNow } from "./member-access";
import type { Principal } from "./principal";
import { Reply } from "./route";

// Manual adjustments under the program's controls (domain/member/adjustment-controls.ts): each request is
// stored and charged to its marketer's daily limit first; one over the approval threshold then waits for a
// second marketer, the others are applied at once. Applying goes through the member's business key
// `adjustment:<member>:<Idempotency-Key>`, so an adjustment is applied exactly once however often it is
// retried or approved.

export interface AdjustmentInput {
  memberId: string;
  idempotencyKey: string;
  points: number;
  reason: string;
  principal: Principal;
  now: Date;
}

/** A refusal that applied nothing (a 4xx: the member's balance, a gone member…), not a failure to retry. */
const isRefusal = (error: unknown): boolean => {
  const status = toHttpError(error)?.status;
  return status !== undefined && status < 500;
};

/** Deterministic from member and key, so a retried request finds its first record. */
export const adjustmentIdOf = (memberId: string, idempotencyKey: string): string =>
  payloadFingerprint({ memberId, idempotencyKey });

export function requestView(request: StoredAdjustment): AdjustmentRequestView {
  return {
    adjustmentId: request.adjustmentId,
    memberId: request.memberId,
    points: request.points,
    reason: request.reason,
    status: request.status,
    ...decisionTrailView(request),
    ...(request.ledgerEntryId && { ledgerEntryId: request.ledgerEntryId }),
  };
}

function dailyLimitError(controls: AdjustmentControls, used: number, charge: number, now: Date): HttpError {
  const limit = controls.dailyLimitPerMarketer;
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return new HttpError(
    429,
    "daily-adjustment-limit",
    "Daily adjustment limit reached",
    `The daily adjustment limit (program controls.adjustments.dailyLimitPerMarketer) is ${limit} points per marketer per UTC day; ` +
      `${used} are used today and this adjustment needs ${charge}. It resets at 00:00 UTC.`,
    [
      {
        path: "points",
        message: `exceeds the daily adjustment limit of ${limit} points (${used} used today)`,
      },
    ],
    { "retry-after": String(Math.max(1, Math.ceil((midnight - now.getTime()) / 1000))) },
  );
}

/** Applies a stored request to the member (once, by its business key) and answers as the 201 does. */
async function applyRequest(
  deps: HttpApiDeps,
  request: StoredAdjustment,
  now: Date,
  approvedBy?: AdjustmentParty,
): Promise<AdjustmentResult> {
  const adjustmentKey = `adjustment:${request.memberId}:${request.idempotencyKey}`;
  const change = await changeMember(deps, {
    memberId: request.memberId,
    sourceKey: adjustmentKey,
    request: { points: request.points, reason: request.reason },
    now,
    run: (state, program) =>
      adjustPoints(
        state,
        program,
        {
          amount: request.points,
          reason: request.reason,
          actor: request.requestedBy.name,
          adjustmentKey,
          ...(approvedBy && { approvedBy: approvedBy.name }),
        },
        now,
      ),
    answer: (result) => ({
      adjustmentId: request.adjustmentId,
      status: "applied" as const,
      memberId: request.memberId,
      ledgerEntryId: result.entries.find((e) => e.kind === "adjust")?.entryId ?? adjustmentKey,
      points: request.points,
      spendable: spendableBalance(result.state),
      actor: request.requestedBy.name,
    }),
  });
  // Answers stored before adjustments had ids lack the two fields a replay now promises.
  return { ...change.answer, adjustmentId: request.adjustmentId, status: "applied" };
}

/** POST /members/{id}/adjustments: 201 with the adjustment, or 202 with the request awaiting approval. */
export async function requestAdjustment(
  deps: HttpApiDeps,
  input: AdjustmentInput,
): Promise<Reply<AdjustmentResult | AdjustmentRequestView>> {
  const { memberId, idempotencyKey, points, reason, principal, now } = input;
  const store = deps.adjustments;
  const adjustmentId = adjustmentIdOf(memberId, idempotencyKey);
  const payload = payloadFingerprint({ points, reason });
  let request = await store.get(adjustmentId);
  if (!request) {
    const controls = (await programInEffectNow(deps, now)).controls.adjustments;
    if (!(await deps.members.getMember(memberId))) throw new NotFoundError(`No member ${memberId}`);
    const limit = dailyLimitCheck(points, controls);
    const approval = needsApproval(points, controls);
    const created: StoredAdjustment = {
      adjustmentId,
      memberId,
      points,
      reason,
      status: approval ? "pending" : "applying",
      needsApproval: approval,
      requestedBy: partyOf(principal),
      requestedAt: now.toISOString(),
      payload,
      idempotencyKey,
      chargedDay: utcDay(now),
    };
    const outcome = limit.fits ? await store.create(created, limit) : "over-limit";
    if (outcome === "over-limit")
      throw dailyLimitError(
        controls,
        await store.usedOn(principal.sub, created.chargedDay),
        limit.charge,
        now,
      );
    request = outcome === "created" ? created : await store.get(adjustmentId);
    if (!request) throw new Error(`adjustment ${adjustmentId} was reported stored but is not`);
  }
  if (request.payload !== payload)
    throw new UnprocessableError(
      "This Idempotency-Key was already used for a different request; use a new key for a new request.",
      "idempotency-key-reused",
    );
  // A retry gets the request as it stands now (pending, or approved since).
  if (request.needsApproval) return new Reply(requestView(request), 202);
  let result: AdjustmentResult;
  try {
    result = await applyRequest(deps, request, now);
  } catch (error) {
    // Refused (e.g. not enough points): nothing applied, so nothing charged.
    if (isRefusal(error) && request.status === "applying") await store.release(request);
    throw error;
  }
  await store.transition(adjustmentId, {
    from: ["applying"],
    to: "applied",
    ledgerEntryId: result.ledgerEntryId,
  });
  return new Reply(result, 201);
}

export async function getAdjustment(deps: HttpApiDeps, adjustmentId: string): Promise<StoredAdjustment> {
  return orNotFound(await deps.adjustments.get(adjustmentId), `No adjustment ${adjustmentId}`);
}

const CLAIM_ATTEMPTS = 3;

/** The 409 for a decision the request rules out: it was under the threshold, or was decided the other way. */
function cannotDecide(
  asked: "approved" | "rejected",
  why: { kind: "not-approvable" } | { kind: "decided"; by: AdjustmentParty | undefined },
): ConflictError {
  if (why.kind === "not-approvable")
    return new ConflictError(
      asked === "approved"
        ? "This adjustment was under the approval threshold and needs no approval."
        : "This adjustment was under the approval threshold and was applied.",
      "not-approvable",
    );
  const other = asked === "approved" ? "rejected" : "approved";
  return new ConflictError(
    `This adjustment was ${other}${why.by ? ` by ${why.by.name}` : ""}; it cannot be ${asked}.`,
    `adjustment-${other}`,
  );
}

/** A decision asked of one request: which, by whom, when. */
interface DecisionRequest {
  adjustmentId: string;
  principal: Principal;
  now: Date;
}

/**
 * Runs `attempt` on the request as stored now until it answers; it answers undefined when a concurrent decision
 * won the race, and after CLAIM_ATTEMPTS such races the answer is 409 adjustment-busy.
 */
async function decideRacing(
  deps: HttpApiDeps,
  input: DecisionRequest,
  attempt: (
    request: StoredAdjustment,
    me: AdjustmentParty,
    store: AdjustmentStore,
  ) => Promise<AdjustmentRequestView | undefined>,
): Promise<AdjustmentRequestView> {
  const store = deps.adjustments;
  const me = partyOf(input.principal);
  for (let n = 1; n <= CLAIM_ATTEMPTS; n += 1) {
    const answer = await attempt(await getAdjustment(deps, input.adjustmentId), me, store);
    if (answer) return answer;
  }
  throw new ConflictError("The adjustment is being decided by another marketer; retry.", "adjustment-busy");
}

/** POST /adjustments/{id}/approve: a marketer other than the requester applies a pending request, once. */
export async function approveAdjustment(
  deps: HttpApiDeps,
  input: DecisionRequest,
): Promise<AdjustmentRequestView> {
  return decideRacing(deps, input, async (request, me, store) => {
    const decision = decideApproval(request, me);
    switch (decision.kind) {
      case "self-approval":
        throw new HttpError(
          403,
          "self-approval",
          "Forbidden",
          "You requested this adjustment; a different marketer must approve it.",
        );
      case "not-approvable":
        throw cannotDecide("approved", decision);
      case "rejected":
        throw cannotDecide("approved", { kind: "decided", by: decision.by });
      case "claim": {
        const decidedAt = input.now.toISOString();
        const claimed = await store.transition(request.adjustmentId, {
          from: ["pending"],
          to: "approving",
          decision: { by: me, at: decidedAt },
        });
        if (!claimed) return undefined;
        const approving = { ...request, status: "approving" as const, decidedBy: me, decidedAt };
        return finishApproval(deps, approving, me, input.now);
      }
      case "finish":
        return finishApproval(deps, request, decision.approver, input.now);
    }
  });
}

async function finishApproval(
  deps: HttpApiDeps,
  request: StoredAdjustment,
  approver: AdjustmentParty,
  now: Date,
): Promise<AdjustmentRequestView> {
  const store = deps.adjustments;
  let result: AdjustmentResult;
  try {
    result = await applyRequest(deps, request, now, approver);
  } catch (error) {
    // Refused (e.g. a debit larger than the balance): the claim is given back.
    if (isRefusal(error))
      await store.transition(request.adjustmentId, {
        from: ["approving"],
        to: "pending",
        requestedAt: request.requestedAt,
        decision: null,
        onlyIfDecidedBy: approver.sub,
      });
    throw error;
  }
  await store.transition(request.adjustmentId, {
    from: ["approving"],
    to: "applied",
    ledgerEntryId: result.ledgerEntryId,
  });
  return requestView({
    ...request,
    status: "applied",
    decidedBy: approver,
    ledgerEntryId: result.ledgerEntryId,
  });
}

/** POST /adjustments/{id}/reject: any marketer (the requester too) turns down a pending request. */
export async function rejectAdjustment(
  deps: HttpApiDeps,
  input: DecisionRequest,
): Promise<AdjustmentRequestView> {
  return decideRacing(deps, input, async (request, me, store) => {
    const decision = decideRejection(request);
    switch (decision.kind) {
      case "not-approvable":
        throw cannotDecide("rejected", decision);
      case "already-approved":
        throw cannotDecide("rejected", { kind: "decided", by: decision.by });
      case "already-rejected":
        return requestView(request);
      case "reject": {
        const decidedAt = input.now.toISOString();
        if (!(await store.reject(request, { by: me, at: decidedAt }))) return undefined;
        return requestView({ ...request, status: "rejected", decidedBy: me, decidedAt });
      }
    }
  });
}
