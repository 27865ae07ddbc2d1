import { describe, expect, it } from "vitest";
import {
  exampleProgram,
  exampleProgramInput,
  type ProgramInput,
  parseProgram,
  programInEffect,
  programJsonSchema,
} from "../../../domain";
import { MAX_TIERS } from "../../../domain/program/tier-schema";
import { programWith } from "./fixtures";

function errorsOf(edit: (input: ProgramInput) => void) {
  const input: ProgramInput = structuredClone(exampleProgramInput);
  edit(input);
  const result = parseProgram(input);
  if (result.ok) throw new Error("expected the program to be rejected");
  return result.errors;
}

describe("program schema", () => {
  it("accepts the documented example and fills defaults", () => {
    const result = parseProgram(exampleProgramInput);
    expect(result.ok).toBe(true);
    expect(exampleProgram.version).toBe(1);
    expect(exampleProgram.earning.rounding).toBe("floor");
    expect(exampleProgram.interactions.find((r) => r.kind === "referral-converted")?.caps).toEqual([]);
  });

  it("holds at most MAX_TIERS tiers, which bounds the KPI snapshot's per-tier rows", () => {
    const errors = errorsOf((input) => {
      const first = input.tiers[0];
      if (!first) throw new Error("the example has tiers");
      input.tiers = Array.from({ length: MAX_TIERS + 1 }, (_, i) => ({
        ...first,
        id: `tier-${i}`,
        threshold: i * 100,
      }));
    });
    expect(errors.map((e) => e.path)).toContain("tiers");
  });

  it("exports a JSON Schema in which every program field is documented", () => {
    const schema = programJsonSchema() as { properties: Record<string, { description?: string }> };
    for (const [field, property] of Object.entries(schema.properties)) {
      expect(property.description, `${field} has no description`).toBeTruthy();
    }
    expect(Object.keys(schema.properties)).toContain("tierQualification");
  });

  it("rejects overlapping tier thresholds, naming tiers[1].threshold", () => {
    const errors = errorsOf((p) => {
      p.tiers[1] = { ...p.tiers[1], id: "gold", name: "Gold", threshold: 0 };
    });
    expect(errors).toEqual([
      { path: "tiers[1].threshold", message: expect.stringContaining("overlaps the tier below") },
    ]);
  });

  it("rejects a first tier whose threshold is not 0", () => {
    const errors = errorsOf((p) => {
      p.tiers[0] = { id: "silver", name: "Silver", threshold: 10 };
    });
    expect(errors[0]?.path).toBe("tiers[0].threshold");
  });

  it("rejects an unknown category in a multiplier and lists the declared ones", () => {
    const errors = errorsOf((p) => {
      p.earning.categoryMultipliers = [{ ruleId: "toys-x2", category: "toys", multiplier: 2 }];
    });
    expect(errors).toEqual([
      {
        path: "earning.categoryMultipliers[0].category",
        message: expect.stringMatching(/unknown category "toys".*apparel/),
      },
    ]);
  });

  it("rejects duplicate rule ids, pointing at the second use and the first", () => {
    const errors = errorsOf((p) => {
      p.interactions = [{ ruleId: "base-earn", kind: "review-written", points: 5 }];
    });
    expect(errors).toEqual([
      {
        path: "interactions[0].ruleId",
        message: expect.stringContaining("already used at earning.baseRuleId"),
      },
    ]);
  });

  it("rejects a promotion that ends before it starts", () => {
    const errors = errorsOf((p) => {
      p.earning.promotions = [
        {
          ruleId: "oops",
          name: "Oops",
          startsAt: "2025-06-09T00:00:00+02:00",
          endsAt: "2025-06-06T00:00:00+02:00",
          multiplier: 2,
        },
      ];
    });
    expect(errors).toEqual([
      { path: "earning.promotions[0].endsAt", message: expect.stringContaining("before or when it starts") },
    ]);
  });

  it("rejects a punch card whose reward is missing from the catalogue", () => {
    const errors = errorsOf((p) => {
      p.rewards = p.rewards?.filter((r) => r.rewardId !== "free-coffee");
    });
    expect(errors).toEqual([
      { path: "punchCards[0].rewardId", message: 'reward "free-coffee" is not in the rewards catalogue' },
    ]);
  });

  it("rejects fractional points and misspelt fields field by field", () => {
    const errors = errorsOf((p) => {
      if (p.earning.firstPurchaseBonus) p.earning.firstPurchaseBonus.points = 2.5;
      (p.expiry as Record<string, unknown>).validityMonts = 12;
    });
    expect(errors.map((e) => e.path).sort()).toEqual(["earning.firstPurchaseBonus.points", "expiry"]);
    expect(errors.find((e) => e.path === "expiry")?.message).toContain("validityMonts");
  });

  it("rejects duplicate interaction kinds", () => {
    const errors = errorsOf((p) => {
      p.interactions = [
        { ruleId: "a", kind: "review-written", points: 5 },
        { ruleId: "b", kind: "review-written", points: 6 },
      ];
    });
    expect(errors[0]?.path).toBe("interactions[1].kind");
  });

  it("rejects a cap with no limit", () => {
    const errors = errorsOf((p) => {
      p.interactions = [{ ruleId: "a", kind: "review-written", points: 5, caps: [{ period: "day" }] }];
    });
    expect(errors).toEqual([
      { path: "interactions[0].caps[0]", message: "a cap needs maxCount, maxPoints or both" },
    ]);
  });

  it("rejects points that would expire before the pending period ends", () => {
    const errors = errorsOf((p) => {
      p.expiry = { ruleId: "expiry-1-month", validityMonths: 1 };
      p.earning.pendingDays = 30;
    });
    expect(errors[0]?.path).toBe("expiry.validityMonths");
  });

  it("rejects a version below 1", () => {
    const errors = errorsOf((p) => {
      p.version = 0;
    });
    expect(errors).toEqual([{ path: "version", message: "version must be at least 1" }]);
  });
});

describe("programInEffect", () => {
  const v1 = programWith((p) => {
    p.version = 1;
    p.effectiveFrom = "2025-01-01T00:00:00Z";
  });
  const v2 = programWith((p) => {
    p.version = 2;
    p.effectiveFrom = "2025-07-01T00:00:00+02:00";
  });

  it("picks the latest version whose effectiveFrom is not after the event", () => {
    expect(programInEffect([v2, v1], "2025-06-30T21:59:59Z")?.version).toBe(1);
    expect(programInEffect([v2, v1], "2025-06-30T22:00:00Z")?.version).toBe(2);
    expect(programInEffect([v2, v1], "2024-12-31T23:59:59Z")).toBeUndefined();
  });
});
