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

const line = (text: string, start: string) => text.split("\n").find((l) => l.trim().startsWith(start)) ?? "";

describe("npm start banner", () => {
  it("shows today's rejected events on the bus line, with where to read them", () => {
    const text = platformBanner(platform, { rejected: { day: "2026-03-10", count: 3 } });
    const bus = line(text, "Event bus");
    expect(bus).toContain("http://127.0.0.1:4110");
    expect(bus).toContain("rejected today: 3");
    expect(text).toContain("http://127.0.0.1:3100/rejected-events?day=2026-03-10");
  });

  it("tells how to browse DynamoDB Local with any credentials", () => {
    const text = platformBanner(platform, { rejected: { day: "2026-03-10", count: 0 } });
    expect(line(text, "DynamoDB Local")).toContain("any credentials");
    expect(text).toContain(
      "aws dynamodb scan --endpoint-url http://127.0.0.1:8100 --table-name patron-local",
    );
  });

  it("leads with the console's URL when the platform serves it, and says how to sign in", () => {
    const withConsole = {
      ...platform,
      urls: { ...platform.urls, console: "http://127.0.0.1:3100/console/" },
    } as Platform;
    const text = platformBanner(withConsole);
    const rows = text.split("\n").filter((l) => l.startsWith("  ") && !l.startsWith("   "));
    expect(rows[0]?.trim()).toMatch(/^Console\s+http:\/\/127\.0\.0\.1:3100\/console\/ /);
    expect(line(text, "Console")).toContain("sign in with any marketer name");
  });

  it("has no Console line when the platform serves no console", () => {
    expect(line(platformBanner(platform), "Console")).toBe("");
  });
});
