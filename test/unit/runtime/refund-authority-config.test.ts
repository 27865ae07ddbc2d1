import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../functions/shared/config";
import { consumerConfigSchema } from "../../../functions/shared/consumer-config";

describe("REFUND_AUTHORITY_SOURCES", () => {
  const parse = (value?: string) =>
    parseConfig(consumerConfigSchema, { TABLE_NAME: "patron", REFUND_AUTHORITY_SOURCES: value })
      .REFUND_AUTHORITY_SOURCES;

  it("is no authority when unset or empty", () => {
    expect(parse()).toEqual([]);
    expect(parse("")).toEqual([]);
  });

  it("reads the comma-separated source patterns the stack writes", () => {
    expect(parse("retail.web.*, retail.app.*")).toEqual(["retail.web.*", "retail.app.*"]);
  });

  it("fails the cold start on something that is no producer source pattern", () => {
    expect(() => parse("patron")).toThrow(ConfigError);
    expect(() => parse("patron")).toThrow(/REFUND_AUTHORITY_SOURCES/);
  });
});

describe("PRODUCER_SOURCES", () => {
  const parse = (value?: string) =>
    parseConfig(consumerConfigSchema, { TABLE_NAME: "patron", PRODUCER_SOURCES: value }).PRODUCER_SOURCES;

  it("is no producer when unset or empty (a refund may then name only its own source)", () => {
    expect(parse()).toEqual([]);
    expect(parse("")).toEqual([]);
  });

  it("reads each producer's comma-separated source patterns, producers separated by semicolons", () => {
    expect(parse("retail.pos.*; retail.web.*, retail.app.*")).toEqual([
      ["retail.pos.*"],
      ["retail.web.*", "retail.app.*"],
    ]);
  });

  it("fails the cold start on something that is no producer source pattern", () => {
    expect(() => parse("retail.pos.*;patron")).toThrow(ConfigError);
    expect(() => parse("retail.pos.*;patron")).toThrow(/PRODUCER_SOURCES/);
  });
});
