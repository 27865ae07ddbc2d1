import { afterEach, describe, expect, inject, it } from "vitest";
import { type Program, programSchema } from "../../../domain";
import { exampleProgramInput } from "../../../domain/program/example-program";
import { attachCapacityCounter } from "../../../functions/adapters/dynamo/capacity-counter";
import { enrolment, envelope, purchase } from "./events";
import { createHarness, type Harness } from "./harness";
import { memberView } from "./member-view";

const NOW = "2025-03-28T12:00:00Z";
const tee = { sku: "TEE-01", category: "apparel", quantity: 1, unitPrice: 1999 };
const rejecting: Program = programSchema.parse({
  ...exampleProgramInput,
  membership: { unknownMemberPolicy: "reject" },
});

const update = (memberId: string, occurredAt: string, fields: Record<string, unknown>) =>
  envelope("Member Updated", { schemaVersion: "1", memberId, occurredAt, ...fields });

describe("enrolment, profile updates and unknown members", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("keeps the profile apart from the state, and newer field changes win in any order", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const later = update("p1", "2025-03-05T10:00:00Z", { email: "new@example.com" });
    expect((await harness.deliver(later)).status).toBe("committed");
    expect((await harness.deliver(enrolment("p1", "2025-03-01T10:00:00Z", "old@example.com"))).status).toBe(
      "committed",
    );
    expect(
      (await harness.deliver(update("p1", "2025-03-03T10:00:00Z", { email: "mid@example.com" }))).status,
    ).toBe("unchanged");
    expect((await harness.deliver({ ...later, id: "redelivered" })).status).toBe("unchanged");

    const profile = await harness.repository.getProfile("p1");
    expect(profile).toMatchObject({ email: "new@example.com", locale: "en-GB", consent: { email: true } });
    const state = await harness.repository.getMember("p1");
    expect(JSON.stringify(state)).not.toContain("@example.com");
    expect((await memberView(harness, "p1"))?.entries).toEqual([]);
  });

  it("a new member's enrolment writes STATE and PROFILE without a read; an earlier update is still merged", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    const counter = attachCapacityCounter(harness.client);
    expect((await harness.deliver(enrolment("p5", "2025-03-01T10:00:00Z"))).status).toBe("committed");
    expect(counter.counters()).toMatchObject({ PutItem: { requests: 2, failed: 0 } });
    expect(counter.counters().GetItem).toBeUndefined();
    expect(await harness.repository.getProfile("p5")).toMatchObject({ email: "p5@example.com" });

    // A Member Updated that arrived first: the create-only Put fails and the enrolment merges as any writer does.
    await harness.deliver(update("p6", "2025-03-05T10:00:00Z", { email: "new@example.com" }));
    counter.reset();
    expect((await harness.deliver(enrolment("p6", "2025-03-01T10:00:00Z", "old@example.com"))).status).toBe(
      "committed",
    );
    expect(counter.counters()).toMatchObject({ PutItem: { failed: 1 }, GetItem: { requests: 1 } });
    expect(await harness.repository.getProfile("p6")).toMatchObject({
      email: "new@example.com",
      profile: { givenName: "Jane" },
    });
  });

  it("a create-only profile write that finds nothing to write still answers the stored profile", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await harness.deliver(enrolment("p7", "2025-03-01T10:00:00Z"));
    const merge = await harness.repository.createOrMergeProfile("p7", {
      fields: {},
      changedAt: "2025-03-02T10:00:00Z",
    });
    expect(merge.applied).toEqual([]);
    expect(merge.profile).toMatchObject({ email: "p7@example.com" });
  });

  it("enrolling a member a purchase already auto-enrolled keeps their points", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await harness.deliver(purchase("p2", "O-1", "2025-03-02T10:00:00Z", [tee]));
    const before = await memberView(harness, "p2");
    expect((await harness.deliver(enrolment("p2", "2025-03-01T10:00:00Z"))).status).toBe("committed");
    expect(await memberView(harness, "p2")).toEqual(before);
    expect(before?.pending).toBeGreaterThan(0);
  });

  it("under the reject policy, retries events for unknown members and writes nothing until enrolment", async () => {
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, program: rejecting });
    const first = purchase("p3", "O-1", "2025-03-02T10:00:00Z", [tee]);
    await expect(harness.deliver(first)).rejects.toThrow(/not enrolled/);
    expect(await memberView(harness, "p3")).toBeUndefined();
    expect((await harness.deliver(enrolment("p3", "2025-03-01T10:00:00Z"))).status).toBe("committed");
    expect((await harness.deliver(enrolment("p3", "2025-03-01T10:00:00Z"))).status).toBe("unchanged");
    expect((await harness.deliver(first)).status).toBe("committed");
    expect((await memberView(harness, "p3"))?.tierId).toBe("silver");
  });
});
