import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { toApiGatewayEvent } from "../../../scripts/local/http-api/api-gateway-event";

const request = (url: string, rawHeaders: string[]): IncomingMessage =>
  ({
    url,
    method: "GET",
    httpVersion: "1.1",
    rawHeaders,
    headers: {},
    socket: { remoteAddress: "127.0.0.1" },
  }) as unknown as IncomingMessage;

const eventOf = (url: string, rawHeaders: string[] = []) =>
  toApiGatewayEvent({
    req: request(url, rawHeaders),
    body: Buffer.alloc(0),
    requestId: "r-1",
    routeKey: "$default",
    now: new Date("2026-12-06T10:00:00Z"),
  });

describe("the local API Gateway event", () => {
  it("comma-joins repeated query parameters and headers, as API Gateway does", () => {
    const event = eventOf("/members?tier=gold&tier=silver&q=a", ["X-Tag", "one", "x-tag", "two"]);
    expect(event.queryStringParameters).toEqual({ tier: "gold,silver", q: "a" });
    expect(event.headers["x-tag"]).toBe("one,two");
  });

  it("keeps names that Object itself has (constructor, __proto__) as plain parameters and headers", () => {
    const event = eventOf("/x?constructor=1&__proto__=2&toString=3&toString=4", [
      "Constructor",
      "c",
      "__proto__",
      "p",
    ]);
    const query = event.queryStringParameters ?? {};
    expect(Object.entries(query)).toEqual([
      ["constructor", "1"],
      ["__proto__", "2"],
      ["toString", "3,4"],
    ]);
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(Object.entries(event.headers)).toEqual([
      ["constructor", "c"],
      ["__proto__", "p"],
    ]);
  });
});
