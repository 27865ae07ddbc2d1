import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

// The member's domain state is stored on the STATE item as ONE binary attribute: a format byte, then the state's
// JSON compressed with raw DEFLATE against a preset dictionary. A nested DynamoDB map of the same state is ~2×
// the bytes (names at every level, 1–3 B per element) and the most expensive part of every read and write to
// (un)marshall; compressed, a typical state stays well under 1 KB, so a purchase's transaction is 2 × 2 WU.
// The price: DynamoDB can no longer project into the state or update part of it — every writer replaces the
// whole attribute, read-modify-write under the item's `version` condition (which every writer did anyway).

/** Name of the STATE item attribute holding the encoded domain state. */
export const STATE_ATTRIBUTE = "state";

/** Format 1: UTF-8 JSON, raw DEFLATE (RFC 1951) with the preset dictionary `DICTIONARY_V1`. */
const FORMAT_DEFLATE_DICT_V1 = 0x01;

// Fragments of a member state in the domain's key order, so even a small state finds its names and structure
// here. FROZEN: every byte is part of format 1 — a changed dictionary is a new format byte, never an edit.
const DICTIONARY_V1 = Buffer.from(
  [
    '{"family":"win-back","kind":"win-back-step-1","messageKey":"","triggeredOn":"2025-01-01",',
    '"convertedOn":"2025-01-01","daysToConvert":1,"until":"2025-01-01","control":false}',
    '{"at-risk-nudge":"2025-01-01","points-expiring":"2025-01-01","tier-downgrade-warning":"2025-01-01",',
    '"service-recovery":"","birthday":"2025","milestone":""}',
    '{"kind":"review-written","period":"month","periodKey":"2025-01","count":1,"points":10}',
    '"graceUntil":"2025-01-01",',
    '{"memberId":"","enrolledAt":"2025-01-01T00:00:00.000Z","status":"active",',
    '"points":{"lots":[{"expiresOn":"2027-01-01","points":100},{"expiresOn":"2027-02-01","points":20}],',
    '"pending":[{"availableOn":"2025-01-01","expiresOn":"2027-01-01","points":100}],"debt":0},',
    '"qualifying":[{"month":"2025-01","statusPoints":100,"spendMinor":10000},',
    '{"month":"2025-02","statusPoints":20,"spendMinor":2000}],',
    '"tier":{"tierId":"silver","since":"2025-01-01T00:00:00.000Z","reviewOn":"2026-01-01"},',
    '"frequency":{"punchCards":[{"ruleId":"coffee-card","punches":1}],',
    '"streaks":[{"ruleId":"three-in-fourteen","visitDays":["2025-01-01","2025-01-02"]}],',
    '"milestonesReached":["tenth-purchase"]},',
    '"rewards":{"unlocked":[{"rewardId":"","count":1}],"redeemed":[{"rewardId":"","count":1}]},',
    '"interactions":[],"lifetime":{"purchases":1,"spendMinor":10000,"pointsEarned":100,"pointsRedeemed":0,',
    '"pointsExpired":0,"firstPurchaseAt":"2025-01-01T00:00:00.000Z","lastPurchaseAt":"2025-01-01T00:00:00.000Z"},',
    '"categorySpend":[{"category":"apparel","spendMinor":10000},{"category":"grocery","spendMinor":2000}],',
    '"scores":{"segment":"champions","recency":5,"frequency":5,"monetary":5,"probabilityAlive":0.9,',
    '"expectedOrderValueMinor":1000,"clvMinor":10000,"scoredOn":"2025-01-01","modelVersion":"bgnbd-gg.v1.h52w.d0.1.m1@2025-01-01"},',
    '"retention":{"enrolledOn":"2025-01-01","rhythm":{"purchaseDays":1,"firstDay":"2025-01-01","lastDay":"2025-01-01",',
    '"meanGapDays":10},"stage":"active","stageSince":"2025-01-01","winBackStepsDone":0,"lastFired":{},',
    '"pending":[],"recentSends":["2025-01-01T00:00:00.000Z"],"dueOn":"2025-01-01"},"unreportedConversions":[]}',
  ].join(""),
  "utf8",
);

/** The encoded form of a domain state: format byte + compressed JSON. */
export function encodeState(state: object): Uint8Array {
  const json = JSON.stringify(state);
  if (json === undefined) throw new Error("member state must be a JSON object");
  const body = deflateRawSync(json, { dictionary: DICTIONARY_V1 });
  const encoded = new Uint8Array(body.byteLength + 1);
  encoded[0] = FORMAT_DEFLATE_DICT_V1;
  encoded.set(body, 1);
  return encoded;
}

/** The attribute value to store under `STATE_ATTRIBUTE`. */
export const stateAttribute = (state: object): AttributeValue => ({ B: encodeState(state) });

/** The domain state held by a STATE item's `STATE_ATTRIBUTE` value; throws on a missing or unknown format. */
export function decodeState<S extends object = Record<string, unknown>>(
  value: AttributeValue | undefined,
): S {
  if (value === undefined) throw new Error(`STATE item has no "${STATE_ATTRIBUTE}" attribute`);
  const bytes = value.B;
  if (bytes === undefined) {
    const type = Object.keys(value).find((key) => key !== "$unknown") ?? "none";
    throw new Error(
      `STATE item "${STATE_ATTRIBUTE}" must be binary (format 1), got type ${type}: unknown state format`,
    );
  }
  const format = bytes[0];
  if (format !== FORMAT_DEFLATE_DICT_V1) {
    const shown = format === undefined ? "empty" : `0x${format.toString(16).padStart(2, "0")}`;
    throw new Error(
      `STATE item "${STATE_ATTRIBUTE}" has unknown format byte ${shown}; this reader knows 0x01`,
    );
  }
  const json = inflateRawSync(bytes.subarray(1), { dictionary: DICTIONARY_V1 }).toString("utf8");
  const state: unknown = JSON.parse(json);
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new Error(`STATE item "${STATE_ATTRIBUTE}" does not hold a JSON object`);
  }
  return state as S;
}
