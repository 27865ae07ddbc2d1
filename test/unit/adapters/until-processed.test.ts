import { BatchGetItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { batchGetItems } from "../../../functions/adapters/dynamo/batch-get";
import { untilProcessed } from "../../../functions/adapters/dynamo/until-processed";

// DynamoDB's batch calls may leave part of a request unprocessed; only that part is sent again, a bounded
// number of times, and what is still left then is an error rather than a silent loss.

describe("untilProcessed", () => {
  it("sends again only what came back unprocessed, until nothing is left", async () => {
    const sent: number[][] = [];
    await untilProcessed(
      [1, 2, 3, 4],
      async (batch) => {
        sent.push([...batch]);
        return batch.slice(1);
      },
      { attempts: 5, what: "test" },
    );
    expect(sent).toEqual([[1, 2, 3, 4], [2, 3, 4], [3, 4], [4]]);
  });

  it("gives up after its attempts, naming the call and how much is left", async () => {
    let calls = 0;
    const stuck = untilProcessed(
      ["a", "b"],
      async (batch) => {
        calls += 1;
        return batch;
      },
      { attempts: 3, what: "BatchWriteItem" },
    );
    await expect(stuck).rejects.toThrow("BatchWriteItem: 2 still unprocessed");
    expect(calls).toBe(3);
  });

  it("makes no call for nothing", async () => {
    let calls = 0;
    await untilProcessed([], async () => [String(calls++)], { attempts: 1, what: "test" });
    expect(calls).toBe(0);
  });
});

describe("batchGetItems with keys left unprocessed (fault injected)", () => {
  it("returns every item, asking again for the unprocessed keys only", async () => {
    const client = new DynamoDBClient({ region: "us-east-1" });
    const mock = mockClient(client);
    const key = (id: string) => ({ PK: { S: id }, SK: { S: "STATE" } });
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { t: [key("a")] }, UnprocessedKeys: { t: { Keys: [key("b")] } } })
      .resolvesOnce({ Responses: { t: [key("b")] } });
    const items = await batchGetItems(client, "t", [key("a"), key("b")]);
    expect(items).toEqual([key("a"), key("b")]);
    const second = mock.commandCalls(BatchGetItemCommand)[1]?.args[0].input;
    expect(second?.RequestItems?.t?.Keys).toEqual([key("b")]);
    mock.restore();
  });
});
