import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../../events/pattern-matcher";
import { grantKey } from "../../../functions/adapters/dynamo/keys";
import { approvedGrantRecordPattern, grantIdOfRecord } from "../../../functions/grants/grant-start-filter";

// The pattern the deployed Pipe and the local platform use to start a grant's run: only a GRANT item whose new
// image says `approved` (created so, or just approved), never a pending, running or finished one, nor any other item.

const record = (eventName: "INSERT" | "MODIFY", image: Record<string, unknown>) =>
  ({
    eventName,
    dynamodb: { NewImage: marshall(image, { removeUndefinedValues: true }) },
  }) as DynamoDBRecord;

const grantItem = (status: string) => ({
  PK: grantKey("g-1").PK.S,
  SK: grantKey("g-1").SK.S,
  status,
  grant: { grantId: "g-1", points: 100, reason: "Thanks" },
});

describe("approved grant records", () => {
  it("match a GRANT item stored or moved to approved, and give its grant id", () => {
    for (const event of ["INSERT", "MODIFY"] as const) {
      const approved = record(event, grantItem("approved"));
      expect(matchesPattern(approvedGrantRecordPattern, approved)).toBe(true);
      expect(grantIdOfRecord(approved)).toBe("g-1");
    }
  });

  it("do not match other statuses, other items of the grant, or other items with an approved status", () => {
    for (const status of ["pending-approval", "running", "done", "failed", "rejected"]) {
      expect(matchesPattern(approvedGrantRecordPattern, record("MODIFY", grantItem(status)))).toBe(false);
    }
    const part = { ...grantItem("approved"), SK: "PART#0001" };
    expect(matchesPattern(approvedGrantRecordPattern, record("MODIFY", part))).toBe(false);
    const adjustment = { PK: "MEMBER#m-1", SK: "ADJUSTMENT#a-1", status: "approved" };
    expect(matchesPattern(approvedGrantRecordPattern, record("INSERT", adjustment))).toBe(false);
    expect(matchesPattern(approvedGrantRecordPattern, { eventName: "REMOVE", dynamodb: {} })).toBe(false);
  });
});
