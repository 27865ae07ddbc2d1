import { afterEach, describe, expect, inject, it } from "vitest";
import {
  type LedgerEntry,
  type MemberState,
  type Program,
  programSchema,
  redeemReward,
  spendableBalance,
} from "../../../domain";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";

// Points earned on 10 March are spendable by 20 May (30-day return window), so the member can spend
// them before the refund arrives.
const NOW = "2025-05-20T12:00:00Z";
const tee = { sku: "TEE-01", category: "apparel", quantity: 30, unitPrice: 1999 };

const programWith = (whenPointsSpent: "claw-back" | "allow-negative"): Program =>
  programSchema.parse({
    ...exampleProgramInput,
    refunds: { ...exampleProgramInput.refunds, whenPointsSpent },
    // The purchases arrive at NOW, 71 days after they occurred: beyond the default 30-day late window.
    timePolicy: { lateArrivalDays: 90 },
  });

/** Spends points the way the HTTP API's redemption does: domain use case + one commit. */
async function redeem(harness: Harness, program: Program, memberId: string, rewardId: string) {
  const previous = await harness.repository.getMember<MemberState & Record<string, unknown>>(memberId);
  if (!previous) throw new Error("member missing");
  const result = redeemReward(previous.state, program, rewardId, {
    now: NOW,
    redemptionKey: `redeem:${memberId}:1`,
  });
  const outcome = await harness.repository.commit({
    memberId,
    previous,
    nextState: result.state as MemberState & Record<string, unknown>,
    entries: result.entries,
    sourceKey: `redeem:${memberId}:1`,
    payload: "same",
  });
  expect(outcome.outcome).toBe("committed");
}

describe("refund after the points were spent", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it.each([
    ["claw-back", /already spent and not recovered/],
    ["allow-negative", /below zero until repaid/],
  ] as const)("follows the %s policy with the reason on the ledger", async (policy, reasonPattern) => {
    const program = programWith(policy);
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, program });
    expect((await harness.deliver(purchase("spender", "O-1", "2025-03-10T10:00:00Z", [tee]))).status).toBe(
      "committed",
    );
    await redeem(harness, program, "spender", "voucher-5");
    const before = await memberView(harness, "spender");
    const earned = (before?.entries ?? [])
      .filter((e) => e.sourceKey.startsWith("purchase:"))
      .reduce((s, e) => s + e.points, 0);
    expect(before?.spendable).toBeLessThan(earned);

    const result = await harness.deliver(
      refund("spender", "R-1", "O-1", "2025-04-02T09:00:00Z", { amount: 59970 }),
    );
    expect(result.status).toBe("committed");

    const after = await memberView(harness, "spender");
    const reversal = after?.entries.find((e) => e.kind === "reverse") as LedgerEntry;
    expect(reversal.reason).toMatch(reasonPattern);
    expect(reversal.ruleIds).toContain(program.refunds.ruleId);
    const details = reversal.details?.type === "refund" ? reversal.details : undefined;
    const missing = earned - (before?.spendable ?? 0);
    if (policy === "claw-back") {
      expect(details?.shortfall).toBe(missing);
      expect(after?.spendable).toBe(0);
    } else {
      expect(details?.addedDebt).toBe(missing);
      expect(after?.spendable).toBe(-missing);
    }
    const state = (await harness.repository.getMember<MemberState & Record<string, unknown>>("spender"))
      ?.state;
    expect(state && spendableBalance(state)).toBe(after?.spendable);
  });

  it("retries a refund that arrives before its purchase, then applies it once", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, program: programWith("claw-back") });
    const early = refund("early", "R-9", "O-9", "2025-03-12T09:00:00Z", {
      lines: [{ sku: "TEE-01", quantity: 10 }],
    });
    await expect(harness.deliver(early)).rejects.toThrow(/no earn entry/);
    expect(await memberView(harness, "early")).toBeUndefined();

    await harness.deliver(purchase("early", "O-9", "2025-03-10T10:00:00Z", [tee]));
    expect((await harness.deliver(early)).status).toBe("committed");
    expect((await harness.deliver({ ...early, id: "producer-retry" })).status).toBe("duplicate");
    const view = await memberView(harness, "early");
    expect(view?.entries.filter((e) => e.kind === "reverse")).toHaveLength(1);
  });

  it("rejects a refund of more than was bought, naming the field, and changes nothing", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, program: programWith("claw-back") });
    await harness.deliver(purchase("greedy", "O-5", "2025-03-10T10:00:00Z", [tee]));
    const before = await memberView(harness, "greedy");
    const result = await harness.deliver(
      refund("greedy", "R-5", "O-5", "2025-03-12T09:00:00Z", { lines: [{ sku: "TEE-01", quantity: 31 }] }),
    );
    expect(result).toMatchObject({ status: "rejected", reason: "INVALID_FACTS" });
    expect(result.status === "rejected" && result.errors[0]?.path).toBe("detail.lines[0].quantity");
    expect(await memberView(harness, "greedy")).toEqual(before);
    expect(harness.rejected.items).toHaveLength(1);
  });
});
