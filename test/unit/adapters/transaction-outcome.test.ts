import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { classifyCancellation } from "../../../functions/adapters/dynamo/transaction-outcome";

// A cancelled member commit: [STATE, business key, ledger entries…, other writes (offer codes, counters)…].

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: "cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const positions = { stateIndex: 0, keyIndex: 1, extraFrom: 3 };

describe("a cancelled member commit", () => {
  it("is a duplicate when a ledger entry exists, the key's record when the key does", () => {
    expect(
      classifyCancellation(cancelled("None", "None", "ConditionalCheckFailed", "None"), positions),
    ).toEqual({
      kind: "duplicate",
    });
    expect(
      classifyCancellation(cancelled("None", "ConditionalCheckFailed", "None", "None"), positions),
    ).toEqual({
      kind: "key-exists",
    });
  });

  it("is a conflict to decide again when STATE moved on or another write's condition failed (a code used meanwhile)", () => {
    expect(
      classifyCancellation(cancelled("ConditionalCheckFailed", "None", "None", "None"), positions),
    ).toEqual({
      kind: "conflict",
    });
    expect(
      classifyCancellation(cancelled("None", "None", "None", "ConditionalCheckFailed"), positions),
    ).toEqual({
      kind: "conflict",
    });
  });

  it("without extra writes, every action after the key is a ledger entry", () => {
    const noExtra = { stateIndex: 0, keyIndex: 1 };
    expect(
      classifyCancellation(cancelled("None", "None", "None", "ConditionalCheckFailed"), noExtra),
    ).toEqual({
      kind: "duplicate",
    });
  });

  it("names the once-for-ever keys that exist (a challenge completed before), after a duplicate, before a conflict", () => {
    // [STATE, key, entry, once key, once key, counter]
    const withOnce = { stateIndex: 0, keyIndex: 1, extraFrom: 3, onceKeys: { from: 3, count: 2 } };
    const failed = "ConditionalCheckFailed";
    expect(classifyCancellation(cancelled("None", "None", "None", "None", failed, "None"), withOnce)).toEqual(
      {
        kind: "once-taken",
        taken: [1],
      },
    );
    expect(classifyCancellation(cancelled(failed, "None", "None", failed, failed, failed), withOnce)).toEqual(
      {
        kind: "once-taken",
        taken: [0, 1],
      },
    );
    expect(classifyCancellation(cancelled("None", "None", failed, failed, "None", "None"), withOnce)).toEqual(
      {
        kind: "duplicate",
      },
    );
    expect(classifyCancellation(cancelled("None", "None", "None", "None", "None", failed), withOnce)).toEqual(
      {
        kind: "conflict",
      },
    );
  });

  it("leaves anything else to the caller", () => {
    expect(classifyCancellation(new Error("network"), positions)).toBeUndefined();
    expect(
      classifyCancellation(cancelled("None", "None", "ThrottlingError", "None"), positions),
    ).toBeUndefined();
  });
});
