import { describe, expect, it } from "vitest";
import { lazyPort } from "../../../functions/http/lazy-port";

interface Store {
  get(id: string): Promise<string>;
  put(id: string, value: string): Promise<void>;
}

function countingStore() {
  const loads: string[] = [];
  const values = new Map<string, string>();
  const load = async (): Promise<Store> => {
    loads.push("load");
    return {
      async get(id) {
        return values.get(id) ?? "none";
      },
      async put(id, value) {
        values.set(id, value);
      },
    };
  };
  return { loads, load };
}

describe("lazyPort", () => {
  it("builds nothing until the first call, then once for every method and call", async () => {
    const { loads, load } = countingStore();
    const store = lazyPort(load);
    expect(loads).toHaveLength(0);
    await store.put("a", "1");
    await Promise.all([store.get("a"), store.get("b")]);
    expect(await store.get("a")).toBe("1");
    expect(loads).toHaveLength(1);
  });

  it("tries the import again after a failed one instead of remembering the failure", async () => {
    let attempts = 0;
    const store = lazyPort<Store>(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("chunk not found");
      return { get: async (id) => `got ${id}`, put: async () => undefined };
    });
    await expect(store.get("x")).rejects.toThrow("chunk not found");
    expect(await store.get("x")).toBe("got x");
    expect(attempts).toBe(2);
  });

  it("is not a thenable, so awaiting the port itself neither hangs nor loads it", async () => {
    const { loads, load } = countingStore();
    const store = lazyPort(load);
    expect(await store).toBe(store);
    expect(loads).toHaveLength(0);
  });
});
