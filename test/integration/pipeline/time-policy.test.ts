import { afterEach, describe, expect, inject, it } from "vitest";
import type { ConsumerResult } from "../../../functions/shared/event-consumer";
import { enrolment, envelope, interaction, purchase, refund } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";

// The program's time policy, through the real handlers: an event dated beyond the allowed clock skew is
// parked as occurred-in-future, a purchase or interaction older than the late window as arrived-too-late, and
// a backdated interaction inside the window counts against the cap of the period it belongs to.

const NOW = "2025-03-28T12:00:00Z";
const tee = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };
// EUR 2,000: enough status points for the top tier of the harness program.
const rack = { sku: "TEE-01", category: "apparel", quantity: 100, unitPrice: 2000 };

const update = (memberId: string, occurredAt: string, fields: Record<string, unknown>) =>
  envelope("Member Updated", { schemaVersion: "1", memberId, occurredAt, ...fields });

function expectRejected(result: ConsumerResult, reason: string): void {
  expect(result).toMatchObject({ status: "rejected", reason, errors: [{ path: "detail.occurredAt" }] });
  if (result.status !== "rejected") return;
  for (const error of result.errors) expect(error.message).not.toMatch(/20\d\d-/);
}

describe("time policy", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("parks a purchase dated 2099 as occurred-in-future: no tier change, no ledger entry", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    expect((await harness.deliver(purchase("t1", "O-1", "2025-03-20T10:00:00Z", [tee]))).status).toBe(
      "committed",
    );
    const before = await memberView(harness, "t1");

    const future = purchase("t1", "O-2099", "2099-01-01T00:00:00Z", [rack]);
    expectRejected(await harness.deliver(future), "occurred-in-future");

    expect(harness.rejected.items).toEqual([
      expect.objectContaining({ reason: "occurred-in-future", eventId: future.id }),
    ]);
    const after = await memberView(harness, "t1");
    expect(after).toEqual(before);
    expect(after?.tierId).toBe("silver");
    expect(after?.entries.some((entry) => entry.sourceKey.includes("O-2099"))).toBe(false);
  });

  it("parks a Member Updated dated 2099, so it cannot pin the profile against later real changes", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    expect((await harness.deliver(enrolment("t2", "2025-03-01T10:00:00Z", "old@example.com"))).status).toBe(
      "committed",
    );

    const future = update("t2", "2099-01-01T00:00:00Z", { email: "pinned@example.com" });
    expectRejected(await harness.deliver(future), "occurred-in-future");
    expect(await harness.repository.getProfile("t2")).toMatchObject({ email: "old@example.com" });

    const real = update("t2", "2025-03-27T10:00:00Z", { email: "new@example.com" });
    expect((await harness.deliver(real)).status).toBe("committed");
    expect(await harness.repository.getProfile("t2")).toMatchObject({ email: "new@example.com" });
  });

  it("parks a Member Enrolled dated 2099 and creates no member", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    expectRejected(await harness.deliver(enrolment("t3", "2099-01-01T00:00:00Z")), "occurred-in-future");
    expect(await harness.repository.getMember("t3")).toBeUndefined();
    expect(await harness.repository.getProfile("t3")).toBeUndefined();
  });

  it("parks a purchase older than the late window as arrived-too-late; a late refund is still applied", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    // The example program's pending period is 30 days, so the window reaches back to 26 February 12:00.
    expectRejected(
      await harness.deliver(purchase("t4", "O-old", "2025-02-25T10:00:00Z", [tee])),
      "arrived-too-late",
    );
    expectRejected(
      await harness.deliver(interaction("t4", "I-old", "review-written", "2025-02-25T10:00:00Z")),
      "arrived-too-late",
    );
    expect(await harness.repository.getMember("t4")).toBeUndefined();

    expect((await harness.deliver(purchase("t4", "O-1", "2025-03-20T10:00:00Z", [rack]))).status).toBe(
      "committed",
    );
    // Two months later the purchase is outside the window, but its refund must still take the points back.
    const later = "2025-05-28T12:00:00Z";
    harness.deps.clock = () => new Date(later);
    const late = refund("t4", "R-1", "O-1", "2025-04-10T10:00:00Z", { amount: 200000 });
    expect((await harness.deliver(late)).status).toBe("committed");
    expect((await memberView(harness, "t4"))?.entries.map((entry) => entry.kind)).toEqual(
      expect.arrayContaining(["earn", "reverse"]),
    );
    expectRejected(
      await harness.deliver(purchase("t4", "O-2", "2025-04-10T10:00:00Z", [tee])),
      "arrived-too-late",
    );
  });

  it("a backdated burst of ten reviews inside the window earns that month's cap (3 × 25), not 250", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    expect(
      (await harness.deliver(interaction("t5", "I-march", "review-written", "2025-03-27T10:00:00Z"))).status,
    ).toBe("committed");
    const outcomes: string[] = [];
    for (let n = 0; n < 10; n += 1) {
      const at = `2025-02-27T${String(10 + n).padStart(2, "0")}:00:00Z`;
      outcomes.push((await harness.deliver(interaction("t5", `I-feb-${n}`, "review-written", at))).status);
    }
    expect(outcomes).toEqual([...Array(3).fill("committed"), ...Array(7).fill("unchanged")]);
    const view = await memberView(harness, "t5");
    const february = view?.entries.filter((entry) => entry.occurredAt.startsWith("2025-02")) ?? [];
    expect(february.reduce((sum, entry) => sum + entry.points, 0)).toBe(75);
    expect(view?.spendable).toBe(100);
  });
});
