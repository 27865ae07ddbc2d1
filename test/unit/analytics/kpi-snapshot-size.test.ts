import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { MAX_STORES_PER_MONTH } from "../../../domain/analytics/kpi-satisfaction";
import { defaultRfmConfig } from "../../../domain/analytics/rfm";
import { MAX_TIERS } from "../../../domain/program/tier-schema";
import { itemSize } from "../../../functions/adapters/dynamo/item-size";
import {
  buildKpiSnapshot,
  type KpiMemberInput,
  type KpiSnapshot,
} from "../../../functions/analytics/kpi-snapshot";

// One KPI snapshot is one DynamoDB item (PK=ANALYTICS, SK=KPI#<month>), and an item holds at most 400 KB. Its
// size follows the groups it splits by, not the member count: 24 months × (stores + tiers + segments +
// channels) of NPS/CSAT figures, the cohort triangle and the per-tier economics. Built here with every
// group at its maximum in every month, the size is measured as DynamoDB counts it (names at every level).

const ITEM_LIMIT = 400 * 1024;
const NOW = new Date("2026-06-15T12:00:00Z");
const CHANNELS = ["pos", "web", "app"];
/** The default RFM grid's seven segments, "unscored" and the fallback (the grid is code, not configuration). */
const SEGMENTS = defaultRfmConfig.segments.length + 2;

interface Shape {
  stores: number;
  tiers: number;
  segments: number;
}

const monthsBack = (k: number) => {
  const d = new Date(Date.UTC(2026, 5 - k, 10, 9));
  return d.toISOString();
};
// Store ids at their longest (64 characters), so the group keys weigh what they can.
const storeId = (i: number) => `store-${String(i).padStart(4, "0")}-`.padEnd(64, "x");

function members({ stores, tiers, segments }: Shape): KpiMemberInput[] {
  const list: KpiMemberInput[] = [];
  for (let month = 0; month < 24; month++) {
    const at = monthsBack(month);
    // One member answering at each store, and more than the groups, so every tier, segment and channel answers.
    const count = Math.max(stores + 1, tiers, segments, CHANNELS.length + 1);
    for (let i = 0; i < count; i++) {
      const channel = CHANNELS[i % (CHANNELS.length + 1)];
      const place = { ...(channel && { channel }), ...(i < stores && { storeId: storeId(i) }) };
      list.push({
        memberId: `m-${month}-${i}`,
        clvMinor: 1234.5678 * (i + 1),
        segment: `segment-${i % segments}`,
        holdout: i % 10 === 0,
        facts: {
          enrolledOn: at.slice(0, 10),
          channel: CHANNELS[i % CHANNELS.length] ?? "pos",
          referred: i % 7 === 0,
          firstPurchaseOn: at.slice(0, 10),
          activity: { month: "2026-06", active: 0xffffff >>> (i % 5), repeat: 0x0f0f0f },
          stage: (["new", "active", "at-risk", "lapsed", "won-back", "churned"] as const)[i % 6] ?? "new",
          stageSince: at.slice(0, 10),
          tierId: `tier-${i % tiers}`.padEnd(64, "t"),
          purchases: 3 + (i % 11),
          spendMinor: 12_345 + i * 7,
          pointsEarned: 5_000 + i,
          pointsRedeemed: 1_000 + i,
          pointsExpired: 333 + i,
          outstandingPoints: 3_667,
          nps: { score: i % 11, at, ...place },
          csat: { score: 1 + (i % 5), at, ...place },
          serviceCase: { openedAt: at, ...(i % 2 === 0 && { closedAt: at }) },
          lastPurchaseAt: NOW.toISOString(),
        },
      });
    }
  }
  return list;
}

const snapshotOf = (shape: Shape): KpiSnapshot =>
  buildKpiSnapshot({ now: NOW, members: members(shape), pointCostMinor: 0.7, hasHoldout: true });
const bytesOf = (snapshot: KpiSnapshot) =>
  itemSize({
    PK: { S: "ANALYTICS" },
    SK: { S: "KPI#2026-06" },
    snapshot: { M: marshall(snapshot, { removeUndefinedValues: true }) },
    updatedAt: { S: NOW.toISOString() },
  });

describe("the KPI snapshot item's size", () => {
  it("fills every group in every month (the measurement is of the worst case)", () => {
    const snapshot = snapshotOf({ stores: 80, tiers: MAX_TIERS, segments: SEGMENTS });
    expect(snapshot.satisfaction).toHaveLength(24);
    for (const row of snapshot.satisfaction ?? []) {
      // The top stores (answers without one rank as UNATTRIBUTED), the rest summed as OTHER_STORES.
      expect(Object.keys(row.byStore ?? {})).toHaveLength(MAX_STORES_PER_MONTH + 1);
      expect(Object.keys(row.byTier)).toHaveLength(MAX_TIERS);
      expect(Object.keys(row.bySegment)).toHaveLength(SEGMENTS);
    }
  });

  it("stays under DynamoDB's 400 KB item limit with as many stores, tiers and segments as it keeps", () => {
    const bytes = bytesOf(snapshotOf({ stores: 80, tiers: MAX_TIERS, segments: SEGMENTS }));
    const base = bytesOf(snapshotOf({ stores: 0, tiers: 1, segments: 1 }));
    const perStore = (bytesOf(snapshotOf({ stores: 10, tiers: 1, segments: 1 })) - base) / 10;
    const perTier = (bytesOf(snapshotOf({ stores: 0, tiers: 11, segments: 1 })) - base) / 10;
    console.log(
      `KPI snapshot: ${(bytes / 1024).toFixed(1)} KB; base ${base} B, per store ${perStore} B, per tier ${perTier} B`,
    );
    expect(bytes).toBeLessThan(ITEM_LIMIT);
  });
});
