import { InvalidFacts } from "../errors";
import type { PurchaseFacts } from "../facts";
import type { EarnedLine } from "../ledger/ledger-entry";
import type { Program } from "../program/program-schema";
import type { Tier } from "../program/tier-schema";
import { allocate, roundPoints } from "./allocate";

export interface PurchasePoints {
  lines: EarnedLine[];
  points: number;
  statusPoints: number;
  qualifyingSpendMinor: number;
  paidMinor: number;
  ruleIds: string[];
  /** Explanation of the rate, e.g. "1 pt per EUR 1; ×2 Double Weekend; ×1.25 Gold tier". */
  explanation: string;
  /**
   * Line categories the program does not declare (they earn base points only), sorted, at most
   * MAX_NAMED_UNKNOWN_CATEGORIES; `unknownCategoryCount` is how many there were in all.
   */
  unknownCategories: string[];
  unknownCategoryCount: number;
}

/** Unknown categories named in a reason or on a ledger entry; the rest are only counted, keeping both bounded. */
export const MAX_NAMED_UNKNOWN_CATEGORIES = 5;

/** Paid amount per line: the order discount spread over lines in proportion, summing exactly to the total. */
export function paidPerLine(purchase: PurchaseFacts): number[] {
  const gross = purchase.lines.map((l) => l.quantity * l.unitPriceMinor);
  const subtotal = gross.reduce((a, b) => a + b, 0);
  if (purchase.discountMinor > subtotal)
    throw new InvalidFacts(
      "discountMinor",
      `discount ${purchase.discountMinor} exceeds the lines' total ${subtotal}`,
    );
  if (purchase.totalMinor !== subtotal - purchase.discountMinor)
    throw new InvalidFacts(
      "totalMinor",
      `must equal the lines' total ${subtotal} minus discountMinor ${purchase.discountMinor} = ${subtotal - purchase.discountMinor}`,
    );
  return allocate(purchase.totalMinor, gross);
}

/**
 * Points for a purchase. Per line: paid major units × base rate × product multiplier (SKU wins over category)
 * × the best matching promotion (promotions do not stack) × the tier multiplier, then rounded per the program.
 * Status points are paid major units × statusPointsPerUnit, with no multipliers; lines with a 0 product
 * multiplier (e.g. gift cards) earn no status and no qualifying spend either.
 */
export function purchasePoints(program: Program, tier: Tier, purchase: PurchaseFacts): PurchasePoints {
  if (purchase.currency !== program.currency)
    throw new InvalidFacts("currency", `the program earns on ${program.currency}, not ${purchase.currency}`);
  const { earning } = program;
  const paid = paidPerLine(purchase);
  const at = Date.parse(purchase.occurredAt);
  const ruleIds = new Set<string>([earning.baseRuleId]);
  const notes = new Map<string, string>();

  const raw = purchase.lines.map((line, i) => {
    const major = (paid[i] ?? 0) / purchase.minorUnitsPerMajor;
    const sku = earning.skuMultipliers.find((m) => m.sku === line.sku);
    const category = earning.categoryMultipliers.find((m) => m.category === line.category);
    const product = sku ?? category;
    const promotion = earning.promotions
      .filter(
        (p) =>
          Date.parse(p.startsAt) <= at &&
          at < Date.parse(p.endsAt) &&
          (!p.channels || p.channels.includes(purchase.channel)) &&
          (!p.categories || p.categories.includes(line.category)),
      )
      .sort((a, b) => b.multiplier - a.multiplier)[0];
    const productFactor = product?.multiplier ?? 1;
    const earns = major > 0 && productFactor > 0;
    if (product && major > 0) {
      ruleIds.add(product.ruleId);
      notes.set(
        product.ruleId,
        `×${product.multiplier} ${"sku" in product ? product.sku : product.category}`,
      );
    }
    if (promotion && earns) {
      ruleIds.add(promotion.ruleId);
      notes.set(promotion.ruleId, `×${promotion.multiplier} ${promotion.name}`);
    }
    return {
      points:
        major *
        earning.basePointsPerUnit *
        productFactor *
        (promotion?.multiplier ?? 1) *
        tier.earnMultiplier,
      status: productFactor > 0 ? major * program.tierQualification.statusPointsPerUnit : 0,
      qualifying: productFactor > 0 ? (paid[i] ?? 0) : 0,
      earns,
    };
  });
  if (tier.earnMultiplier !== 1 && raw.some((r) => r.earns)) {
    ruleIds.add(`tier-${tier.id}`);
    notes.set(`tier-${tier.id}`, `×${tier.earnMultiplier} ${tier.name} tier`);
  }

  const points = roundLines(
    raw.map((r) => r.points),
    program,
  );
  const status = roundLines(
    raw.map((r) => r.status),
    program,
  );
  const lines: EarnedLine[] = purchase.lines.map((line, i) => ({
    lineIndex: i,
    sku: line.sku,
    category: line.category,
    quantity: line.quantity,
    paidMinor: paid[i] ?? 0,
    points: points[i] ?? 0,
    statusPoints: status[i] ?? 0,
    qualifyingSpendMinor: raw[i]?.qualifying ?? 0,
  }));
  const sum = (f: (l: EarnedLine) => number) => lines.reduce((a, l) => a + f(l), 0);
  const unknown = [...new Set(purchase.lines.map((l) => l.category))]
    .filter((category) => !program.categories.includes(category))
    .sort();
  const named = unknown.slice(0, MAX_NAMED_UNKNOWN_CATEGORIES);
  const more = unknown.length - named.length;
  if (named.length > 0)
    notes.set(
      "unknown-categories",
      `no category rule for ${named.join(", ")}${more > 0 ? ` and ${more} more` : ""}`,
    );
  return {
    lines,
    points: sum((l) => l.points),
    statusPoints: sum((l) => l.statusPoints),
    qualifyingSpendMinor: sum((l) => l.qualifyingSpendMinor),
    paidMinor: purchase.totalMinor,
    ruleIds: [...ruleIds],
    explanation: [`${earning.basePointsPerUnit} pt per ${program.currency} 1`, ...notes.values()].join("; "),
    unknownCategories: named,
    unknownCategoryCount: unknown.length,
  };
}

function roundLines(raw: number[], program: Program): number[] {
  const { rounding, roundingScope } = program.earning;
  if (roundingScope === "line") return raw.map((r) => roundPoints(r, rounding));
  // Round the order once, then give each line its share so refunds can still reverse line by line.
  return allocate(
    roundPoints(
      raw.reduce((a, b) => a + b, 0),
      rounding,
    ),
    raw,
  );
}
