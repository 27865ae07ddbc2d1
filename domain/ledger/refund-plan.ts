import { allocate } from "../earning/allocate";
import { InvalidFacts } from "../errors";
import type { RefundFacts } from "../facts";
import type { PurchaseDetails, RefundDetails, ReversedLine } from "./ledger-entry";

export interface RefundPlan {
  lines: ReversedLine[];
  refundedMinor: number;
  fullyRefunded: boolean;
}

interface Cumulative {
  quantity: number;
  minor: number;
  points: number;
  statusPoints: number;
  qualifyingSpendMinor: number;
}

/**
 * What one refund reverses, line by line. Works on running totals (earlier refunds of the order + this one):
 * the target reversal of a line is floor(line points × refunded share), and exactly the line's points once
 * the line is fully refunded. So partial refunds never reverse more than was earned, and a series of
 * refunds that adds up to the whole order reverses exactly what it earned.
 */
export function planRefund(
  purchase: PurchaseDetails,
  prior: readonly RefundDetails[],
  refund: RefundFacts,
): RefundPlan {
  const done: Cumulative[] = purchase.lines.map((line) => {
    const reversed = prior.flatMap((p) => p.lines).filter((l) => l.lineIndex === line.lineIndex);
    const sum = (f: (l: ReversedLine) => number) => reversed.reduce((a, l) => a + f(l), 0);
    return {
      quantity: sum((l) => l.refundedQuantity),
      minor: sum((l) => l.refundedMinor),
      points: sum((l) => l.points),
      statusPoints: sum((l) => l.statusPoints),
      qualifyingSpendMinor: sum((l) => l.qualifyingSpendMinor),
    };
  });
  const thisRefund = purchase.lines.map(() => ({ quantity: 0, minor: 0 }));

  if (refund.lines !== undefined) {
    refund.lines.forEach((returned, r) => {
      let left = returned.quantity;
      for (const line of purchase.lines) {
        if (left === 0 || line.sku !== returned.sku) continue;
        const me = thisRefund[line.lineIndex] as { quantity: number; minor: number };
        const open = line.quantity - (done[line.lineIndex]?.quantity ?? 0) - me.quantity;
        const take = Math.min(open, left);
        me.quantity += take;
        left -= take;
      }
      if (left > 0) {
        const known = purchase.lines.some((l) => l.sku === returned.sku);
        throw new InvalidFacts(
          `lines[${r}].${known ? "quantity" : "sku"}`,
          known
            ? `refunds ${returned.quantity} of ${returned.sku}, more than remain refundable on order ${purchase.orderId}`
            : `${returned.sku} is not on order ${purchase.orderId}`,
        );
      }
    });
    purchase.lines.forEach((line, i) => {
      const me = thisRefund[i] as { quantity: number; minor: number };
      const prev = done[i] as Cumulative;
      const cumulativeQuantity = prev.quantity + me.quantity;
      const cumulativeMinor =
        cumulativeQuantity >= line.quantity
          ? line.paidMinor
          : Math.max(prev.minor, Math.floor((line.paidMinor * cumulativeQuantity) / line.quantity));
      me.minor = cumulativeMinor - prev.minor;
    });
  } else {
    const amount = refund.amountMinor ?? 0;
    const open = purchase.lines.map((line, i) => line.paidMinor - (done[i]?.minor ?? 0));
    const openTotal = open.reduce((a, b) => a + b, 0);
    if (amount <= 0 || amount > openTotal)
      throw new InvalidFacts(
        "amountMinor",
        `must be between 1 and ${openTotal}, the amount of order ${purchase.orderId} not yet refunded`,
      );
    allocate(amount, open).forEach((minor, i) => {
      (thisRefund[i] as { quantity: number; minor: number }).minor = minor;
    });
  }

  const lines: ReversedLine[] = [];
  let fullyRefunded = true;
  purchase.lines.forEach((line, i) => {
    const me = thisRefund[i] as { quantity: number; minor: number };
    const prev = done[i] as Cumulative;
    const minor = prev.minor + me.minor;
    const quantity = prev.quantity + me.quantity;
    const whole = line.paidMinor > 0 ? minor >= line.paidMinor : quantity >= line.quantity;
    if (!whole && (line.paidMinor > 0 || purchase.totalMinor === 0)) fullyRefunded = false;
    const share = (earned: number) =>
      whole
        ? earned
        : line.paidMinor > 0
          ? Math.floor((earned * minor) / line.paidMinor)
          : Math.floor((earned * quantity) / line.quantity);
    if (me.minor === 0 && me.quantity === 0) return;
    lines.push({
      lineIndex: line.lineIndex,
      sku: line.sku,
      refundedQuantity: me.quantity,
      refundedMinor: me.minor,
      points: Math.max(0, share(line.points) - prev.points),
      statusPoints: Math.max(0, share(line.statusPoints) - prev.statusPoints),
      qualifyingSpendMinor: Math.max(0, share(line.qualifyingSpendMinor) - prev.qualifyingSpendMinor),
    });
  });
  return { lines, refundedMinor: lines.reduce((a, l) => a + l.refundedMinor, 0), fullyRefunded };
}
