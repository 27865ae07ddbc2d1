import { type AttributeValue, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findByDetailType } from "../../../events/catalog";
import { outboxEvents } from "../../../functions/adapters/bus/outbox";
import { LEDGER_PREFIX, memberPk } from "../../../functions/adapters/dynamo/keys";
import { marketerToken, memberToken, startTestApi, type TestApi } from "./http-fixture";

// Changes made through the HTTP API publish through the same outbox as the pipeline's: what the outbox
// publisher would put on the bus after an adjustment or a redemption must fit its published contract.

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.stop();
});

/** The member's ledger items as the table stream would carry their INSERTs. */
async function streamRecords(memberId: string): Promise<DynamoDBRecord[]> {
  const { Items } = await t.api.table.client.send(
    new QueryCommand({
      TableName: t.api.table.tableName,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :ledger)",
      ExpressionAttributeValues: { ":pk": { S: memberPk(memberId) }, ":ledger": { S: LEDGER_PREFIX } },
    }),
  );
  return (Items ?? []).map((item) => ({
    eventName: "INSERT",
    dynamodb: { NewImage: item as Record<string, never> as Record<string, AttributeValue> as never },
  }));
}

describe("outbound events of HTTP changes", () => {
  it("credits, debits and redemptions publish events that validate against events/outbound", async () => {
    await t.enrol("contract-1");
    const adjusted = await t.call("POST", "/members/contract-1/adjustments", {
      token: await marketerToken("alice"),
      headers: { "idempotency-key": "contract-credit-1" },
      body: { points: 1000, reason: "Goodwill credit" },
    });
    expect(adjusted.status).toBe(201);
    const redeemed = await t.call("POST", "/me/redemptions", {
      token: await memberToken("contract-1"),
      headers: { "idempotency-key": "contract-redeem-1" },
      body: { rewardId: "free-coffee" },
    });
    expect(redeemed.status).toBe(201);
    const debited = await t.call("POST", "/members/contract-1/adjustments", {
      token: await marketerToken("alice"),
      headers: { "idempotency-key": "contract-debit-1" },
      body: { points: -50, reason: "Duplicate credit taken back" },
    });
    expect(debited.status).toBe(201);

    const events = (await streamRecords("contract-1")).flatMap(outboxEvents);
    expect(events.map((event) => event.type).sort()).toEqual([
      "Points Deducted",
      "Points Earned",
      "Points Redeemed",
    ]);
    for (const event of events) {
      const parsed = findByDetailType(event.type)?.schema.safeParse(event.detail);
      expect(parsed?.success, `${event.type}: ${JSON.stringify(parsed?.error?.issues)}`).toBe(true);
    }
  });
});
