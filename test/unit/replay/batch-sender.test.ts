import type { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { createBatchSender } from "../../../scripts/replay/batch-sender";
import type { ReplayEvent } from "../../../scripts/replay/replay-events";

const event = (n: number): ReplayEvent => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  entry: { Source: "retail.pos", DetailType: "Purchase Completed", Detail: `{"n":${n}}` },
});
const nextTick = () => new Promise((resolve) => setImmediate(resolve));

/** A client whose PutEvents answer only when the test says so, recording each request's entries. */
function heldClient() {
  const requests: number[] = [];
  const answers: Array<() => void> = [];
  const client = {
    send: (command: PutEventsCommand) => {
      const entries = command.input.Entries ?? [];
      requests.push(entries.length);
      return new Promise((resolve) => {
        answers.push(() =>
          resolve({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e${i}` })) }),
        );
      });
    },
  } as unknown as Pick<EventBridgeClient, "send">;
  const answerAll = () => {
    for (const answer of answers.splice(0)) answer();
  };
  return { client, requests, answerAll };
}

describe("the replay's PutEvents batches", () => {
  it("fills requests up to 10 entries with what arrived while every request slot was busy", async () => {
    const { client, requests, answerAll } = heldClient();
    const sender = createBatchSender({ client, maxInFlight: 1, onResponse: () => undefined });
    const sent: Promise<string | undefined>[] = [];
    // One event per tick, as members' events become ready one at a time while the bus works.
    for (let n = 0; n < 25; n += 1) {
      sent.push(sender.send(event(n), event(n).entry));
      await nextTick();
    }
    // The first went alone; the other 24 waited for the one request slot and go 10, 10 and 4.
    for (let round = 0; round < 4; round += 1) {
      answerAll();
      await nextTick();
    }
    expect(requests).toEqual([1, 10, 10, 4]);
    expect((await Promise.all(sent)).every((id) => id !== undefined)).toBe(true);
    expect(sender.failure()).toBeUndefined();
  });

  it("sends a partial batch at once while a request slot is free", async () => {
    const { client, requests, answerAll } = heldClient();
    const sender = createBatchSender({ client, maxInFlight: 8, onResponse: () => undefined });
    const sent = [0, 1, 2].map((n) => sender.send(event(n), event(n).entry));
    await nextTick();
    expect(requests).toEqual([3]);
    answerAll();
    expect(await Promise.all(sent)).toEqual(["e0", "e1", "e2"]);
  });
});
