import type { AttributeValue, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { itemSize, readUnitsFor, writeUnitsFor } from "./item-size";

// Counts requests and capacity units per operation from item sizes, because DynamoDB Local's
// ConsumedCapacity is not faithful for transactions. Units follow the documented billing rules;
// where the true size of a written item is unknowable from the request (Update/Delete/ConditionCheck
// touch an item we don't see), the figure is an estimate — see TABLE-DESIGN.md "Capacity counter".

export interface OperationCounter {
  requests: number;
  /** Requests that ended in an error (conditional failures included). */
  failed: number;
  readUnits: number;
  writeUnits: number;
  /** Items read (returned) or written by the operation. */
  items: number;
}

export interface CapacityCounter {
  counters(): Record<string, OperationCounter>;
  total(): OperationCounter;
  reset(): void;
}

type Item = Record<string, AttributeValue>;
type Cost = Omit<OperationCounter, "requests" | "failed">;
// Command inputs/outputs arrive untyped through the middleware stack.
// biome-ignore lint/suspicious/noExplicitAny: shapes are checked per operation below
type Loose = any;

const NONE: Cost = { readUnits: 0, writeUnits: 0, items: 0 };
const TRANSACTION_FACTOR = 2;
// Errors after which DynamoDB has evaluated the request and charges for it.
const CHARGED_ERRORS = new Set(["ConditionalCheckFailedException", "TransactionCanceledException"]);

const readFactor = (consistent: boolean | undefined): number => (consistent ? 1 : 0.5);

/** Estimated size of an item an Update writes: key + the values named in the request. */
function updateSize(update: Loose): number {
  return itemSize(update.Key ?? {}) + itemSize(update.ExpressionAttributeValues ?? {});
}

function sumReads(items: Item[] | undefined, consistent: boolean | undefined): Cost {
  const list = items ?? [];
  const bytes = list.reduce((sum, item) => sum + itemSize(item), 0);
  return { readUnits: readUnitsFor(bytes) * readFactor(consistent), writeUnits: 0, items: list.length };
}

function transactWriteCost(input: Loose): Cost {
  let writeUnits = 0;
  for (const action of input.TransactItems ?? []) {
    if (action.Put) writeUnits += writeUnitsFor(itemSize(action.Put.Item));
    else if (action.Update) writeUnits += writeUnitsFor(updateSize(action.Update));
    // Delete and ConditionCheck target an item whose size the request doesn't show: 1 KB assumed.
    else writeUnits += writeUnitsFor(itemSize((action.Delete ?? action.ConditionCheck).Key));
  }
  const items = input.TransactItems?.length ?? 0;
  return { readUnits: 0, writeUnits: writeUnits * TRANSACTION_FACTOR, items };
}

function batchWriteCost(input: Loose, output: Loose): Cost {
  let writeUnits = 0;
  let items = 0;
  for (const [table, requests] of Object.entries<Loose[]>(input.RequestItems ?? {})) {
    const unprocessed = new Set(output?.UnprocessedItems?.[table] ?? []);
    for (const request of requests) {
      if (unprocessed.has(request)) continue;
      const written = request.PutRequest?.Item ?? request.DeleteRequest.Key;
      writeUnits += writeUnitsFor(itemSize(written));
      items += 1;
    }
  }
  return { readUnits: 0, writeUnits, items };
}

function batchGetCost(input: Loose, output: Loose): Cost {
  let readUnits = 0;
  let items = 0;
  for (const [table, request] of Object.entries<Loose>(input.RequestItems ?? {})) {
    const found: Item[] = output?.Responses?.[table] ?? [];
    const unprocessed = output?.UnprocessedKeys?.[table]?.Keys?.length ?? 0;
    const missing = request.Keys.length - unprocessed - found.length;
    // Each key is billed like a GetItem: rounded per item, a miss still costs the minimum.
    const units = found.reduce((sum, item) => sum + readUnitsFor(itemSize(item)), 0) + missing;
    readUnits += units * readFactor(request.ConsistentRead);
    items += found.length;
  }
  return { readUnits, writeUnits: 0, items };
}

function transactGetCost(output: Loose): Cost {
  const found: Item[] = (output?.Responses ?? []).map((r: Loose) => r.Item ?? {});
  const units = found.reduce((sum, item) => sum + readUnitsFor(itemSize(item)), 0);
  return { readUnits: units * TRANSACTION_FACTOR, writeUnits: 0, items: found.length };
}

/** Capacity an operation consumed; `output` is undefined when the request failed. */
function costOf(operation: string, input: Loose, output: Loose): Cost {
  switch (operation) {
    case "GetItem": {
      const bytes = output?.Item ? itemSize(output.Item) : 0;
      return {
        readUnits: readUnitsFor(bytes) * readFactor(input.ConsistentRead),
        writeUnits: 0,
        items: output?.Item ? 1 : 0,
      };
    }
    case "Query":
    case "Scan":
      // Billed on the summed size of the items read, rounded once per page.
      return output ? sumReads(output.Items, input.ConsistentRead) : NONE;
    case "PutItem":
      return { readUnits: 0, writeUnits: writeUnitsFor(itemSize(input.Item)), items: 1 };
    case "UpdateItem":
      return { readUnits: 0, writeUnits: writeUnitsFor(updateSize(input)), items: 1 };
    case "DeleteItem":
      return { readUnits: 0, writeUnits: writeUnitsFor(itemSize(input.Key)), items: 1 };
    case "TransactWriteItems":
      return transactWriteCost(input);
    case "TransactGetItems":
      return output ? transactGetCost(output) : NONE;
    case "BatchWriteItem":
      return output ? batchWriteCost(input, output) : NONE;
    case "BatchGetItem":
      return output ? batchGetCost(input, output) : NONE;
    default:
      return NONE; // control-plane calls (CreateTable, ListTables…) consume no capacity units
  }
}

const emptyCounter = (): OperationCounter => ({
  requests: 0,
  failed: 0,
  readUnits: 0,
  writeUnits: 0,
  items: 0,
});

/**
 * Adds a counting middleware to a real client, so every command sent through it is counted once
 * (after the SDK's own retries: throttled attempts consume no capacity).
 */
export function attachCapacityCounter(client: DynamoDBClient): CapacityCounter {
  let byOperation = new Map<string, OperationCounter>();

  const record = (operation: string, cost: Cost, failed: boolean): void => {
    const counter = byOperation.get(operation) ?? emptyCounter();
    counter.requests += 1;
    counter.failed += failed ? 1 : 0;
    counter.readUnits += cost.readUnits;
    counter.writeUnits += cost.writeUnits;
    counter.items += failed ? 0 : cost.items;
    byOperation.set(operation, counter);
  };

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? "Unknown").replace(/Command$/, "");
      try {
        const result = await next(args);
        record(operation, costOf(operation, args.input, result.output), false);
        return result;
      } catch (error) {
        const charged = error instanceof Error && CHARGED_ERRORS.has(error.name);
        record(operation, charged ? costOf(operation, args.input, undefined) : NONE, true);
        throw error;
      }
    },
    { step: "initialize", name: "patronCapacityCounter", override: true },
  );

  return {
    counters: () => Object.fromEntries([...byOperation].map(([name, counter]) => [name, { ...counter }])),
    total: () =>
      [...byOperation.values()].reduce((sum, counter) => {
        sum.requests += counter.requests;
        sum.failed += counter.failed;
        sum.readUnits += counter.readUnits;
        sum.writeUnits += counter.writeUnits;
        sum.items += counter.items;
        return sum;
      }, emptyCounter()),
    reset: () => {
      byOperation = new Map();
    },
  };
}
