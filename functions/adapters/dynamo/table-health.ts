import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { HEALTH_KEY } from "./keys";

/** Whether the table answers: one GetItem of the HEALTH item (absent or not, the read is what counts). */
export interface TableHealth {
  /** Resolves when the table answered; rejects with the SDK's error otherwise. */
  ping(): Promise<void>;
}

export function createTableHealth(options: { client: DynamoDBClient; tableName: string }): TableHealth {
  return {
    async ping() {
      await options.client.send(new GetItemCommand({ TableName: options.tableName, Key: HEALTH_KEY }));
    },
  };
}
