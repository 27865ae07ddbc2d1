import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../../events/pattern-matcher";

// The EC2 state-change event used throughout the EventBridge content-filtering docs.
const ec2Event = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: {
    "instance-id": "i-1234567890abcdef0",
    state: "pending",
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
  },
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

describe("matchesPattern (EventBridge content filtering)", () => {
  it("matches exact values: any value of the list, every listed field (AND), case-sensitive", () => {
    expect(matchesPattern({ source: ["aws.ec2"] }, ec2Event)).toBe(true);
    expect(
      matchesPattern(
        { source: ["aws.s3", "aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
        ec2Event,
      ),
    ).toBe(true);
    expect(matchesPattern({ source: ["aws.ec2"], region: ["eu-west-1"] }, ec2Event)).toBe(false);
    expect(matchesPattern({ source: ["AWS.EC2"] }, ec2Event)).toBe(false);
  });

  it("matches nested objects and requires the nested field", () => {
    expect(matchesPattern({ detail: { state: ["pending", "running"] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { state: ["stopped"] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { missing: ["pending"] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ source: { nested: ["x"] } }, ec2Event)).toBe(false);
  });

  it("matches an array in the event if any element matches", () => {
    const arn = "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0";
    expect(matchesPattern({ resources: ["arn:aws:ec2:us-east-1:1:instance/other", arn] }, ec2Event)).toBe(
      true,
    );
    expect(matchesPattern({ resources: ["arn:aws:ec2:us-east-1:1:instance/other"] }, ec2Event)).toBe(false);
    const lines = withDetail({
      lines: [
        { sku: "A", qty: 1 },
        { sku: "B", qty: 2 },
      ],
    });
    expect(matchesPattern({ detail: { lines: { sku: ["B"], qty: [2] } } }, lines)).toBe(true);
    // Fields of one pattern object must come from the same array element.
    expect(matchesPattern({ detail: { lines: { sku: ["A"], qty: [2] } } }, lines)).toBe(false);
  });

  it("distinguishes numbers from strings and compares numbers by value", () => {
    expect(matchesPattern({ detail: { "c-count": [5] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { "c-count": ["5"] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { "x-limit": [3.018e2] } }, ec2Event)).toBe(true);
  });

  it("matches null and empty string only as values, not as absent fields", () => {
    const event = withDetail({ responseElements: null, eventVersion: "" });
    expect(matchesPattern({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { eventVersion: [""] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { other: [null] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { eventVersion: [null] } }, event)).toBe(false);
  });

  it("matches prefix, also ignoring case", () => {
    expect(matchesPattern({ time: [{ prefix: "2017-12-22" }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ time: [{ prefix: "2017-10-02" }] }, ec2Event)).toBe(false);
    expect(matchesPattern({ source: [{ prefix: { "equals-ignore-case": "AWS." } }] }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { "c-count": [{ prefix: "5" }] } }, ec2Event)).toBe(false);
  });

  it("matches suffix, also ignoring case", () => {
    const event = withDetail({ FileName: "photo.PNG" });
    expect(matchesPattern({ detail: { FileName: [{ suffix: ".PNG" }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { FileName: [{ suffix: ".png" }] } }, event)).toBe(false);
    expect(
      matchesPattern({ detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } }, event),
    ).toBe(true);
  });

  it("matches equals-ignore-case and wildcard", () => {
    expect(
      matchesPattern(
        { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] },
        ec2Event,
      ),
    ).toBe(true);
    const bus = { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/patron" };
    expect(
      matchesPattern({ EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] }, bus),
    ).toBe(true);
    expect(matchesPattern({ EventBusArn: [{ wildcard: "arn:aws:events:eu-*:*:event-bus/*" }] }, bus)).toBe(
      false,
    );
    expect(matchesPattern({ name: [{ wildcard: "a\\*b" }] }, { name: "a*b" })).toBe(true);
    expect(matchesPattern({ name: [{ wildcard: "a\\*b" }] }, { name: "axxb" })).toBe(false);
  });

  it("matches anything-but a value, a list, a prefix, a suffix or ignoring case; never an absent field", () => {
    expect(matchesPattern({ detail: { state: [{ "anything-but": "initializing" }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ "anything-but": "pending" }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { "x-limit": [{ "anything-but": 123 }] } }, ec2Event)).toBe(true);
    expect(
      matchesPattern({ detail: { state: [{ "anything-but": ["stopped", "pending"] }] } }, ec2Event),
    ).toBe(false);
    expect(matchesPattern({ detail: { "c-count": [{ "anything-but": [4, 6] }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ "anything-but": { prefix: "pend" } }] } }, ec2Event)).toBe(
      false,
    );
    expect(matchesPattern({ detail: { state: [{ "anything-but": { suffix: ".txt" } }] } }, ec2Event)).toBe(
      true,
    );
    expect(
      matchesPattern(
        { detail: { state: [{ "anything-but": { "equals-ignore-case": ["PENDING"] } }] } },
        ec2Event,
      ),
    ).toBe(false);
    expect(matchesPattern({ detail: { nothing: [{ "anything-but": "x" }] } }, ec2Event)).toBe(false);
    expect(
      matchesPattern({ source: [{ "anything-but": { prefix: "retail." } }] }, { source: "patron" }),
    ).toBe(true);
  });

  it("matches numeric ranges", () => {
    const pattern = {
      detail: {
        "c-count": [{ numeric: [">", 0, "<=", 5] }],
        "d-count": [{ numeric: ["<", 10] }],
        "x-limit": [{ numeric: ["=", 3.018e2] }],
      },
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, withDetail({ ...ec2Event.detail, "c-count": 6 }))).toBe(false);
    expect(matchesPattern(pattern, withDetail({ ...ec2Event.detail, "c-count": 0 }))).toBe(false);
    expect(matchesPattern({ detail: { state: [{ numeric: [">", 0] }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { n: [{ numeric: [">=", 10, "<", 20] }] } }, withDetail({ n: 10 }))).toBe(
      true,
    );
  });

  it("matches exists true only for present leaves, and exists false only for absent fields", () => {
    expect(matchesPattern({ detail: { state: [{ exists: true }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { "no-field": [{ exists: true }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { "no-field": [{ exists: false }] } }, ec2Event)).toBe(true);
    expect(matchesPattern({ detail: { state: [{ exists: false }] } }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: [{ exists: true }] }, ec2Event)).toBe(false);
    expect(matchesPattern({ detail: { tags: [{ exists: false }] } }, withDetail({ tags: [] }))).toBe(true);
  });

  it("ORs alternatives with $or", () => {
    const pattern = {
      detail: { $or: [{ "c-count": [{ numeric: [">", 10] }] }, { "d-count": [{ numeric: ["<", 10] }] }] },
    };
    expect(matchesPattern(pattern, ec2Event)).toBe(true);
    expect(matchesPattern(pattern, withDetail({ "c-count": 1, "d-count": 20 }))).toBe(false);
  });

  it("throws on operators it does not implement instead of misrouting", () => {
    expect(() => matchesPattern({ ip: [{ cidr: "10.0.0.0/24" }] }, { ip: "10.0.0.1" })).toThrow(
      /unsupported operator "cidr"/,
    );
    expect(() => matchesPattern({ source: "aws.ec2" }, ec2Event)).toThrow(/array of matchers/);
    expect(() => matchesPattern({ n: [{ numeric: ["~", 1] }] }, { n: 1 })).toThrow(/bad numeric/);
  });
});
