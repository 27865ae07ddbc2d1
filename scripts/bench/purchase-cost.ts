import type { BenchResult } from "./types";

// What a million purchases cost in AWS, from the units this run measured and list prices. The prices are
// AWS's published on-demand list prices for us-east-1 (arm64 Lambda, DynamoDB on-demand after the November
// 2024 reduction, EventBridge custom events); they are inputs, not measurements: edit them for another
// region or a later price list. Storage, logs and data transfer are left out.

export const PRICES_USD = {
  eventBridgePerMillionEvents: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  sqsStandardPerMillionRequests: 0.4,
} as const;

export interface PurchaseUnits {
  writeUnits: number;
  readUnits: number;
  /** Outbound events the purchase stores in the outbox (published by the stream-triggered publisher). */
  outboundEvents: number;
  /** Median wall time of one purchase handler call, ms (measured against DynamoDB Local). */
  handlerMs: number;
  /** Configured memory of the consumer and the publisher (infra/function-specs.ts), MB. */
  memoryMb: number;
  /**
   * Purchases per consumer invocation: the SQS event source's batch size (events/rules.ts), as batches are under
   * load. A quiet hour's batches are smaller, up to a request per purchase each for Lambda and SQS.
   */
  batchSize: number;
}

const MILLION = 1_000_000;

function costPerMillion(units: PurchaseUnits, outbound: boolean): { total: number; parts: string[] } {
  const p = PRICES_USD;
  const gbSeconds = (units.handlerMs / 1000) * (units.memoryMb / 1024) * MILLION;
  const events = outbound ? units.outboundEvents : 0;
  const perBatch = 1 / units.batchSize;
  const parts: [string, number][] = [
    ["EventBridge in", p.eventBridgePerMillionEvents],
    ["SQS sends (rule → queue)", p.sqsStandardPerMillionRequests],
    // The event source's ReceiveMessage and DeleteMessageBatch, one each per batch; its idle long polls are a
    // fixed cost per hour, not per purchase.
    [
      `SQS receives and deletes (batches of ${units.batchSize})`,
      2 * perBatch * p.sqsStandardPerMillionRequests,
    ],
    [`consumer requests (batches of ${units.batchSize})`, perBatch * p.lambdaPerMillionRequests],
    [`consumer ${gbSeconds.toFixed(0)} GB-s`, gbSeconds * p.lambdaArmPerGbSecond],
    [`DynamoDB ${units.writeUnits} WU`, units.writeUnits * p.dynamoPerMillionWriteUnits],
    [`DynamoDB ${units.readUnits} RU`, units.readUnits * p.dynamoPerMillionReadUnits],
    [`${events} outbound events`, events * p.eventBridgePerMillionEvents],
    // The stream filter passes every INSERT: at most one publisher invocation per purchase (fewer when the
    // 1-s batching window fills batches under load). Its duration is left out: it only forwards events.
    ["publisher requests (at most)", p.lambdaPerMillionRequests],
  ];
  const total = parts.reduce((sum, [, usd]) => sum + usd, 0);
  return { total, parts: parts.map(([name, usd]) => `${name} $${usd.toFixed(2)}`) };
}

export function purchaseCostResults(units: PurchaseUnits): BenchResult[] {
  const all = costPerMillion(units, true);
  const none = costPerMillion(units, false);
  const basis = `GB-s at the median one-by-one handler call, ${units.handlerMs.toFixed(1)} ms on DynamoDB Local at ${units.memoryMb} MB, per purchase (a batch's share per purchase is smaller: an upper bound; AWS round trips differ); list prices in scripts/bench/purchase-cost.ts`;
  return [
    {
      name: "Cost per million purchases, every outbound event published",
      value: Math.round(all.total * 100) / 100,
      unit: "USD",
      note: `${all.parts.join(" + ")}; ${basis}`,
    },
    {
      name: "Cost per million purchases, no outbound events (program.outbound.publish: [])",
      value: Math.round(none.total * 100) / 100,
      unit: "USD",
      baseline: { name: "every outbound event", value: Math.round(all.total * 100) / 100, unit: "USD" },
      ratio: Math.round((none.total / all.total) * 1000) / 1000,
      note: `${none.parts.join(" + ")}; the outbox stays empty, so the ledger items are smaller too`,
    },
  ];
}
