import { describe, expect, it } from "vitest";
import {
  dueDaysToRead,
  nextCheckDay,
  refileOnPurchase,
  shardOf,
} from "../../../domain/retention/due-buckets";
import { onPurchase } from "../../../domain/retention/lifecycle";
import { newRetentionState } from "../../../domain/retention/retention-state";
import { dueBucketKey, dueBucketKeys, dueIndexKeys } from "../../../functions/adapters/dynamo/keys";
import { config, facts, retention } from "./fixtures";

const cfg = config();

describe("due buckets", () => {
  it("keys buckets by day and shard, with the shard from the member id hash", () => {
    expect(dueBucketKey("2025-06-01", 3)).toBe("DUE#2025-06-01#3");
    expect(dueBucketKeys("2025-06-01", 4)).toEqual([
      "DUE#2025-06-01#0",
      "DUE#2025-06-01#1",
      "DUE#2025-06-01#2",
      "DUE#2025-06-01#3",
    ]);
    const shard = shardOf("m-42", 16);
    expect(shard).toBeGreaterThanOrEqual(0);
    expect(shard).toBeLessThan(16);
    expect(dueIndexKeys("m-42", "2025-06-01", 16)).toEqual({
      GSI1PK: `DUE#2025-06-01#${shard}`,
      GSI1SK: "m-42",
    });
    expect(shardOf("m-42", 16)).toBe(shard);
  });

  it("reads every day since the last finished run, bounded", () => {
    expect(dueDaysToRead("2025-05-29", "2025-06-01")).toEqual(["2025-05-30", "2025-05-31", "2025-06-01"]);
    expect(dueDaysToRead("2025-06-01", "2025-06-01")).toEqual([]);
    expect(dueDaysToRead(undefined, "2025-06-01")).toEqual(["2025-06-01"]);
    expect(dueDaysToRead("2025-01-01", "2025-06-01", 2)).toEqual(["2025-05-31", "2025-06-01"]);
  });

  it("schedules the earliest of the lifecycle change and the triggers", () => {
    const active = retention({
      stage: "active",
      rhythm: { purchaseDays: 1, firstDay: "2025-05-01", lastDay: "2025-05-01" },
    });
    // At risk on 2025-06-15 (45 days after the last purchase).
    expect(nextCheckDay(facts({ retention: active }), cfg, "2025-05-01")).toBe("2025-06-15");
    // Points expiring 2025-06-10 → reminder from 2025-05-27.
    const expiring = facts({ retention: active, expiries: [{ expiresOn: "2025-06-10", points: 50 }] });
    expect(nextCheckDay(expiring, cfg, "2025-05-01")).toBe("2025-05-27");
    // Birthday 05-20 is earlier still.
    expect(nextCheckDay({ ...expiring, birthday: "1990-05-20" }, cfg, "2025-05-01")).toBe("2025-05-20");
  });

  it("puts triggers already due after today: tomorrow, or when the deferral ends", () => {
    const active = retention({
      stage: "active",
      rhythm: { purchaseDays: 1, firstDay: "2025-05-01", lastDay: "2025-05-01" },
    });
    const f = facts({ retention: active, expiries: [{ expiresOn: "2025-05-20", points: 50 }] });
    expect(nextCheckDay(f, cfg, "2025-05-10")).toBe("2025-05-11");
    expect(nextCheckDay(f, cfg, "2025-05-10", "2025-05-14T08:00:00Z")).toBe("2025-05-14");
  });

  it("looks at a member with nothing scheduled once a year", () => {
    const churned = retention({ stage: "churned", stageSince: "2025-01-01" });
    expect(nextCheckDay(facts({ retention: churned }), cfg, "2025-05-01")).toBe("2026-05-01");
  });

  it("leaves the bucket alone when a purchase only moves the check later (lazy), re-files otherwise", () => {
    expect(refileOnPurchase("2025-06-15", "2025-07-20", "2025-06-01")).toBeUndefined();
    expect(refileOnPurchase("2026-05-01", "2025-07-20", "2025-06-01")).toBe("2025-07-20");
    expect(refileOnPurchase("2025-06-01", "2025-07-20", "2025-06-01")).toBe("2025-07-20");
  });

  it("files a member enrolled by a purchase under their first real check", () => {
    const enrolled = onPurchase(newRetentionState("2025-06-01"), "2025-06-01T10:00:00Z", cfg).state;
    const next = nextCheckDay(facts({ retention: enrolled }), cfg, "2025-06-01");
    expect(next).toBe("2025-07-16"); // 45 days: the default 30-day gap × the at-risk factor 1.5
    expect(refileOnPurchase(enrolled.dueOn, next, "2025-06-01")).toBe(next);
  });
});
