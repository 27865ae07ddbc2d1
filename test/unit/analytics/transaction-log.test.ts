import { describe, expect, it } from "vitest";
import { parseDayNumber } from "../../../domain/analytics/day-number";
import { parseTransactionLog } from "../../../scripts/analytics/transaction-log";

describe("parseTransactionLog", () => {
  it("reads a CSV by its header names, in any column order", () => {
    const log = parseTransactionLog(
      '\uFEFFamount,note,customer_id,date\r\n12.5,x,"c-1",1997-01-02\r\n3,y,c-2,19970103\r\n',
      "t.csv",
    );
    expect(log.customerIds).toEqual(["c-1", "c-2"]);
    expect([...log.amount]).toEqual([12.5, 3]);
    expect([...log.day]).toEqual([parseDayNumber("1997-01-02"), parseDayNumber("1997-01-03")]);
  });

  it("reads the CDNOW master layout with its header and CRLF endings", () => {
    const text =
      "customer_id date number_of_cds dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n";
    const log = parseTransactionLog(text, "master.txt");
    expect(log.customerIds).toEqual(["00001", "00002"]);
    expect([...log.amount]).toEqual([11.77, 12]);
  });

  it("reads the 5-column CDNOW sample layout, keyed by the sample id", () => {
    const text =
      " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n 00018 0002 19970102  2   28.86\r\n";
    const log = parseTransactionLog(text, "sample.txt");
    expect(log.customerIds).toEqual(["0001", "0002"]);
    expect([...log.customer]).toEqual([0, 0, 1]);
  });

  it.each([
    ["", "t.csv: the file is empty"],
    [
      "customer,date,amount\n1,1997-01-01,2",
      't.csv: CSV header must name customer_id, date and amount columns; "customer_id" is missing',
    ],
    ["customer_id,date,amount\n", "t.csv: no transactions after the header"],
    [
      "customer_id,date,amount\n1,1997-01-01,2\n2,1997-02-30,3",
      't.csv line 3: date "1997-02-30" is not a valid YYYYMMDD or YYYY-MM-DD date',
    ],
    ["customer_id,date,amount\n1,1997-01-01,ten", 't.csv line 2: amount "ten" is not a number'],
    ["customer_id,date,amount\n1,1997-01-01", "t.csv line 2: expected 3 CSV columns, found 2"],
    ["customer_id,date,amount\n,1997-01-01,1", "t.csv line 2: customer_id is empty"],
    [
      "a b c\n",
      't.csv: unrecognised layout — expected a CSV header "customer_id,date,amount" or CDNOW whitespace columns "customer_id date cds amount", found 3 column(s) on line 1',
    ],
    ["1 19970101 1 2\n2 19970101 1\n", "t.csv line 2: expected 4 CDNOW columns, found 3"],
  ])("explains what is wrong with %j", (text, message) => {
    expect(() => parseTransactionLog(text, "t.csv")).toThrow(message);
  });
});
