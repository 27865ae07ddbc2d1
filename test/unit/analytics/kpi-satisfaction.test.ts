// The satisfaction KPIs pinned on a small member set whose figures are worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import {
  MAX_STORES_PER_MONTH,
  OTHER_STORES,
  type SatisfactionMember,
  satisfactionByMonth,
  serviceRecovery,
  UNATTRIBUTED,
} from "../../../domain/analytics/kpi-satisfaction";
import { kpiFacts } from "../../../functions/analytics/kpi-inputs";
import { KPI_DEFINITIONS } from "../../../functions/analytics/kpi-snapshot";

const member = (over: Partial<SatisfactionMember>): SatisfactionMember => ({
  tierId: "silver",
  segment: "loyal",
  ...over,
});
const at = (day: string) => `${day}T10:00:00Z`;

// March NPS: A 10 (promoter), B 9 (promoter), C 7 (passive), D 3 (detractor) → 100 × (2 − 1) ÷ 4 = 25.
// March CSAT: A 5, C 4 (satisfied), D 2 → 2 ÷ 3. April: E's NPS 6 (detractor) → −100, and E's CSAT 4 → 1.
// F answered in January, outside the months asked for: counted nowhere.
const members = [
  member({
    tierId: "gold",
    nps: { score: 10, at: at("2026-03-01") },
    csat: { score: 5, at: at("2026-03-01") },
  }),
  member({ tierId: "gold", segment: "champions", nps: { score: 9, at: at("2026-03-31") } }),
  member({ nps: { score: 7, at: at("2026-03-15") }, csat: { score: 4, at: at("2026-03-15") } }),
  member({ nps: { score: 3, at: at("2026-03-20") }, csat: { score: 2, at: at("2026-03-20") } }),
  member({ nps: { score: 6, at: at("2026-04-02") }, csat: { score: 4, at: at("2026-04-03") } }),
  member({ nps: { score: 10, at: at("2026-01-09") } }),
  member({}),
];

describe("NPS and CSAT by month", () => {
  const [march, april, may] = satisfactionByMonth(members, ["2026-03", "2026-04", "2026-05"]);

  it("NPS = % promoters (9–10) − % detractors (0–6) over the month's latest answers", () => {
    expect(march?.nps).toEqual({ responses: 4, promoters: 2, passives: 1, detractors: 1, score: 25 });
    expect(april?.nps).toEqual({ responses: 1, promoters: 0, passives: 0, detractors: 1, score: -100 });
  });

  it("CSAT = share of answers of 4–5", () => {
    expect(march?.csat.responses).toBe(3);
    expect(march?.csat.satisfied).toBe(2);
    expect(march?.csat.score).toBeCloseTo(2 / 3, 10);
    expect(april?.csat).toEqual({ responses: 1, satisfied: 1, score: 1 });
  });

  it("counts an answer in its UTC month", () => {
    const [april] = satisfactionByMonth(
      [member({ nps: { score: 9, at: "2026-03-31T23:30:00-02:00" } })],
      ["2026-04"],
    );
    expect(april?.nps.promoters).toBe(1);
  });

  it("a month without answers has no score (not 0) and no groups", () => {
    expect(may).toMatchObject({
      month: "2026-05",
      nps: { responses: 0, score: null },
      csat: { responses: 0, score: null },
      byTier: {},
      bySegment: {},
    });
  });

  it("splits by tier and by RFM segment, only the groups with answers", () => {
    // Gold: A 10 and B 9 → NPS 100; A's CSAT 5 → 1. Silver: C 7 and D 3 → 100 × (0 − 1) ÷ 2 = −50; CSAT 1 of 2.
    expect(march?.byTier.gold?.nps.score).toBe(100);
    expect(march?.byTier.gold?.csat).toEqual({ responses: 1, satisfied: 1, score: 1 });
    expect(march?.byTier.silver?.nps.score).toBe(-50);
    expect(march?.byTier.silver?.csat.score).toBe(0.5);
    // Champions: B alone (no CSAT answer). Loyal: A, C, D → 100 × (1 − 1) ÷ 3 = 0.
    expect(march?.bySegment.champions?.nps).toMatchObject({ responses: 1, score: 100 });
    expect(march?.bySegment.champions?.csat).toEqual({ responses: 0, satisfied: 0, score: null });
    expect(march?.bySegment.loyal?.nps).toMatchObject({ responses: 3, score: 0 });
    expect(Object.keys(april?.byTier ?? {})).toEqual(["silver"]);
  });

  it("splits by the channel and store the answer was given at; answers without one count as unattributed", () => {
    // March: A 10 and C 7 at pos store-1, B 9 on the web (no store), D 3 at pos store-2.
    const where = [
      { channel: "pos", storeId: "store-1" },
      { channel: "web" },
      { channel: "pos", storeId: "store-1" },
      { channel: "pos", storeId: "store-2" },
    ] as const;
    const placed = members.map((m, i) => {
      const w = where[i];
      return w && m.nps ? { ...m, nps: { ...m.nps, ...w } } : m;
    });
    const [marchPlaced] = satisfactionByMonth(placed, ["2026-03"]);
    // pos: A 10, C 7, D 3 → 100 × (1 − 1) ÷ 3 = 0; web: B 9 → 100. store-1: A, C → 100 × (1 − 0) ÷ 2 = 50.
    expect(marchPlaced?.byChannel.pos?.nps).toMatchObject({ responses: 3, score: 0 });
    expect(marchPlaced?.byChannel.web?.nps).toMatchObject({ responses: 1, score: 100 });
    expect(marchPlaced?.byStore["store-1"]?.nps).toMatchObject({ responses: 2, score: 50 });
    expect(marchPlaced?.byStore["store-2"]?.nps).toMatchObject({ responses: 1, score: -100 });
    expect(marchPlaced?.byStore[UNATTRIBUTED]?.nps.responses).toBe(1);
    // CSAT answers carry no place here: all unattributed.
    expect(marchPlaced?.byChannel[UNATTRIBUTED]?.csat.responses).toBe(3);
  });

  it("counts stores whose ids name Object's own members (constructor, __proto__) like any other store", () => {
    const ids = ["constructor", "__proto__", "toString", "hasOwnProperty"];
    const placed = ids.map((storeId, i) =>
      member({
        nps: { score: 10, at: at("2026-03-02"), channel: "pos", storeId },
        tierId: ids[i] ?? "silver",
      }),
    );
    const [row] = satisfactionByMonth(placed, ["2026-03"]);
    expect(Object.keys(row?.byStore ?? {}).sort()).toEqual([...ids].sort());
    expect(Object.keys(row?.byTier ?? {}).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(Object.getOwnPropertyDescriptor(row?.byStore, id)?.value.nps).toMatchObject({
        responses: 1,
        score: 100,
      });
    }
    expect(Object.getPrototypeOf(row?.byStore)).toBe(Object.prototype);
    expect(({} as { nps?: unknown }).nps).toBeUndefined();
  });

  it("keeps the stores with the most answers and folds the rest into other", () => {
    const many = Array.from({ length: MAX_STORES_PER_MONTH + 5 }, (_, i) =>
      member({ nps: { score: 10, at: at("2026-03-02"), channel: "pos", storeId: `s-${i}` } }),
    );
    const [row] = satisfactionByMonth(
      [...many, member({ nps: { score: 0, at: at("2026-03-03"), channel: "pos", storeId: "s-0" } })],
      ["2026-03"],
    );
    expect(Object.keys(row?.byStore ?? {})).toHaveLength(MAX_STORES_PER_MONTH + 1);
    expect(row?.byStore["s-0"]?.nps.responses).toBe(2);
    expect(row?.byStore[OTHER_STORES]?.nps.responses).toBe(5);
  });
  it("keeps stores whose ids are the fold's names apart from the fold and from answers without a store", () => {
    const answer = (storeId?: string) =>
      member({ nps: { score: 10, at: at("2026-03-02"), channel: "pos", ...(storeId && { storeId }) } });
    // A store called "unattributed" and an answer without a store: two rows.
    const [small] = satisfactionByMonth([answer("unattributed"), answer()], ["2026-03"]);
    expect(small?.byStore.unattributed?.nps.responses).toBe(1);
    expect(small?.byStore[UNATTRIBUTED]?.nps.responses).toBe(1);
    // A store called "other" with the most answers keeps its row; the 5 stores beyond the top 50 fold apart.
    const stores = Array.from({ length: MAX_STORES_PER_MONTH + 4 }, (_, i) => answer(`s-${i}`));
    const [row] = satisfactionByMonth([answer("other"), answer("other"), ...stores], ["2026-03"]);
    expect(row?.byStore.other?.nps.responses).toBe(2);
    expect(row?.byStore[OTHER_STORES]?.nps.responses).toBe(5);
    expect(OTHER_STORES).not.toMatch(/^[A-Za-z0-9_-]+$/);
    expect(UNATTRIBUTED).not.toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe("recovered vs unrecovered complainers", () => {
  it("splits members by their latest case and counts who purchased after it opened", () => {
    const opened = at("2026-03-10");
    const result = serviceRecovery([
      // Recovered: G bought after (retained), H bought only before.
      member({
        serviceCase: { openedAt: opened, closedAt: at("2026-03-11") },
        lastPurchaseAt: at("2026-04-01"),
      }),
      member({
        serviceCase: { openedAt: opened, closedAt: at("2026-03-11") },
        lastPurchaseAt: at("2026-03-01"),
      }),
      // Unrecovered: I never bought, J bought after; K never complained.
      member({ serviceCase: { openedAt: opened } }),
      member({ serviceCase: { openedAt: opened }, lastPurchaseAt: at("2026-03-12") }),
      member({ lastPurchaseAt: at("2026-03-12") }),
    ]);
    expect(result).toEqual({
      recovered: { complainers: 2, purchasedAfter: 1, retentionRate: 0.5 },
      unrecovered: { complainers: 2, purchasedAfter: 1, retentionRate: 0.5 },
    });
    expect(serviceRecovery([member({})]).recovered.retentionRate).toBe(0);
  });
});

describe("the satisfaction facts of a member's state", () => {
  it("reads the latest scores, the case and the last purchase, and ignores malformed ones", () => {
    const facts = kpiFacts({
      enrolledAt: "2026-01-01T00:00:00Z",
      lifetime: { lastPurchaseAt: "2026-03-02T00:00:00Z" },
      satisfaction: {
        nps: { score: 8, at: "2026-03-01T00:00:00Z" },
        // An unreadable date drops the answer rather than failing the run.
        csat: { score: 5, at: "yesterday" },
        serviceCase: { caseId: "c1", reason: "complaint", openedAt: "2026-02-01T00:00:00Z" },
      },
    });
    expect(facts).toMatchObject({
      nps: { score: 8, at: "2026-03-01T00:00:00Z" },
      serviceCase: { openedAt: "2026-02-01T00:00:00Z" },
      lastPurchaseAt: "2026-03-02T00:00:00Z",
    });
    expect(facts.csat).toBeUndefined();
    expect(facts.serviceCase?.closedAt).toBeUndefined();
  });

  it("defines each satisfaction KPI, saying that a member's latest answer in the month counts", () => {
    for (const key of ["nps", "csat", "surveyResponses", "satisfactionByGroup", "complainerRetention"]) {
      expect(KPI_DEFINITIONS[key], key).toBeTruthy();
    }
    expect(KPI_DEFINITIONS.nps).toMatch(/latest NPS answer given in month m/);
    expect(KPI_DEFINITIONS.csat).toMatch(/latest CSAT answer given in month m/);
  });
});
