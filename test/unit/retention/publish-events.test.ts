import { describe, expect, it } from "vitest";
import type { OutboxEvent } from "../../../functions/adapters/bus/event-publisher";
import { publish } from "../../../functions/retention/publish-events";
import { createLogger } from "../../../functions/shared/logger";

const NOW = new Date("2025-02-16T10:00:00Z");
const event = (id: string): OutboxEvent => ({ id, type: "Member Lapsing", detail: { memberId: id } });
const logger = createLogger({ logLevel: "SILENT" });

function parkingLot(fails = false) {
  const parked: OutboxEvent[][] = [];
  return {
    parked,
    park: async (events: readonly OutboxEvent[]) => {
      if (fails) throw new Error("table unavailable");
      parked.push([...events]);
    },
  };
}

describe("publishing the retention job's events", () => {
  it("parks only the entries PutEvents refused", async () => {
    const parking = parkingLot();
    const events = [event("a"), event("b"), event("c")];
    const publisher = {
      publish: async () => ({
        published: 2,
        failed: [{ event: events[1] as OutboxEvent, errorCode: "ThrottlingException" }],
      }),
    };
    await publish({ publisher, parking, logger }, events, NOW);
    expect(parking.parked).toEqual([[event("b")]]);
  });

  it("parks every event when the call fails, and nothing when all were published", async () => {
    const parking = parkingLot();
    const down = { publish: async () => Promise.reject(new Error("unreachable")) };
    await publish({ publisher: down, parking, logger }, [event("a"), event("b")], NOW);
    const up = { publish: async (batch: OutboxEvent[]) => ({ published: batch.length, failed: [] }) };
    await publish({ publisher: up, parking, logger }, [event("c")], NOW);
    expect(parking.parked).toEqual([[event("a"), event("b")]]);
  });

  it("does not fail the run when parking fails too (the events are logged by id as lost)", async () => {
    const down = { publish: async () => Promise.reject(new Error("unreachable")) };
    await expect(
      publish({ publisher: down, parking: parkingLot(true), logger }, [event("a")], NOW),
    ).resolves.toBeUndefined();
  });
});
