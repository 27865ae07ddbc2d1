import { describe, expect, it } from "vitest";
import {
  type AdjustmentRequestRecord,
  dailyLimitCheck,
  decideApproval,
  decideRejection,
  needsApproval,
} from "../../../domain/member/adjustment-controls";
import {
  DEFAULT_APPROVAL_THRESHOLD,
  DEFAULT_DAILY_ADJUSTMENT_LIMIT,
} from "../../../domain/program/controls-schema";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { programSchema } from "../../../domain/program/program-schema";

const controls = { approvalThreshold: 500, dailyLimitPerMarketer: 2_000 };
const alice = { sub: "sub-alice", name: "alice" };
const bob = { sub: "sub-bob", name: "bob" };
const request = (over: Partial<AdjustmentRequestRecord> = {}): AdjustmentRequestRecord => ({
  adjustmentId: "a".repeat(22),
  memberId: "m-1",
  points: 800,
  reason: "Goodwill",
  status: "pending",
  needsApproval: true,
  requestedBy: alice,
  requestedAt: "2026-12-05T01:00:00.000Z",
  ...over,
});

describe("adjustment controls", () => {
  it("need approval strictly above the threshold, credits and debits alike", () => {
    expect(needsApproval(500, controls)).toBe(false);
    expect(needsApproval(-500, controls)).toBe(false);
    expect(needsApproval(501, controls)).toBe(true);
    expect(needsApproval(-501, controls)).toBe(true);
  });

  it("charge the absolute points against the daily limit, refusing one request over it alone", () => {
    expect(dailyLimitCheck(-300, controls)).toEqual({ fits: true, charge: 300, maxUsedBefore: 1_700 });
    expect(dailyLimitCheck(2_000, controls)).toEqual({ fits: true, charge: 2_000, maxUsedBefore: 0 });
    expect(dailyLimitCheck(2_001, controls)).toEqual({ fits: false, charge: 2_001 });
  });

  it("never let the requester approve their own, whatever its status", () => {
    for (const status of ["pending", "approving", "applied", "rejected"] as const)
      expect(decideApproval(request({ status }), alice)).toEqual({ kind: "self-approval" });
  });

  it("let another marketer claim a pending request, finish a claimed one with its approver, not a rejected one", () => {
    expect(decideApproval(request(), bob)).toEqual({ kind: "claim" });
    const carol = { sub: "sub-carol", name: "carol" };
    expect(decideApproval(request({ status: "approving", decidedBy: bob }), carol)).toEqual({
      kind: "finish",
      approver: bob,
    });
    expect(decideApproval(request({ status: "rejected", decidedBy: carol }), bob)).toEqual({
      kind: "rejected",
      by: carol,
    });
    expect(decideApproval(request({ needsApproval: false, status: "applied" }), bob)).toEqual({
      kind: "not-approvable",
    });
  });

  it("reject only pending requests; rejecting twice is the same rejection", () => {
    expect(decideRejection(request())).toEqual({ kind: "reject" });
    expect(decideRejection(request({ status: "rejected" }))).toEqual({ kind: "already-rejected" });
    expect(decideRejection(request({ status: "applied", decidedBy: bob }))).toEqual({
      kind: "already-approved",
      by: bob,
    });
  });
});

describe("program controls", () => {
  it("default when a program leaves them out", () => {
    expect(programSchema.parse(exampleProgramInput).controls.adjustments).toEqual({
      approvalThreshold: DEFAULT_APPROVAL_THRESHOLD,
      dailyLimitPerMarketer: DEFAULT_DAILY_ADJUSTMENT_LIMIT,
    });
  });

  it("name the field that is wrong", () => {
    const parsed = (adjustments: Record<string, unknown>) =>
      programSchema.safeParse({ ...exampleProgramInput, controls: { adjustments } });
    const paths = (adjustments: Record<string, unknown>) =>
      (parsed(adjustments).error?.issues ?? []).map((issue) => issue.path.join("."));
    expect(paths({ approvalThreshold: 0 })).toEqual(["controls.adjustments.approvalThreshold"]);
    expect(paths({ dailyLimitPerMarketer: 1.5 })).toEqual(["controls.adjustments.dailyLimitPerMarketer"]);
    expect(paths({ approvalThreshold: 3_000, dailyLimitPerMarketer: 3_000 })).toEqual([
      "controls.adjustments.approvalThreshold",
    ]);
    expect(paths({ approvalThreshold: 100, extra: 1 })).toEqual(["controls.adjustments"]);
    expect(parsed({ approvalThreshold: 100, dailyLimitPerMarketer: 1_000 }).success).toBe(true);
  });
});
