import { afterEach, describe, expect, it } from "vitest";
import { inboundEvents } from "../../../events/catalog";
import { consumerRules, UNROUTED_CONSUMER } from "../../../events/rules";
import { PATRON_SOURCE } from "../../../events/sources";
import { bindConsumerRules } from "../../../scripts/local/event-bus/consumer-rules";
import type { BatchBusTarget, BusTarget } from "../../../scripts/local/event-bus/delivery-queue";
import type { BusEvent } from "../../../scripts/local/event-bus/put-events-request";
import {
  closeBuses,
  gate,
  purchaseEntry,
  putEvents,
  REGION,
  recorder,
  settle,
  startBus,
} from "./bus-fixtures";

afterEach(closeBuses);

const purchases = { source: [{ prefix: "retail." }], "detail-type": ["Purchase Completed"] };
const enrolments = { source: [{ prefix: "retail." }], "detail-type": ["Member Enrolled"] };

/** Fails the first `failures` calls, then succeeds. */
function flaky(failures: number): { target: BusTarget; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    target: async () => {
      calls.push(Date.now());
      if (calls.length <= failures) throw new Error(`transient failure ${calls.length}`);
    },
  };
}

describe("routing", () => {
  it("delivers the Lambda envelope to the matching rule only", async () => {
    const purchaseSink = recorder();
    const enrolmentSink = recorder();
    const bus = await startBus({
      rules: [
        { id: "purchase-completed", eventPattern: purchases, target: purchaseSink.target },
        { id: "member-enrolled", eventPattern: enrolments, target: enrolmentSink.target },
      ],
    });

    const result = await putEvents(bus, [
      { ...purchaseEntry({ orderId: "o-9", totalMinor: 1250 }), Time: new Date("2025-03-01T10:00:00.789Z") },
    ]);
    await bus.drain();

    expect(enrolmentSink.events).toHaveLength(0);
    expect(purchaseSink.events).toEqual([
      {
        version: "0",
        id: result.Entries?.[0]?.EventId,
        "detail-type": "Purchase Completed",
        source: "retail.pos.store-042",
        account: "000000000000",
        time: "2025-03-01T10:00:00Z",
        region: REGION,
        resources: [],
        detail: { orderId: "o-9", totalMinor: 1250 },
      },
    ]);
  });

  it("routes every inbound event of the real consumer rules to its own consumer, and never Patron's own events", async () => {
    const received = new Map<string, BusEvent[]>();
    const targets = Object.fromEntries(
      consumerRules.map((rule) => {
        received.set(rule.consumer, []);
        const take = (event: BusEvent) => void received.get(rule.consumer)?.push(event);
        // A rule fed in batches gets a batch target, as bindConsumerRules demands.
        const target = rule.batchSize
          ? {
              batchSize: rule.batchSize,
              deliver: async (events: readonly BusEvent[]) => {
                events.forEach(take);
                return new Set<string>();
              },
            }
          : async (event: BusEvent) => take(event);
        return [rule.consumer, target];
      }),
    );
    const bus = await startBus({ rules: bindConsumerRules(consumerRules, targets) });
    const definitions = Object.values(inboundEvents);

    for (const definition of definitions) {
      const base = {
        DetailType: definition.detailType,
        Detail: JSON.stringify({ probe: definition.detailType }),
      };
      await putEvents(bus, [
        { ...base, Source: "retail.web.shop" },
        { ...base, Source: PATRON_SOURCE },
      ]);
    }
    await bus.drain();

    // One rule per inbound type, plus the catch-all and Patron's own Referral Completed (the referrer's reward),
    // which none of these reach.
    const inboundTypes = new Set(definitions.map((definition) => definition.detailType));
    const inboundRules = consumerRules.filter((rule) =>
      ((rule.eventPattern["detail-type"] ?? []) as string[]).some((type) => inboundTypes.has(type)),
    );
    expect(inboundRules).toHaveLength(definitions.length);
    expect(consumerRules.map((rule) => rule.consumer).sort()).toEqual(
      [...inboundRules.map((rule) => rule.consumer), UNROUTED_CONSUMER, "referral-completed"].sort(),
    );
    expect(received.get(UNROUTED_CONSUMER)).toEqual([]);
    expect(received.get("referral-completed")).toEqual([]);
    for (const rule of inboundRules) {
      const events = received.get(rule.consumer) ?? [];
      expect(events, rule.consumer).toHaveLength(1);
      expect(events[0]?.source).toBe("retail.web.shop");
      expect(rule.eventPattern["detail-type"]).toEqual([events[0]?.["detail-type"]]);
    }
  });

  it("refuses to bind when a consumer has no target or a target has no consumer", () => {
    const noop: BusTarget = async () => {};
    const all = Object.fromEntries(consumerRules.map((rule) => [rule.consumer, noop]));
    const [first] = consumerRules;
    if (first === undefined) throw new Error("events/rules.ts defines no consumer rules");
    const { [first.consumer]: _dropped, ...missingOne } = all;
    expect(() => bindConsumerRules(consumerRules, missingOne)).toThrow(
      `No local target for consumer "${first.consumer}"`,
    );
    expect(() => bindConsumerRules(consumerRules, { ...all, typo: noop })).toThrow("match no consumer");
  });
});

describe("delivery", () => {
  it("responds to PutEvents before delivery finishes, and drain() waits for it", async () => {
    const slow = gate();
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target: slow.target }],
    });

    const result = await putEvents(bus, [purchaseEntry()]);
    expect(result.FailedEntryCount).toBe(0);
    await settle();
    expect(slow.started).toHaveLength(1);
    expect(bus.stats().inFlight).toBe(1);

    let drained = false;
    const draining = bus.drain().then(() => {
      drained = true;
    });
    await settle();
    expect(drained).toBe(false);

    slow.release();
    await draining;
    expect(bus.stats()).toMatchObject({ inFlight: 0, queued: 0, delivered: 1 });
  });

  it("tells when every rule's delivery of one event has finished, a retried or dead-lettered one included", async () => {
    const slow = gate();
    const failing = flaky(Number.POSITIVE_INFINITY);
    const bus = await startBus({
      rules: [
        { id: "slow", eventPattern: purchases, target: slow.target },
        { id: "always-fails", eventPattern: purchases, target: failing.target },
        { id: "enrolments", eventPattern: enrolments, target: recorder().target },
      ],
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const result = await putEvents(bus, [purchaseEntry()]);
    const eventId = result.Entries?.[0]?.EventId ?? "";
    let finished = false;
    const delivered = bus.delivered(eventId).then(() => {
      finished = true;
    });
    await settle();
    await settle();
    // The failing rule has given up (dead-lettered); the slow one still runs.
    expect(failing.calls).toHaveLength(2);
    expect(finished).toBe(false);

    slow.release();
    await delivered;
    expect(bus.stats()).toMatchObject({ delivered: 1, deadLettered: 1, inFlight: 0 });
    // An event that is done, or was never seen, is finished at once.
    await expect(bus.delivered(eventId)).resolves.toBeUndefined();
    await expect(bus.delivered("no-such-event")).resolves.toBeUndefined();
  });

  it("retries a failing target with exponential backoff until it succeeds", async () => {
    const target = flaky(2);
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target: target.target }],
      retry: { maxAttempts: 3, baseDelayMs: 40 },
    });

    await putEvents(bus, [purchaseEntry()]);
    await bus.drain();

    expect(target.calls).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = target.calls;
    expect(second - first).toBeGreaterThanOrEqual(40 - 5);
    expect(third - second).toBeGreaterThanOrEqual(80 - 5);
    expect(bus.deadLetters()).toEqual([]);
    expect(bus.stats()).toMatchObject({ delivered: 1, retried: 2, deadLettered: 0 });
  });

  it("dead-letters a delivery after maxAttempts, readable over GET /dead-letters, without affecting other rules", async () => {
    const failing = flaky(Number.POSITIVE_INFINITY);
    const healthy = recorder();
    const bus = await startBus({
      rules: [
        { id: "always-fails", eventPattern: purchases, target: failing.target },
        { id: "healthy", eventPattern: purchases, target: healthy.target },
      ],
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });

    const result = await putEvents(bus, [purchaseEntry({ orderId: "o-dead" })]);
    await bus.drain();

    expect(failing.calls).toHaveLength(2);
    expect(healthy.events).toHaveLength(1);
    const [letter] = bus.deadLetters();
    expect(bus.deadLetters()).toHaveLength(1);
    expect(letter).toMatchObject({
      ruleId: "always-fails",
      attempts: 2,
      errorMessage: "transient failure 2",
      event: { id: result.Entries?.[0]?.EventId, detail: { orderId: "o-dead" } },
    });

    const response = await fetch(`${bus.url}/dead-letters`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ count: 1, deadLetters: [letter] });
  });

  it("runs at most `concurrency` deliveries at once and reports queue depth", async () => {
    const slow = gate();
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target: slow.target }],
      concurrency: 2,
    });

    await putEvents(
      bus,
      Array.from({ length: 10 }, (_, i) => purchaseEntry({ orderId: `o-${i}` })),
    );
    await settle();
    expect(slow.started).toHaveLength(2);
    expect(bus.stats()).toMatchObject({ inFlight: 2, queued: 8 });

    slow.release();
    await bus.drain();
    expect(slow.started).toHaveLength(10);
  });

  it("holds in-process producers back while the queue is full, and throttles HTTP callers instead", async () => {
    const slow = gate();
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target: slow.target }],
      concurrency: 1,
      maxQueueDepth: 2,
    });
    await bus.putEvents([purchaseEntry(), purchaseEntry(), purchaseEntry()]);
    expect(bus.stats()).toMatchObject({ inFlight: 1, queued: 2 });

    let accepted = false;
    const waiting = bus.putEvents([purchaseEntry()]).then(() => {
      accepted = true;
    });
    await settle();
    expect(accepted).toBe(false);
    await expect(putEvents(bus, [purchaseEntry()])).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });

    slow.release();
    await waiting;
    await bus.drain();
    expect(slow.started).toHaveLength(4);
  });
});

describe("batch targets (a rule fed through an SQS queue)", () => {
  /** A batch target that records its batches and reports as failed, once each, the events `failOnce` names. */
  function batcher(
    options: { failOnce?: (event: BusEvent) => boolean; joins?: BatchBusTarget["joins"] } = {},
  ) {
    const batches: BusEvent[][] = [];
    const failed = new Set<string>();
    // The first batch waits for `release`, so the rest queue up behind it.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const target: BatchBusTarget = {
      batchSize: 10,
      async deliver(events) {
        batches.push([...events]);
        if (batches.length === 1) await held;
        const failures = events.filter((event) => options.failOnce?.(event) && !failed.has(event.id));
        for (const event of failures) failed.add(event.id);
        return new Set(failures.map((event) => event.id));
      },
      ...(options.joins && { joins: options.joins }),
    };
    return { target, batches, release };
  }
  const orders = (n: number, day = (_i: number) => "2025-03-01") =>
    Array.from({ length: n }, (_, i) => purchaseEntry({ orderId: `o-${i}`, day: day(i) }));
  const orderOf = (event: BusEvent) => String((event.detail as { orderId: string }).orderId);
  /** Puts the entries 10 a call (PutEvents' limit), then lets the held first batch go. */
  const putAll = async (
    bus: Awaited<ReturnType<typeof startBus>>,
    entries: ReturnType<typeof orders>,
    release: () => void,
  ) => {
    for (let i = 0; i < entries.length; i += 10) await putEvents(bus, entries.slice(i, i + 10));
    release();
    await bus.drain();
  };

  it("hands over up to batchSize queued events at once, each event once", async () => {
    const { target, batches, release } = batcher();
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target }],
      concurrency: 1,
    });
    await putAll(bus, orders(25), release);
    // The first event alone (nothing else was queued yet), then the 24 queued behind it.
    expect(batches.map((batch) => batch.length)).toEqual([1, 10, 10, 4]);
    expect(batches.flat().map(orderOf).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `o-${i}`).sort());
    expect(bus.stats()).toMatchObject({ delivered: 25, retried: 0 });
  });

  it("retries only the events a batch reported as failed", async () => {
    const { target, batches, release } = batcher({
      failOnce: (event) => ["o-3", "o-7"].includes(orderOf(event)),
    });
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target }],
      retry: { maxAttempts: 3, baseDelayMs: 10 },
    });
    await putAll(bus, orders(12), release);
    const seen = batches.flat().map(orderOf);
    expect(seen.filter((order) => order === "o-3")).toHaveLength(2);
    expect(seen.filter((order) => order === "o-7")).toHaveLength(2);
    expect(seen).toHaveLength(14);
    expect(bus.stats()).toMatchObject({ delivered: 12, retried: 2, deadLettered: 0 });
  });

  it("keeps events out of a batch its target says they may not join", async () => {
    const dayOf = (event: BusEvent) => (event.detail as { day: string }).day;
    const { target, batches, release } = batcher({ joins: (first, next) => dayOf(first) === dayOf(next) });
    const bus = await startBus({
      rules: [{ id: "purchase-completed", eventPattern: purchases, target }],
      concurrency: 1,
    });
    await putAll(
      bus,
      orders(21, (i) => (i % 2 === 0 ? "2025-03-01" : "2025-03-02")),
      release,
    );
    for (const batch of batches) expect(new Set(batch.map(dayOf)).size).toBe(1);
    // The first alone, then each day's 10 in one batch.
    expect(batches.map((batch) => batch.length)).toEqual([1, 10, 10]);
  });

  it("retries a whole batch whose target threw, then dead-letters each of its events", async () => {
    const bus = await startBus({
      rules: [
        {
          id: "purchase-completed",
          eventPattern: purchases,
          target: {
            batchSize: 10,
            deliver: async () => {
              throw new Error("function error");
            },
          },
        },
      ],
      retry: { maxAttempts: 2, baseDelayMs: 5 },
      concurrency: 1,
    });
    await putEvents(bus, orders(3));
    await bus.drain();
    // Each event's attempts count on their own, whichever batch they rode in.
    expect(bus.deadLetters().map((letter) => letter.errorMessage)).toEqual([
      "function error",
      "function error",
      "function error",
    ]);
    expect(bus.stats()).toMatchObject({ delivered: 0, deadLettered: 3 });
  });
});
