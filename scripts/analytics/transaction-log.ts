// Reads a transaction log's text into columns. Three layouts, told apart by the first line:
// - CSV with a header naming customer_id, date and amount (any order, other columns ignored, no quoted
//   commas);
// - CDNOW master, whitespace-separated: `customer_id date cds amount` (an optional header line is skipped);
// - CDNOW 1/10 sample, whitespace-separated without header: `master_id sample_id date cds amount` — the
//   sample id (1..2357) is used as the customer id, matching the published BTYD summaries.
// Dates are YYYYMMDD or YYYY-MM-DD.
import type { TransactionTable } from "../../domain/analytics/customer-summary";
import { parseDayNumber } from "../../domain/analytics/day-number";
import { AnalyticsInputError } from "../../domain/analytics/input-error";

interface Layout {
  name: string;
  split: (line: string) => string[];
  columns: number;
  customer: number;
  date: number;
  amount: number;
  firstDataLine: number;
}

const WHITESPACE = /\s+/;
const splitWhitespace = (line: string): string[] => line.trim().split(WHITESPACE);
const splitCsv = (line: string): string[] =>
  line.split(",").map((field) => field.trim().replace(/^"(.*)"$/, "$1"));

function detectLayout(firstLine: string, source: string): Layout {
  if (firstLine.includes(",")) {
    const header = splitCsv(firstLine).map((name) => name.toLowerCase());
    const column = (name: string): number => {
      const index = header.indexOf(name);
      if (index === -1) {
        throw new AnalyticsInputError(
          `${source}: CSV header must name customer_id, date and amount columns; "${name}" is missing`,
        );
      }
      return index;
    };
    const layout = { customer: column("customer_id"), date: column("date"), amount: column("amount") };
    return { name: "CSV", split: splitCsv, columns: header.length, ...layout, firstDataLine: 1 };
  }
  const fields = splitWhitespace(firstLine);
  const hasHeader = fields[0]?.toLowerCase() === "customer_id";
  if (fields.length === 4) {
    const firstDataLine = hasHeader ? 1 : 0;
    return {
      name: "CDNOW",
      split: splitWhitespace,
      columns: 4,
      customer: 0,
      date: 1,
      amount: 3,
      firstDataLine,
    };
  }
  if (fields.length === 5 && !hasHeader) {
    return {
      name: "CDNOW sample",
      split: splitWhitespace,
      columns: 5,
      customer: 1,
      date: 2,
      amount: 4,
      firstDataLine: 0,
    };
  }
  throw new AnalyticsInputError(
    `${source}: unrecognised layout — expected a CSV header "customer_id,date,amount" or CDNOW whitespace ` +
      `columns "customer_id date cds amount", found ${fields.length} column(s) on line 1`,
  );
}

function fail(source: string, lineNumber: number, why: string): never {
  throw new AnalyticsInputError(`${source} line ${lineNumber}: ${why}`);
}

/** Parses the log text; `source` names the file in error messages, which also give the line and field. */
export function parseTransactionLog(text: string, source: string): TransactionTable {
  // Spreadsheet exports often start with a byte-order mark, which would hide the first header name.
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  const firstIndex = lines.findIndex((line) => line.trim() !== "");
  if (firstIndex === -1) throw new AnalyticsInputError(`${source}: the file is empty`);
  const layout = detectLayout(lines[firstIndex] as string, source);

  const capacity = lines.length;
  const customer = new Int32Array(capacity);
  const day = new Int32Array(capacity);
  const amount = new Float64Array(capacity);
  const customerIds: string[] = [];
  const customerIndex = new Map<string, number>();
  const dayCache = new Map<string, number>();
  let rows = 0;
  for (let i = firstIndex + layout.firstDataLine; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    // A plain function, not a per-line closure: closures in this hot loop cost measurable time.
    const lineNumber = i + 1;
    const fields = layout.split(line);
    if (fields.length !== layout.columns) {
      fail(source, lineNumber, `expected ${layout.columns} ${layout.name} columns, found ${fields.length}`);
    }
    const id = fields[layout.customer] as string;
    if (id === "") fail(source, lineNumber, "customer_id is empty");
    const dateText = fields[layout.date] as string;
    let dayNumber = dayCache.get(dateText);
    if (dayNumber === undefined) {
      dayNumber =
        parseDayNumber(dateText) ??
        fail(source, lineNumber, `date "${dateText}" is not a valid YYYYMMDD or YYYY-MM-DD date`);
      dayCache.set(dateText, dayNumber);
    }
    const amountText = fields[layout.amount] as string;
    const value = Number(amountText);
    if (amountText === "" || !Number.isFinite(value))
      fail(source, lineNumber, `amount "${amountText}" is not a number`);
    let index = customerIndex.get(id);
    if (index === undefined) {
      index = customerIds.length;
      customerIndex.set(id, index);
      customerIds.push(id);
    }
    customer[rows] = index;
    day[rows] = dayNumber;
    amount[rows] = value;
    rows++;
  }
  if (rows === 0) throw new AnalyticsInputError(`${source}: no transactions after the header`);
  return {
    customerIds,
    customer: customer.slice(0, rows),
    day: day.slice(0, rows),
    amount: amount.slice(0, rows),
  };
}
