import { describe, expect, it } from "vitest";
import {
  InsufficientPoints,
  InvalidFacts,
  RewardLimitReached,
  RewardUnavailable,
  UnknownMember,
} from "../../../domain/errors";

describe("domain errors", () => {
  it("name each failure by its class and carry its code and message", () => {
    const cases = [
      [new InsufficientPoints(50, 20), "InsufficientPoints", "INSUFFICIENT_POINTS"],
      [new RewardUnavailable("r1", "paused"), "RewardUnavailable", "REWARD_UNAVAILABLE"],
      [new RewardLimitReached("r1", 2), "RewardLimitReached", "REWARD_LIMIT_REACHED"],
      [new UnknownMember("m1"), "UnknownMember", "UNKNOWN_MEMBER"],
      [new InvalidFacts("refund.amount", "more than was bought"), "InvalidFacts", "INVALID_FACTS"],
    ] as const;
    for (const [error, name, code] of cases) {
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
    }
    expect(new InsufficientPoints(50, 20).message).toBe("needs 50 points but only 20 are spendable");
    expect(new InvalidFacts("refund.amount", "more than was bought").message).toBe(
      "refund.amount: more than was bought",
    );
  });
});
