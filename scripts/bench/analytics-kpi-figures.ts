import { type AttributeValue, type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { ActivityMonths } from "../../domain/member/activity-months";
import type { MemberState } from "../../domain/member/member-state";
import type { SatisfactionState } from "../../domain/member/satisfaction";
import { monthOf, utcDay } from "../../domain/time";
import { itemSize } from "../../functions/adapters/dynamo/item-size";
import { ANALYTICS_PK, kpiSk } from "../../functions/adapters/dynamo/keys";
import { decodeState, encodeState, STATE_ATTRIBUTE } from "../../functions/adapters/dynamo/state-codec";
import type { AnalyticsJobReport } from "../../functions/analytics/run-analytics-job";
import type { BenchResult } from "./types";

// The KPI figures the CRM KPI issue asks BENCHMARKS.md for, each its own row: what the KPIs add to a member's
// STATE item (the 24-month activity bitmap; the satisfaction facts at their fullest), measured with the real
// STATE codec on the bench's scanned members; the KPI phase's time on the bench's members and its linear
// projection to 10 M; and the stored KPI snapshot item's size.

type Item = Record<string, AttributeValue>;

const PROJECTED_MEMBERS = 10_000_000;

/** Every one of the 24 months active and repeat: the largest numbers the bitmap holds. */
const FULL_ACTIVITY: ActivityMonths = { month: "2025-05", active: 0xffffff, repeat: 0xffffff };
/** A member with both scores, given at a store through a channel, and a closed service case. */
const FULL_SATISFACTION: SatisfactionState = {
  nps: { score: 3, at: "2025-05-20T10:15:00.000Z", channel: "pos", storeId: "store-berlin-mitte-0042" },
  csat: { score: 2, at: "2025-05-20T10:15:00.000Z", channel: "pos", storeId: "store-berlin-mitte-0042" },
  serviceCase: {
    caseId: "0f6c2a4e-9a53-4d0b-8f0e-3c1f7b2d9e11",
    reason: "nps-detractor",
    openedAt: "2025-05-20T10:15:00.000Z",
    closedAt: "2025-05-22T16:40:00.000Z",
  },
};

const mean = (values: readonly number[]) =>
  Math.round(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));

/** Encoded bytes a field adds to each member's state: with the field set, minus without it. */
function addedBytes<K extends "activity" | "satisfaction">(
  items: readonly Item[],
  key: K,
  value: MemberState[K],
) {
  return items.map((item) => {
    const { [key]: _present, ...without } = decodeState<MemberState>(item[STATE_ATTRIBUTE]);
    return encodeState({ ...without, [key]: value }).byteLength - encodeState(without).byteLength;
  });
}

export async function kpiFigures(options: {
  client: DynamoDBClient;
  tableName: string;
  /** Scanned STATE items of the bench's members. */
  items: readonly Item[];
  /** The first night's report and when it ran. */
  report: AnalyticsJobReport;
  night: Date;
}): Promise<BenchResult[]> {
  const { client, tableName, items, report, night } = options;
  const sample = `mean over ${items.length} synthetic members' STATE, encoded with the real codec (deflate with the state dictionary), with minus without`;
  const perMember = report.timingsMs.kpis / Math.max(1, report.members);
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { PK: { S: ANALYTICS_PK }, SK: { S: kpiSk(monthOf(utcDay(night))) } },
    }),
  );
  return [
    {
      name: "KPIs: bytes added per member, 24-month activity bitmap",
      value: mean(addedBytes(items, "activity", FULL_ACTIVITY)),
      unit: "bytes",
      note: `${sample}; every month active and repeat (the bitmap's largest numbers)`,
    },
    {
      name: "KPIs: bytes added per member, full satisfaction state",
      value: mean(addedBytes(items, "satisfaction", FULL_SATISFACTION)),
      unit: "bytes",
      note: `${sample}; latest NPS and CSAT with channel and store, and a closed service case`,
    },
    {
      name: `KPIs: KPI phase time, ${report.members.toLocaleString("en")} members`,
      value: report.timingsMs.kpis,
      unit: "ms",
      note: "first night: facts already decoded by the scan (no extra read), snapshot built and one PutItem",
    },
    {
      name: "KPIs: KPI phase time projected to 10 M members",
      value: Math.round((perMember * PROJECTED_MEMBERS) / 1000),
      unit: "s",
      note: `linear from ${perMember.toFixed(4)} ms per member (every KPI is a sum over members; the 80/20 share's sort of the CLVs is n log n); one core, excluding the scan`,
    },
    {
      name: "KPIs: KPI snapshot item size",
      value: Item ? itemSize(Item) : 0,
      unit: "bytes",
      note: "the month's item as the last night stored it; bounded by stores, tiers and segments, not members (test/unit/analytics/kpi-snapshot-size.test.ts)",
    },
  ];
}
