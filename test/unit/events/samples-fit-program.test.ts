import { describe, expect, it } from "vitest";
import { applyPurchase, enrolMember, exampleProgram } from "../../../domain";
import { inboundEvents } from "../../../events/catalog";
import { parseInbound } from "../../../events/envelope";
import { purchaseFacts } from "../../../functions/pipeline/mapping";
import { loadSample } from "./load-samples";

// The samples `npm run send` puts on the bus are the first thing a new user sees Patron do: they must speak the
// seeded program's language, so they show its category multipliers and its coffee punch card at work.

function samplePurchase() {
  const parsed = parseInbound(loadSample(inboundEvents.purchaseCompleted));
  if (!parsed.ok || parsed.id !== "purchaseCompleted") throw new Error("the purchase sample does not parse");
  return purchaseFacts(parsed.detail, parsed.idempotencyKey);
}

describe("the sample events and the seeded example program", () => {
  it("use only categories the program declares", () => {
    for (const line of samplePurchase().lines) expect(exampleProgram.categories).toContain(line.category);
  });

  it("show a multiplier and punch the coffee card", () => {
    const facts = samplePurchase();
    const state = enrolMember("m-sample", facts.occurredAt, exampleProgram).state;
    const result = applyPurchase(state, exampleProgram, facts, { now: facts.occurredAt });
    const earn = result.entries.find((e) => e.kind === "earn");
    const multipliers = [
      ...exampleProgram.earning.categoryMultipliers.map((m) => m.ruleId),
      ...exampleProgram.earning.skuMultipliers.map((m) => m.ruleId),
    ];
    expect(earn?.ruleIds.some((id) => multipliers.includes(id))).toBe(true);
    expect(earn?.reason).not.toContain("no category rule");
    expect(result.state.frequency.punchCards).toEqual([{ ruleId: "coffee-card", punches: 1 }]);
  });

  it("record an interaction kind the program rewards", () => {
    const interaction = loadSample(inboundEvents.interactionRecorded).detail;
    expect(exampleProgram.interactions.map((rule) => rule.kind)).toContain(interaction.kind);
  });
});
