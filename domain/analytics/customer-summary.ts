// Turns a transaction log into the per-customer calibration summary the models use: x (repeat purchases),
// t_x (time of the last repeat purchase) and T (time observed), all measured from the first purchase.
import { formatDayNumber } from "./day-number";
import { AnalyticsInputError } from "./input-error";

/** A transaction log in columns. `customer[i]` indexes `customerIds`; `day` is a day number (day-number.ts). */
export interface TransactionTable {
  customerIds: readonly string[];
  customer: Int32Array;
  day: Int32Array;
  amount: Float64Array;
}

export type TimeUnit = "week" | "day";
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { week: 7, day: 1 };

/** One entry per customer whose first purchase is on or before the calibration end. Times are in `unit`s. */
export interface CustomerSummary {
  unit: TimeUnit;
  calibrationEnd: number;
  customerIds: string[];
  firstPurchaseDay: Int32Array;
  /** Repeat purchases in the calibration period: distinct purchase days after the first. */
  x: Int32Array;
  /** Time from the first purchase to the last calibration purchase (0 when x = 0). */
  tx: Float64Array;
  /** Time from the first purchase to the calibration end. */
  T: Float64Array;
  /** m_x: mean value of the calibration repeat purchases, same-day purchases merged (0 when x = 0). */
  meanRepeatValue: Float64Array;
  /** Calibration spend including the first purchase. */
  totalValue: Float64Array;
  /** Distinct purchase days after the calibration end (the holdout count x*). */
  holdoutPurchases: Int32Array;
}

/**
 * Builds the calibration summary. Purchases by one customer on one day merge into one purchase (amounts
 * added). The calibration end day is inclusive and must lie within the log's date range.
 */
export function buildCustomerSummary(
  log: TransactionTable,
  options: { calibrationEnd: number; unit: TimeUnit },
): CustomerSummary {
  const { calibrationEnd, unit } = options;
  const rows = log.customer.length;
  if (rows === 0) throw new AnalyticsInputError("transaction log: it holds no transactions");
  if (log.day.length !== rows || log.amount.length !== rows) {
    throw new AnalyticsInputError("transaction log: customer, day and amount columns differ in length");
  }
  let firstDay = log.day[0] as number;
  let lastDay = firstDay;
  for (let i = 1; i < rows; i++) {
    const day = log.day[i] as number;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  if (calibrationEnd < firstDay || calibrationEnd > lastDay) {
    throw new AnalyticsInputError(
      `calibration end ${formatDayNumber(calibrationEnd)} is outside the data (transactions run ` +
        `${formatDayNumber(firstDay)} to ${formatDayNumber(lastDay)})`,
    );
  }

  const order = sortedRowOrder(log);
  const capacity = log.customerIds.length;
  const out = {
    customerIds: [] as string[],
    firstPurchaseDay: new Int32Array(capacity),
    x: new Int32Array(capacity),
    tx: new Float64Array(capacity),
    T: new Float64Array(capacity),
    meanRepeatValue: new Float64Array(capacity),
    totalValue: new Float64Array(capacity),
    holdoutPurchases: new Int32Array(capacity),
  };
  const unitDays = DAYS_PER_UNIT[unit];
  let count = 0;
  let i = 0;
  while (i < rows) {
    const customer = log.customer[order[i] as number] as number;
    const first = log.day[order[i] as number] as number;
    let repeats = 0;
    let repeatValue = 0;
    let total = 0;
    let lastRepeat = first;
    let holdout = 0;
    // Walk this customer's rows one purchase day at a time.
    while (i < rows && log.customer[order[i] as number] === customer) {
      const day = log.day[order[i] as number] as number;
      let dayValue = 0;
      while (
        i < rows &&
        log.customer[order[i] as number] === customer &&
        log.day[order[i] as number] === day
      ) {
        dayValue += log.amount[order[i] as number] as number;
        i++;
      }
      if (day > calibrationEnd) {
        holdout++;
        continue;
      }
      total += dayValue;
      if (day !== first) {
        repeats++;
        repeatValue += dayValue;
        lastRepeat = day;
      }
    }
    if (first > calibrationEnd) continue; // not yet a customer at the calibration end
    out.customerIds.push(log.customerIds[customer] as string);
    out.firstPurchaseDay[count] = first;
    out.x[count] = repeats;
    out.tx[count] = (lastRepeat - first) / unitDays;
    out.T[count] = (calibrationEnd - first) / unitDays;
    out.meanRepeatValue[count] = repeats > 0 ? repeatValue / repeats : 0;
    out.totalValue[count] = total;
    out.holdoutPurchases[count] = holdout;
    count++;
  }
  return {
    unit,
    calibrationEnd,
    customerIds: out.customerIds,
    firstPurchaseDay: out.firstPurchaseDay.slice(0, count),
    x: out.x.slice(0, count),
    tx: out.tx.slice(0, count),
    T: out.T.slice(0, count),
    meanRepeatValue: out.meanRepeatValue.slice(0, count),
    totalValue: out.totalValue.slice(0, count),
    holdoutPurchases: out.holdoutPurchases.slice(0, count),
  };
}

/** Row indices ordered by customer, then day. Logs usually arrive sorted, so that case skips the sort. */
function sortedRowOrder(log: TransactionTable): Uint32Array {
  const rows = log.customer.length;
  const order = new Uint32Array(rows);
  let sorted = true;
  for (let i = 0; i < rows; i++) {
    order[i] = i;
    if (i > 0) {
      const customerStep = (log.customer[i] as number) - (log.customer[i - 1] as number);
      if (customerStep < 0 || (customerStep === 0 && (log.day[i] as number) < (log.day[i - 1] as number))) {
        sorted = false;
      }
    }
  }
  if (!sorted) {
    order.sort((p, q) => {
      const byCustomer = (log.customer[p] as number) - (log.customer[q] as number);
      return byCustomer !== 0 ? byCustomer : (log.day[p] as number) - (log.day[q] as number);
    });
  }
  return order;
}
