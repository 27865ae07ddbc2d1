import { readTransactionLog } from "../shared/transaction-log-reader";

// Reads a purchase log for the replay: the CSV or CDNOW layouts of scripts/shared/transaction-log-reader.ts.
// Dates are YYYYMMDD or YYYY-MM-DD; amounts are in major units (e.g. 12.50).

export interface PurchaseRow {
  customerId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  amountMinor: number;
  orderId?: string;
  category?: string;
}

function isoDay(text: string): string | undefined {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  if (!match) return undefined;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(day) ? day : undefined;
}

/** Parses the log, sorted by day (stable: same-day rows keep their file order). Errors give file and line. */
export function parsePurchaseLog(text: string, source: string): PurchaseRow[] {
  const rows = readTransactionLog(text, { source }).map((record): PurchaseRow => {
    const at = `${source} line ${record.line}`;
    const day = isoDay(record.date);
    if (!day) throw new Error(`${at}: date "${record.date}" is not a valid YYYYMMDD or YYYY-MM-DD date`);
    const amount = Number(record.amount);
    if (record.amount === "" || !Number.isFinite(amount) || amount < 0)
      throw new Error(`${at}: amount "${record.amount}" must be a number >= 0 (major units, e.g. 12.50)`);
    return {
      customerId: record.customerId,
      day,
      amountMinor: Math.round(amount * 100),
      ...(record.orderId !== undefined && { orderId: record.orderId }),
      ...(record.category !== undefined && { category: record.category }),
    };
  });
  if (rows.length === 0) throw new Error(`${source}: no purchases after the header`);
  // Array.prototype.sort is stable, so same-day purchases stay in file order.
  return rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
