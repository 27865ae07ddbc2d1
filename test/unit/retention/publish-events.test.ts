import { describe, expect, it } from "vitest";
import { exampleProgram, programSchema } from "../../../domain";
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
    await publish({ publisher, parking, logger }, exampleProgram, events, NOW);
    expect(parking.parked).toEqual([[event("b")]]);
  });

  it("parks every event when the call fails, and nothing when all were published", async () => {
    const parking = parkingLot();
    const down = { publish: async () => Promise.reject(new Error("unreachable")) };
    await publish({ publisher: down, parking, logger }, exampleProgram, [event("a"), event("b")], NOW);
    const up = { publish: async (batch: OutboxEvent[]) => ({ published: batch.length, failed: [] }) };
    await publish({ publisher: up, parking, logger }, exampleProgram, [event("c")], NOW);
    expect(parking.parked).toEqual([[event("a"), event("b")]]);
  });

  it("does not fail the run when parking fails too (the events are logged by id as lost)", async () => {
    const down = { publish: async () => Promise.reject(new Error("unreachable")) };
    await expect(
      publish({ publisher: down, parking: parkingLot(true), logger }, exampleProgram, [event("a")], NOW),
    ).resolves.toBeUndefined();
  });

  it("publishes only the types the programme publishes", async () => {
    const program = programSchema.parse({ ...exampleProgram, outbound: { publish: ["Offer Sent"] } });
    const sent: OutboxEvent[] = [];
    const publisher = {
      publish: async (batch: OutboxEvent[]) => {
        sent.push(...batch);
        return { published: batch.length, failed: [] };
      },
    };
    const offerSent: OutboxEvent = { id: "o", type: "Offer Sent", detail: {} };
    await publish({ publisher, parking: parkingLot(), logger }, program, [event("a"), offerSent], NOW);
    expect(sent).toEqual([offerSent]);
  });
});
