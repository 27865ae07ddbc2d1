import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterEach, describe, expect, inject, it } from "vitest";
import { programSchema } from "../../../domain";
import { memberPk } from "../../../functions/adapters/dynamo/keys";
import { purchase } from "./events";
import { createHarness, type Harness, orderIndependentProgram } from "./harness";

// A programme that publishes only some outbound event types stores only those in the outbox: the others cost
// neither ledger bytes nor bus entries.

const NOW = "2025-03-28T12:00:00Z";
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Detail-types stored in the member's outbox (the `outbound` list on ledger items). */
async function stored(h: Harness, memberId: string): Promise<string[]> {
  const { Items = [] } = await h.client.send(
    new QueryCommand({
      TableName: h.table.tableName,
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": { S: memberPk(memberId) } },
    }),
  );
  return Items.flatMap((item) => (unmarshall(item).outbound ?? []) as { type: string }[]).map((e) => e.type);
}

/** A first purchase over the Silver threshold: points, a welcome bonus and a tier change. */
const bigPurchase = (memberId: string) =>
  purchase(memberId, `o-${memberId}`, "2025-03-28T11:00:00Z", [
    { sku: "coat", category: "apparel", quantity: 1, unitPrice: 40_000 },
  ]);

describe("outbound event selection", () => {
  it("publishes every type by default, and only the chosen ones when the programme names them", async () => {
    const only = programSchema.parse({ ...orderIndependentProgram, outbound: { publish: ["Tier Changed"] } });
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW });
    await harness.deliver(bigPurchase("m-all"));
    const all = await stored(harness, "m-all");
    expect(all).toContain("Points Earned");
    expect(all).toContain("Tier Changed");
    await harness.close();
    harness = await createHarness(inject("dynamoEndpoint"), { now: NOW, program: only });
    await harness.deliver(bigPurchase("m-some"));
    expect(await stored(harness, "m-some")).toEqual(["Tier Changed"]);
  });
});
