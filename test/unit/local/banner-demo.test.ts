import { describe, expect, it } from "vitest";
import { platformBanner } from "../../../scripts/local/banner";
import type { Platform } from "../../../scripts/local/platform";

const platform = {
  urls: {
    api: "http://127.0.0.1:3100",
    bus: "http://127.0.0.1:4110",
    ses: "http://127.0.0.1:8105",
    dynamodb: "http://127.0.0.1:8100",
  },
  tableName: "patron-local",
  clock: { mode: "real", now: () => new Date("2026-03-10T12:00:00Z") },
  jobs: { names: () => ["retention-job"] },
} as unknown as Platform;

describe("npm start banner", () => {
  it("offers the demo first, with the inbox its win-back e-mail lands in", () => {
    const text = platformBanner(platform);
    const demo = text.split("\n").findIndex((l) => l.includes("npm run demo"));
    expect(demo).toBeGreaterThan(0);
    expect(text.split("\n")[demo]).toContain("http://127.0.0.1:8105");
    expect(demo).toBeLessThan(text.split("\n").findIndex((l) => l.startsWith("Send an event")));
  });
});
