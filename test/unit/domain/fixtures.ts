import type { Program, ProgramInput, PurchaseFacts, PurchaseLineFacts } from "../../../domain";
import { enrolMember, exampleProgramInput, programSchema } from "../../../domain";

/** The example program with an edit applied (the input is a deep copy). */
export function programWith(edit: (input: ProgramInput) => void = () => {}): Program {
  const input: ProgramInput = structuredClone(exampleProgramInput);
  edit(input);
  return programSchema.parse(input);
}

/** The example program without bonuses, cards, streaks and milestones: only base earning, tiers and expiry. */
export function plainProgram(edit: (input: ProgramInput) => void = () => {}): Program {
  return programWith((input) => {
    input.earning.firstPurchaseBonus = undefined;
    input.earning.promotions = [];
    input.punchCards = [];
    input.streaks = [];
    input.milestones = [];
    edit(input);
  });
}

export const line = (
  sku: string,
  category: string,
  unitPriceMinor: number,
  quantity = 1,
): PurchaseLineFacts => ({ sku, category, quantity, unitPriceMinor });

/** A EUR purchase at store 42; the total is computed from the lines and the discount. */
export function purchase(
  orderId: string,
  occurredAt: string,
  lines: PurchaseLineFacts[],
  options: Partial<Pick<PurchaseFacts, "channel" | "discountMinor" | "storeId">> = {},
): PurchaseFacts {
  const discountMinor = options.discountMinor ?? 0;
  const subtotal = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
  return {
    sourceKey: `purchase:retail.pos:${orderId}`,
    orderId,
    channel: options.channel ?? "pos",
    storeId: options.storeId ?? "42",
    occurredAt,
    currency: "EUR",
    minorUnitsPerMajor: 100,
    lines,
    discountMinor,
    totalMinor: subtotal - discountMinor,
  };
}

export const member = (program: Program, enrolledAt = "2025-01-15T09:00:00Z") =>
  enrolMember("m-1", enrolledAt, program).state;
