import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import {
  applyInteraction,
  applyPurchase,
  enrolMember,
  exampleProgram,
  type MemberState,
} from "../../../domain";
import { valueSize } from "../../../functions/adapters/dynamo/item-size";
import { decodeState, encodeState, stateAttribute } from "../../../functions/adapters/dynamo/state-codec";

// The STATE item's encoded domain state (functions/adapters/dynamo/state-codec.ts).

const DAY_MS = 86_400_000;
const CATEGORIES = ["apparel", "grocery", "home", "beauty"];

/** A member of the example program buying every `gapDays` days, `purchases` times, with an interaction a month. */
function memberWithHistory(purchases: number, gapDays: number): MemberState {
  const start = Date.parse("2022-02-03T08:15:00.000Z");
  let state = enrolMember("mbr-4f1c2e7a", new Date(start), exampleProgram).state;
  for (let i = 0; i < purchases; i += 1) {
    const at = new Date(start + (i * gapDays + 1) * DAY_MS + (i % 9) * 3_600_000).toISOString();
    const unitPriceMinor = 1250 + ((i * 733) % 4100);
    const quantity = 1 + (i % 3);
    state = applyPurchase(
      state,
      exampleProgram,
      {
        sourceKey: `retail.pos.store-042#R-${1000 + i}`,
        orderId: `R-${1000 + i}`,
        channel: i % 4 === 0 ? "web" : "pos",
        occurredAt: at,
        currency: "EUR",
        minorUnitsPerMajor: 100,
        lines: [{ sku: `SKU-${i % 17}`, category: CATEGORIES[i % 4] ?? "apparel", quantity, unitPriceMinor }],
        discountMinor: 0,
        totalMinor: quantity * unitPriceMinor,
      },
      { now: at },
    ).state;
    if (i % 4 === 1) {
      state = applyInteraction(
        state,
        exampleProgram,
        { sourceKey: `web.app#I-${i}`, interactionId: `I-${i}`, kind: "review-written", occurredAt: at },
        { now: at },
      ).state;
    }
  }
  return {
    ...state,
    scores: {
      segment: "loyal",
      recency: 4,
      frequency: 3,
      monetary: 4,
      probabilityAlive: 0.8712,
      expectedOrderValueMinor: 4410,
      clvMinor: 56233,
      scoredOn: "2025-01-12",
      modelVersion: "bgnbd-gg.v1.h52w.d0.1.m1@2025-01-12",
    },
  };
}

const encodedSize = (state: MemberState) => encodeState(state).byteLength;

describe("state codec", () => {
  it("round-trips a member state with history, scores and retention exactly", () => {
    const state = memberWithHistory(30, 12);
    expect(state.points.lots.length).toBeGreaterThan(0);
    expect(state.lifetime.purchases).toBe(30);
    expect(decodeState<MemberState>(stateAttribute(state))).toEqual(state);
  });

  it("drops undefined fields like the map encoding did", () => {
    const decoded = decodeState(stateAttribute({ points: 3, graceUntil: undefined }));
    expect(decoded).toEqual({ points: 3 });
    expect(Object.keys(decoded)).toEqual(["points"]);
  });

  it("stores a state in well under half the bytes of the nested map", () => {
    for (const state of [
      enrolMember("mbr-1", "2025-01-01T00:00:00Z", exampleProgram).state,
      memberWithHistory(36, 30),
    ]) {
      const mapBytes = valueSize({ M: marshall(state, { removeUndefinedValues: true }) });
      expect(encodedSize(state)).toBeLessThan(mapBytes / 2);
    }
  });

  it("stays bounded for a monthly buyer: 6 years cost no more than 3, and fit the 1 KB item budget", () => {
    const threeYears = encodedSize(memberWithHistory(36, 30));
    const sixYears = encodedSize(memberWithHistory(72, 30));
    // Lots expire after 24 months and qualifying months are pruned, so history stops adding bytes.
    expect(sixYears).toBeLessThanOrEqual(threeYears * 1.1);
    // The rest of the STATE item (keys, version, a full 16-key ring, updatedAt, due-index keys) is ≈ 300 B.
    expect(sixYears).toBeLessThan(1024 - 300);
  });

  it("decodes format 1 bytes written earlier, so the frozen dictionary cannot change unnoticed", () => {
    const stored = Buffer.from("AUOpPXJ1DYmtBozRCmT08h2ldMZVONbWAgA=", "base64");
    expect(decodeState({ B: stored })).toEqual({
      memberId: "m-1",
      points: { lots: [{ expiresOn: "2027-03-01", points: 120 }], pending: [], debt: 0 },
      tier: { tierId: "silver" },
    });
  });

  it("rejects a missing attribute, a nested map, an unknown format byte and empty bytes with a clear error", () => {
    expect(() => decodeState(undefined)).toThrow('STATE item has no "state" attribute');
    expect(() => decodeState({ M: { points: { N: "1" } } })).toThrow(
      'STATE item "state" must be binary (format 1), got type M: unknown state format',
    );
    const future = encodeState({ points: 1 });
    future[0] = 0x02;
    expect(() => decodeState({ B: future })).toThrow(
      'STATE item "state" has unknown format byte 0x02; this reader knows 0x01',
    );
    expect(() => decodeState({ B: new Uint8Array() })).toThrow("unknown format byte empty");
  });

  it("rejects format 1 bytes that do not hold a JSON object", () => {
    const list = encodeState([1, 2]);
    expect(() => decodeState({ B: list })).toThrow('STATE item "state" does not hold a JSON object');
    expect(() => decodeState({ B: Uint8Array.of(0x01, 0xff, 0x00) })).toThrow();
  });
});
