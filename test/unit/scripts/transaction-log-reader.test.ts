import { describe, expect, it } from "vitest";
import { parseTransactionLog } from "../../../scripts/analytics/transaction-log";
import { parsePurchaseLog } from "../../../scripts/replay/purchase-log";
import { readTransactionLog } from "../../../scripts/shared/transaction-log-reader";

// The replay and the analytics CLI read logs through one reader; split-by-comma readers broke on a quoted comma.

describe("readTransactionLog", () => {
  it("keeps a quoted comma and a doubled quote inside their field", () => {
    const text =
      'customer_id,date,amount,order_id,category\nc-1,2024-01-02,12.50,o-1,"Home, Garden"\n' +
      'c-2,2024-01-03,3,o-2,"The ""Best"" Teas"\n';
    expect(readTransactionLog(text, { source: "t.csv" })).toEqual([
      {
        line: 2,
        customerId: "c-1",
        date: "2024-01-02",
        amount: "12.50",
        orderId: "o-1",
        category: "Home, Garden",
      },
      {
        line: 3,
        customerId: "c-2",
        date: "2024-01-03",
        amount: "3",
        orderId: "o-2",
        category: 'The "Best" Teas',
      },
    ]);
  });

  it("reads a BOM, CRLF endings and blank lines, and names the file line of a bad record", () => {
    const text = "\uFEFFCustomer_ID,Date,Amount\r\n\r\nc-1,20240102,1\r\n,20240103,2\r\n";
    expect(() => readTransactionLog(text, { source: "t.csv" })).toThrow("t.csv line 4: customer_id is empty");
  });

  it("counts a quoted line break as part of the record, so later line numbers stay right", () => {
    const text = 'customer_id,date,amount,category\nc-1,2024-01-02,1,"two\nlines"\nc-2,2024-01-03,x\n';
    expect(() => readTransactionLog(text, { source: "t.csv" })).toThrow(
      "t.csv line 4: expected 4 CSV columns, found 3",
    );
  });

  it("gives the replay and the analytics CLI the same rows", () => {
    const text =
      'customer_id,date,amount,category\nc-1,2024-01-02,12.5,"Home, Garden"\nc-1,2024-02-03,3,Tea\n';
    expect(parsePurchaseLog(text, "t.csv")).toEqual([
      { customerId: "c-1", day: "2024-01-02", amountMinor: 1250, category: "Home, Garden" },
      { customerId: "c-1", day: "2024-02-03", amountMinor: 300, category: "Tea" },
    ]);
    const table = parseTransactionLog(text, "t.csv");
    expect(table.customerIds).toEqual(["c-1"]);
    expect([...table.amount]).toEqual([12.5, 3]);
  });
});
