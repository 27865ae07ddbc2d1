// Reads a purchase log for the replay. Layouts, told apart by the first line:
// - CSV with a header naming customer_id, date and amount, optionally order_id and category (any order,
//   other columns ignored, no quoted commas);
// - CDNOW master, whitespace-separated `customer_id date cds amount` (optional header line);
// - CDNOW 1/10 sample, `master_id sample_id date cds amount` (the sample id is the customer).
// Dates are YYYYMMDD or YYYY-MM-DD; amounts are in major units (e.g. 12.50).

export interface PurchaseRow {
  customerId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  amountMinor: number;
  orderId?: string;
  category?: string;
}

interface Layout {
  split: (line: string) => string[];
  columns: number;
  customer: number;
  date: number;
  amount: number;
  orderId?: number;
  category?: number;
  firstDataLine: number;
}

const splitWhitespace = (line: string): string[] => line.trim().split(/\s+/);
const splitCsv = (line: string): string[] => line.split(",").map((f) => f.trim().replace(/^"(.*)"$/, "$1"));

function detectLayout(firstLine: string, source: string): Layout {
  if (firstLine.includes(",")) {
    const header = splitCsv(firstLine).map((name) => name.toLowerCase());
    const required = (name: string): number => {
      const index = header.indexOf(name);
      if (index === -1)
        throw new Error(
          `${source}: the CSV header must name customer_id, date and amount; "${name}" is missing`,
        );
      return index;
    };
    const orderId = header.indexOf("order_id");
    const category = header.indexOf("category");
    return {
      split: splitCsv,
      columns: header.length,
      customer: required("customer_id"),
      date: required("date"),
      amount: required("amount"),
      ...(orderId !== -1 && { orderId }),
      ...(category !== -1 && { category }),
      firstDataLine: 1,
    };
  }
  const fields = splitWhitespace(firstLine);
  const hasHeader = fields[0]?.toLowerCase() === "customer_id";
  if (fields.length === 4)
    return {
      split: splitWhitespace,
      columns: 4,
      customer: 0,
      date: 1,
      amount: 3,
      firstDataLine: hasHeader ? 1 : 0,
    };
  if (fields.length === 5 && !hasHeader)
    return { split: splitWhitespace, columns: 5, customer: 1, date: 2, amount: 4, firstDataLine: 0 };
  throw new Error(
    `${source}: unrecognised layout — expected a CSV header "customer_id,date,amount[,order_id,category]" or ` +
      `CDNOW columns "customer_id date cds amount"; line 1 has ${fields.length} column(s)`,
  );
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
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const firstIndex = lines.findIndex((line) => line.trim() !== "");
  if (firstIndex === -1) throw new Error(`${source}: the file is empty`);
  const layout = detectLayout(lines[firstIndex] as string, source);
  const rows: PurchaseRow[] = [];
  for (let i = firstIndex + layout.firstDataLine; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    const at = `${source} line ${i + 1}`;
    const fields = layout.split(line);
    if (fields.length !== layout.columns)
      throw new Error(`${at}: expected ${layout.columns} columns, found ${fields.length}`);
    const customerId = fields[layout.customer] as string;
    if (customerId === "") throw new Error(`${at}: customer_id is empty`);
    const dateText = fields[layout.date] as string;
    const day = isoDay(dateText);
    if (!day) throw new Error(`${at}: date "${dateText}" is not a valid YYYYMMDD or YYYY-MM-DD date`);
    const amountText = fields[layout.amount] as string;
    const amount = Number(amountText);
    if (amountText === "" || !Number.isFinite(amount) || amount < 0)
      throw new Error(`${at}: amount "${amountText}" must be a number >= 0 (major units, e.g. 12.50)`);
    const orderId = layout.orderId === undefined ? "" : (fields[layout.orderId] as string);
    const category = layout.category === undefined ? "" : (fields[layout.category] as string);
    rows.push({
      customerId,
      day,
      amountMinor: Math.round(amount * 100),
      ...(orderId !== "" && { orderId }),
      ...(category !== "" && { category }),
    });
  }
  if (rows.length === 0) throw new Error(`${source}: no purchases after the header`);
  // Array.prototype.sort is stable, so same-day purchases stay in file order.
  return rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
