import { describe, expect, it } from "vitest";
import { buildCustomerSummary } from "../../../domain/analytics/customer-summary";
import { formatDayNumber, parseDayNumber } from "../../../domain/analytics/day-number";
import { AnalyticsInputError } from "../../../domain/analytics/input-error";
import { parseTransactionLog } from "../../../scripts/analytics/transaction-log";

const day = (text: string): number => parseDayNumber(text) as number;

describe("day numbers", () => {
  it("reads both date forms and rejects impossible dates", () => {
    expect(day("1970-01-02")).toBe(1);
    expect(day("19970930")).toBe(day("1997-09-30"));
    expect(day("2024-02-29") - day("2024-02-28")).toBe(1);
    for (const bad of ["1997-02-30", "2023-02-29", "19971301", "1997-9-30", "30/09/1997", ""]) {
      expect(parseDayNumber(bad)).toBeUndefined();
    }
    expect(formatDayNumber(day("1997-09-30"))).toBe("1997-09-30");
  });
});

describe("buildCustomerSummary", () => {
  const log = parseTransactionLog(
    [
      "customer_id,date,amount",
      "a,1997-01-01,10",
      "a,1997-01-01,5", // same day as the first purchase: merged into it
      "a,1997-01-15,20",
      "a,1997-01-15,4", // merged: one repeat purchase worth 24
      "a,1997-01-29,30",
      "a,1997-02-05,99", // after the calibration end: holdout
      "b,1997-01-22,7",
      "c,1997-02-05,8", // first buys after the calibration end: not yet a customer
    ].join("\n"),
    "test.csv",
  );

  it("merges same-day purchases and measures times from the first purchase", () => {
    const summary = buildCustomerSummary(log, { calibrationEnd: day("1997-01-29"), unit: "week" });
    expect(summary.customerIds).toEqual(["a", "b"]);
    expect([...summary.x]).toEqual([2, 0]);
    expect([...summary.tx]).toEqual([4, 0]);
    expect([...summary.T]).toEqual([4, 1]);
    expect([...summary.meanRepeatValue]).toEqual([27, 0]);
    expect([...summary.totalValue]).toEqual([69, 7]);
    expect([...summary.holdoutPurchases]).toEqual([1, 0]);
    expect([...summary.firstPurchaseDay]).toEqual([day("1997-01-01"), day("1997-01-22")]);
  });

  it("counts the calibration end day inside the calibration period and measures days when asked", () => {
    const summary = buildCustomerSummary(log, { calibrationEnd: day("1997-01-28"), unit: "day" });
    expect([...summary.x]).toEqual([1, 0]);
    expect([...summary.tx]).toEqual([14, 0]);
    expect([...summary.T]).toEqual([27, 6]);
    expect([...summary.holdoutPurchases]).toEqual([2, 0]);
  });

  it("gives the same summary whatever order the rows arrive in", () => {
    const reversed = {
      customerIds: log.customerIds,
      customer: log.customer.slice().reverse(),
      day: log.day.slice().reverse(),
      amount: log.amount.slice().reverse(),
    };
    const options = { calibrationEnd: day("1997-01-29"), unit: "week" as const };
    expect(buildCustomerSummary(reversed, options)).toEqual(buildCustomerSummary(log, options));
  });

  it("refuses a calibration end outside the data, naming the data's range", () => {
    const before = () => buildCustomerSummary(log, { calibrationEnd: day("1996-12-31"), unit: "week" });
    expect(before).toThrow(AnalyticsInputError);
    expect(before).toThrow(
      "calibration end 1996-12-31 is outside the data (transactions run 1997-01-01 to 1997-02-05)",
    );
    expect(() => buildCustomerSummary(log, { calibrationEnd: day("1997-03-01"), unit: "week" })).toThrow(
      /outside the data/,
    );
  });
});
