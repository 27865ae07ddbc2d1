import { describe, expect, it } from "vitest";
import { applyPurchase, type LedgerEntry } from "../../../domain";
import { line, member, plainProgram, purchase } from "./fixtures";

// A purchase line whose category the program does not declare earns base points only. That is accepted (the
// producer's catalogue may run ahead of the program), but never silently: the member's ledger says so and the
// entry's details name the categories, so the consumer can count them without deciding again.

const MARCH = "2025-03-10T10:00:00+01:00";
const program = plainProgram();
const earnOf = (entries: LedgerEntry[]) => entries.find((e) => e.kind === "earn");

describe("purchases with categories the program does not declare", () => {
  it("earns base points and says 'no category rule for …' in the reason and the details", () => {
    const result = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [
        line("BEANS", "coffee-beans", 2000),
        line("TEE", "apparel", 3000),
        line("CROISSANT", "pastry", 500),
      ]),
      { now: MARCH },
    );
    const earn = earnOf(result.entries);
    expect(earn?.reason).toBe(
      "Purchase order O-1 at store 42: 55 points (1 pt per EUR 1; no category rule for coffee-beans, pastry); spendable from 2025-04-09",
    );
    expect(earn?.details).toMatchObject({ type: "purchase", unknownCategories: ["coffee-beans", "pastry"] });
  });

  it("says nothing when every category is declared", () => {
    const result = applyPurchase(
      member(program),
      program,
      purchase("O-1", MARCH, [line("TEE", "apparel", 3000), line("LOAF", "bakery", 400)]),
      { now: MARCH },
    );
    const earn = earnOf(result.entries);
    expect(earn?.reason).not.toContain("no category rule");
    expect(earn?.details).not.toHaveProperty("unknownCategories");
  });

  it("stays bounded: at most 5 names in the reason and the details, the rest counted", () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      line(`SKU-${i}`, `unknown-category-with-a-long-name-${String(i).padStart(2, "0")}`, 100),
    );
    const result = applyPurchase(member(program), program, purchase("O-1", MARCH, lines), { now: MARCH });
    const earn = earnOf(result.entries);
    const details = earn?.details?.type === "purchase" ? earn.details : undefined;
    expect(details?.unknownCategories).toHaveLength(5);
    expect(details?.unknownCategories?.[0]).toBe("unknown-category-with-a-long-name-00");
    expect(earn?.reason).toContain("unknown-category-with-a-long-name-04 and 35 more");
    // The pending note comes after the list and survives.
    expect(earn?.reason.endsWith("; spendable from 2025-04-09")).toBe(true);
    expect(earn?.reason.length).toBeLessThanOrEqual(500);
  });
});
