// Reads a transaction log's text into columns for the analytics CLI: the CSV or CDNOW layouts of
// scripts/shared/transaction-log-reader.ts (in the CDNOW sample, the sample id is the customer).
import type { TransactionTable } from "../../domain/analytics/customer-summary";
import { parseDayNumber } from "../../domain/analytics/day-number";
import { AnalyticsInputError } from "../../domain/analytics/input-error";
import { readTransactionLog } from "../shared/transaction-log-reader";

function fail(source: string, lineNumber: number, why: string): never {
  throw new AnalyticsInputError(`${source} line ${lineNumber}: ${why}`);
}

/** Parses the log text; `source` names the file in error messages, which also give the line and field. */
export function parseTransactionLog(text: string, source: string): TransactionTable {
  const records = readTransactionLog(text, { source, fail: (message) => new AnalyticsInputError(message) });
  if (records.length === 0) throw new AnalyticsInputError(`${source}: no transactions after the header`);
  const customer = new Int32Array(records.length);
  const day = new Int32Array(records.length);
  const amount = new Float64Array(records.length);
  const customerIds: string[] = [];
  const customerIndex = new Map<string, number>();
  const dayCache = new Map<string, number>();
  records.forEach((record, row) => {
    let dayNumber = dayCache.get(record.date);
    if (dayNumber === undefined) {
      dayNumber =
        parseDayNumber(record.date) ??
        fail(source, record.line, `date "${record.date}" is not a valid YYYYMMDD or YYYY-MM-DD date`);
      dayCache.set(record.date, dayNumber);
    }
    const value = Number(record.amount);
    if (record.amount === "" || !Number.isFinite(value))
      fail(source, record.line, `amount "${record.amount}" is not a number`);
    let index = customerIndex.get(record.customerId);
    if (index === undefined) {
      index = customerIds.length;
      customerIndex.set(record.customerId, index);
      customerIds.push(record.customerId);
    }
    customer[row] = index;
    day[row] = dayNumber;
    amount[row] = value;
  });
  return { customerIds, customer, day, amount };
}
