import { describe, expect, it } from "vitest";
import { createUnfinished } from "../../../scripts/replay/unfinished-events";

/** A promise that counts the reactions attached to it: the cost of waiting on many unfinished events. */
class Counted extends Promise<void> {
  static reactions = 0;
  // biome-ignore lint/suspicious/noThenProperty: counting the reactions attached to it is the point
  override then<A, B>(...args: Parameters<Promise<void>["then"]>): Promise<A | B> {
    Counted.reactions += 1;
    return super.then(...args) as Promise<A | B>;
  }
}

function task() {
  let finish = () => {};
  const promise = new Counted((resolve) => {
    finish = () => resolve();
  });
  return { promise, finish };
}

describe("the replay's unfinished events", () => {
  it("waits for room with one reaction per event, not one per unfinished event on every wait", async () => {
    const unfinished = createUnfinished(4);
    const running = Array.from({ length: 4 }, task);
    for (const t of running) unfinished.add(t.promise);
    Counted.reactions = 0;
    for (let n = 0; n < 20; n += 1) {
      const room = unfinished.room();
      running.shift()?.finish();
      await room;
      expect(unfinished.size).toBe(3);
      const next = task();
      running.push(next);
      unfinished.add(next.promise);
    }
    // Each of the 20 added once; a Promise.race over all four on each wait would attach 80 more.
    expect(Counted.reactions).toBeLessThanOrEqual(20);
    for (const t of running) t.finish();
    await unfinished.all();
    expect(unfinished.size).toBe(0);
  });

  it("lets the sender on at once while there is room", async () => {
    const unfinished = createUnfinished(2);
    unfinished.add(task().promise);
    await expect(unfinished.room()).resolves.toBeUndefined();
  });
});
