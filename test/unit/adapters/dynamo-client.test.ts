import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoClient, SDK_LOGGER_MIDDLEWARE } from "../../../functions/adapters/dynamo/client";

const stackOf = (client: DynamoDBClient) =>
  client.middlewareStack.identify().map((entry) => entry.split(" ")[0]);

describe("createDynamoClient", () => {
  it("leaves out the SDK's logger middleware, in AWS and locally", () => {
    // A plain client's stack names it, so the name removed is still the SDK's.
    expect(stackOf(new DynamoDBClient({ region: "eu-west-1" }))).toContain(SDK_LOGGER_MIDDLEWARE);
    expect(stackOf(createDynamoClient({ region: "eu-west-1" }))).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(stackOf(createDynamoClient({ endpoint: "http://127.0.0.1:8000" }))).not.toContain(
      SDK_LOGGER_MIDDLEWARE,
    );
  });
});
