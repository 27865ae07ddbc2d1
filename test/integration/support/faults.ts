import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * Makes the `nth` TransactWriteItems sent through `client` from now on fail: "before-send" never reaches
 * DynamoDB; "after-commit" lets DynamoDB commit and then loses the response, like a timeout.
 */
export function failNthTransaction(
  client: DynamoDBClient,
  nth: number,
  when: "before-send" | "after-commit",
): void {
  let seen = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      seen += 1;
      if (seen !== nth) return next(args);
      if (when === "before-send") throw new Error("injected fault before send");
      await next(args);
      throw new Error("injected fault after commit");
    },
    { step: "initialize", name: `injectedFault${nth}${when}` },
  );
}
