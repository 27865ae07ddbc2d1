import { parse } from "csv-parse/sync";

// The one reader of transaction logs, shared by the replay and the analytics CLI. Layouts, told apart by the
// first non-empty line:
// - CSV with a header naming customer_id, date and amount, optionally order_id and category (any order, other
//   columns ignored); parsed by csv-parse, so quoted fields (commas, quotes inside), a BOM and CRLF work;
// - CDNOW master, whitespace-separated `customer_id date cds amount` (optional header line);
// - CDNOW 1/10 sample, `master_id sample_id date cds amount` without header: the sample id (1..2357) is the
//   customer, matching the published BTYD summaries.
// Fields come back as text: what a valid date or amount is stays with each reader's caller.

export interface LogRecord {
  /** 1-based line of the record in the file, for error messages. */
  line: number;
  customerId: string;
  date: string;
  amount: string;
  orderId?: string;
  category?: string;
}

export interface ReadLogOptions {
  /** Names the file in error messages. */
  source: string;
  /** The error thrown for bad input (the analytics CLI has its own class). */
  fail?: (message: string) => Error;
}

interface Columns {
  customer: number;
  date: number;
  amount: number;
  orderId?: number;
  category?: number;
}

const WHITESPACE = /\s+/;

function csvRecords(text: string, options: ReadLogOptions, fail: (message: string) => never): LogRecord[] {
  // With `info`, csv-parse returns each record with its position (its typings don't say so).
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (error) {
    return fail(`${options.source}: ${(error as Error).message}`);
  }
  const [header, ...data] = rows;
  const names = (header?.record ?? []).map((name) => name.toLowerCase());
  const column = (name: string): number => {
    const index = names.indexOf(name);
    if (index === -1)
      fail(
        `${options.source}: CSV header must name customer_id, date and amount columns; "${name}" is missing`,
      );
    return index;
  };
  const columns: Columns = {
    customer: column("customer_id"),
    date: column("date"),
    amount: column("amount"),
  };
  const orderId = names.indexOf("order_id");
  const category = names.indexOf("category");
  if (orderId !== -1) columns.orderId = orderId;
  if (category !== -1) columns.category = category;
  const layout: Layout = { name: "CSV", width: names.length, columns };
  return data.map(({ record, info }) =>
    toRecord({ fields: record, line: info.lines, layout }, options, fail),
  );
}

interface Layout {
  name: "CSV" | "CDNOW";
  width: number;
  columns: Columns;
}

function toRecord(
  input: { fields: string[]; line: number; layout: Layout },
  options: ReadLogOptions,
  fail: (message: string) => never,
): LogRecord {
  const { fields, line, layout } = input;
  const { columns } = layout;
  const at = `${options.source} line ${line}`;
  if (fields.length !== layout.width)
    fail(`${at}: expected ${layout.width} ${layout.name} columns, found ${fields.length}`);
  const customerId = fields[columns.customer] ?? "";
  if (customerId === "") fail(`${at}: customer_id is empty`);
  const orderId = columns.orderId === undefined ? "" : (fields[columns.orderId] ?? "");
  const category = columns.category === undefined ? "" : (fields[columns.category] ?? "");
  return {
    line,
    customerId,
    date: fields[columns.date] ?? "",
    amount: fields[columns.amount] ?? "",
    ...(orderId !== "" && { orderId }),
    ...(category !== "" && { category }),
  };
}

function whitespaceRecords(
  lines: readonly string[],
  firstIndex: number,
  options: ReadLogOptions,
  fail: (message: string) => never,
): LogRecord[] {
  const first = (lines[firstIndex] ?? "").trim().split(WHITESPACE);
  const hasHeader = first[0]?.toLowerCase() === "customer_id";
  let columns: Columns;
  if (first.length === 4) columns = { customer: 0, date: 1, amount: 3 };
  else if (first.length === 5 && !hasHeader) columns = { customer: 1, date: 2, amount: 4 };
  else
    return fail(
      `${options.source}: unrecognised layout — expected a CSV header "customer_id,date,amount" or CDNOW ` +
        `whitespace columns "customer_id date cds amount", found ${first.length} column(s) on line 1`,
    );
  const layout: Layout = { name: "CDNOW", width: first.length, columns };
  const records: LogRecord[] = [];
  for (let i = firstIndex + (hasHeader ? 1 : 0); i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "") continue;
    records.push(toRecord({ fields: line.split(WHITESPACE), line: i + 1, layout }, options, fail));
  }
  return records;
}

/** Every record of the log, in file order; throws `fail(message)` naming the file, line and field. */
export function readTransactionLog(text: string, options: ReadLogOptions): LogRecord[] {
  const fail = (message: string): never => {
    throw options.fail ? options.fail(message) : new Error(message);
  };
  // Spreadsheet exports often start with a byte-order mark, which would hide the first header name.
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const firstIndex = lines.findIndex((line) => line.trim() !== "");
  if (firstIndex === -1) return fail(`${options.source}: the file is empty`);
  return (lines[firstIndex] ?? "").includes(",")
    ? csvRecords(text, options, fail)
    : whitespaceRecords(lines, firstIndex, options, fail);
}
