import { type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";

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

/** Makes every TransactWriteItems through `client` lose the race for an item, as under a hot member. */
export function conflictEveryTransaction(client: DynamoDBClient): { attempts: () => number } {
  let attempts = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      attempts += 1;
      throw new TransactionCanceledException({
        message: "Transaction cancelled (injected)",
        $metadata: {},
        CancellationReasons: [{ Code: "TransactionConflict" }],
      });
    },
    { step: "initialize", name: "injectedConflicts" },
  );
  return { attempts: () => attempts };
}
