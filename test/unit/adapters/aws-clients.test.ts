import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { createEventBridgeClient } from "../../../functions/adapters/bus/event-bridge-client";
import { createDynamoClient } from "../../../functions/adapters/dynamo/client";
import { createSesClient } from "../../../functions/adapters/ses/mailer";
import { SDK_LOGGER_MIDDLEWARE } from "../../../functions/shared/sdk-logger";

const stackOf = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().map((entry) => entry.split(" ")[0]);

describe("Patron's AWS clients", () => {
  it("leaves out the SDK's logger middleware, in AWS and locally", () => {
    // A plain client's stack names it, so the name removed is still the SDK's.
    expect(stackOf(new DynamoDBClient({ region: "eu-west-1" }))).toContain(SDK_LOGGER_MIDDLEWARE);
    expect(stackOf(createDynamoClient({ region: "eu-west-1" }))).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(stackOf(createDynamoClient({ endpoint: "http://127.0.0.1:8000" }))).not.toContain(
      SDK_LOGGER_MIDDLEWARE,
    );
    expect(stackOf(new EventBridgeClient({ region: "eu-west-1" }))).toContain(SDK_LOGGER_MIDDLEWARE);
    expect(stackOf(createEventBridgeClient({ region: "eu-west-1" }))).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(stackOf(createSesClient({ region: "eu-west-1" }))).not.toContain(SDK_LOGGER_MIDDLEWARE);
  });
});
