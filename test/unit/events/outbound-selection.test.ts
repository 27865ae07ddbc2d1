import { describe, expect, it } from "vitest";
import { exampleProgramInput, programSchema } from "../../../domain";
import { OUTBOUND_EVENT_TYPES, publishes } from "../../../domain/program/outbound-schema";
import { outboundEvents } from "../../../events/catalog";

describe("outbound event types a programme may publish", () => {
  it("are exactly the catalogue's outbound contracts", () => {
    expect([...OUTBOUND_EVENT_TYPES].sort()).toEqual(
      Object.values(outboundEvents)
        .map((e) => e.detailType)
        .sort(),
    );
  });

  it("default to all; a list publishes only its types", () => {
    expect(publishes({ outbound: {} }, "Offer Sent")).toBe(true);
    expect(publishes({ outbound: { publish: ["Tier Changed"] } }, "Offer Sent")).toBe(false);
    expect(publishes({ outbound: { publish: ["Tier Changed"] } }, "Tier Changed")).toBe(true);
    expect(publishes({ outbound: { publish: [] } }, "Tier Changed")).toBe(false);
  });

  it("refuses an event type Patron does not publish, naming the field", () => {
    const parsed = programSchema.safeParse({
      ...exampleProgramInput,
      outbound: { publish: ["Points Earnt"] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["outbound", "publish", 0]);
  });
});
