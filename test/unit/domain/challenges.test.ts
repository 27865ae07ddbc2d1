import { describe, expect, it } from "vitest";
import {
  applyInteraction,
  applyPurchase,
  applyRefund,
  exampleProgramInput,
  type InteractionFacts,
  type MemberState,
  type Program,
  type ProgramInput,
  parseProgram,
  settleMember,
  spendableBalance,
} from "../../../domain";
import { challengeEntryId, completionsIn } from "../../../domain/challenges/challenge-completion";
import { challengeOutlook, countedEvents } from "../../../domain/challenges/challenge-preview";
import { CHALLENGE_OPT_IN, optInRefusal } from "../../../domain/challenges/challenge-progress";
import { rememberCompleted } from "../../../domain/challenges/challenge-state";
import type { Challenge } from "../../../domain/program/challenge-schema";
import { line, member, plainProgram, programWith, purchase } from "./fixtures";

type ChallengeInput = NonNullable<ProgramInput["challenges"]>[number];

const marchVisits: ChallengeInput = {
  challengeId: "march-visits",
  name: "Three visits in March",
  window: { kind: "absolute", startsAt: "2025-03-01T00:00:00Z", endsAt: "2025-04-01T00:00:00Z" },
  goal: { metric: "purchaseCount", target: 3, minSpendMinor: 500 },
  reward: { points: 300, badge: { badgeId: "regular", name: "Regular" } },
};
const rollingCoffee: ChallengeInput = {
  challengeId: "coffee-week",
  name: "Two coffees in a week",
  window: { kind: "rolling", days: 7 },
  optIn: true,
  goal: { metric: "purchaseCount", target: 2, categories: ["coffee"] },
  reward: { points: 0, rewardId: "free-coffee" },
};
const profile: ChallengeInput = {
  challengeId: "complete-profile",
  name: "Complete your profile",
  window: { kind: "absolute", startsAt: "2025-01-01T00:00:00Z", endsAt: "2026-01-01T00:00:00Z" },
  goal: { metric: "interactionCount", kind: "profile-completed", target: 1 },
  reward: { points: 50, badge: { badgeId: "profile-star", name: "Profile star" } },
};

const withChallenges = (...challenges: ChallengeInput[]) =>
  plainProgram((i) => {
    i.challenges = challenges;
  });

let orders = 0;
function buy(program: Program, state: MemberState, at: string, lines = [line("ESPRESSO", "coffee", 600)]) {
  return applyPurchase(state, program, purchase(`O-${++orders}`, at, lines), { now: at });
}
let interactions = 0;
function interact(program: Program, state: MemberState, at: string, kind: string, challengeId?: string) {
  const facts: InteractionFacts = {
    sourceKey: `interaction:retail.app:I-${++interactions}`,
    interactionId: `I-${interactions}`,
    kind,
    occurredAt: at,
    ...(challengeId && { attributes: { challengeId } }),
  };
  return applyInteraction(state, program, facts, { now: at });
}

describe("absolute window", () => {
  const program = withChallenges(marchVisits);

  it("completes on the third qualifying purchase in the window: points, badge, one entry, Challenge Completed", () => {
    let state = member(program);
    state = buy(program, state, "2025-03-02T10:00:00Z").state;
    state = buy(program, state, "2025-03-09T10:00:00Z").state;
    const third = buy(program, state, "2025-03-31T23:59:59Z");
    const entry = third.entries.find((e) => e.details?.type === "challenge");
    expect(entry).toMatchObject({
      entryId: challengeEntryId("march-visits", "m-1"),
      kind: "bonus",
      points: 300,
      ruleIds: ["march-visits"],
    });
    expect(entry?.reason).toBe("Challenge Three visits in March completed: 300 points, badge Regular");
    expect(third.outbound.filter((e) => e.type === "Challenge Completed")).toHaveLength(1);
    expect(third.state.challenges).toMatchObject({
      active: [],
      completed: ["march-visits"],
      badges: [{ badgeId: "regular", awardedOn: "2025-03-31" }],
    });
    expect(spendableBalance(third.state) - spendableBalance(state)).toBe(300);
  });

  it("ignores purchases at the end instant, before the start and under the minimum spend", () => {
    let state = member(program);
    state = buy(program, state, "2025-02-28T23:59:59Z").state;
    state = buy(program, state, "2025-03-02T10:00:00Z").state;
    state = buy(program, state, "2025-03-03T10:00:00Z", [line("CROISSANT", "bakery", 499)]).state;
    state = buy(program, state, "2025-03-09T10:00:00Z").state;
    const atEnd = buy(program, state, "2025-04-01T00:00:00Z");
    expect(atEnd.entries.some((e) => e.details?.type === "challenge")).toBe(false);
    expect(state.challenges?.active).toEqual([
      expect.objectContaining({
        challengeId: "march-visits",
        progress: 2,
        endsAt: "2025-04-01T00:00:00.000Z",
      }),
    ]);
  });

  it("does not complete twice: more purchases after completion add nothing", () => {
    let state = member(program);
    const results = ["02", "03", "04", "05", "06"].map((d) => {
      const r = buy(program, state, `2025-03-${d}T10:00:00Z`);
      state = r.state;
      return r;
    });
    expect(results.flatMap((r) => r.entries).filter((e) => e.details?.type === "challenge")).toHaveLength(1);
    expect(state.challenges?.badges).toHaveLength(1);
  });

  it("a challenge the store says was completed (its id aged out of the state) is not completed again", () => {
    let state = member(program);
    state = buy(program, state, "2025-03-02T10:00:00Z").state;
    state = buy(program, state, "2025-03-09T10:00:00Z").state;
    const third = buy(program, state, "2025-03-31T23:59:59Z");
    expect(completionsIn(third.entries).map((c) => c.challengeId)).toEqual(["march-visits"]);
    // The same purchase decided again with the completion known: it earns, completes nothing, gives no badge.
    const remembered = rememberCompleted(state, ["march-visits"]);
    expect(remembered.challenges).toMatchObject({ active: [], completed: ["march-visits"] });
    expect(state.challenges?.active).toHaveLength(1);
    const again = buy(program, remembered, "2025-03-31T23:59:59Z");
    expect(completionsIn(again.entries)).toEqual([]);
    expect(again.entries.map((e) => e.kind)).toEqual(["earn"]);
    expect(again.state.challenges?.badges).toEqual([]);
    expect(rememberCompleted(state, [])).toBe(state);
  });

  it("prunes a joined challenge once its deadline is older than the late window", () => {
    let state = member(program);
    state = buy(program, state, "2025-03-02T10:00:00Z").state;
    // Late window = pendingDays (30): on 30 April an event of 31 March could still arrive, on 2 May not.
    expect(settleMember(state, program, "2025-04-30T00:00:00Z").state.challenges?.active).toHaveLength(1);
    expect(settleMember(state, program, "2025-05-02T00:00:00Z").state.challenges?.active).toHaveLength(0);
  });
});

describe("refunds", () => {
  it("a full refund of the completing purchase takes back neither the progress nor the reward", () => {
    const program = withChallenges(marchVisits);
    let state = member(program);
    state = buy(program, state, "2025-03-02T10:00:00Z").state;
    state = buy(program, state, "2025-03-03T10:00:00Z").state;
    const third = buy(program, state, "2025-03-04T10:00:00Z");
    const earn = third.entries.find((e) => e.kind === "earn");
    if (!earn) throw new Error("no earn entry");
    const refund = {
      sourceKey: "refund:retail.pos:R-1",
      refundId: "R-1",
      occurredAt: "2025-03-05T10:00:00Z",
      currency: "EUR",
      amountMinor: 600,
    };
    const refunded = applyRefund(third.state, program, refund, earn, [], { now: refund.occurredAt });
    expect(refunded.state.challenges).toEqual(third.state.challenges);
    expect(refunded.entries.map((e) => e.entryId)).not.toContain(challengeEntryId("march-visits", "m-1"));
    expect(
      refunded.entries.flatMap((e) => (e.details?.type === "refund" ? e.details.bonusesReversed : [])),
    ).toEqual([]);
  });
});

describe("rolling window with opt-in", () => {
  const program = withChallenges(rollingCoffee);

  it("counts nothing before the opt-in", () => {
    const state = buy(program, member(program), "2025-03-02T10:00:00Z").state;
    expect(state.challenges?.active ?? []).toEqual([]);
  });

  it("opting in by interaction starts a 7-day window: just inside completes, just after does not", () => {
    const optedIn = interact(
      program,
      member(program),
      "2025-03-02T10:00:00Z",
      CHALLENGE_OPT_IN,
      "coffee-week",
    );
    expect(optedIn.entries[0]?.reason).toBe("Joined challenge Two coffees in a week");
    expect(optedIn.entries[0]?.ruleIds).toEqual(["coffee-week"]);
    expect(optedIn.state.challenges?.active).toEqual([
      {
        challengeId: "coffee-week",
        startsAt: "2025-03-02T10:00:00.000Z",
        endsAt: "2025-03-09T10:00:00.000Z",
        progress: 0,
      },
    ]);
    const one = buy(program, optedIn.state, "2025-03-03T10:00:00Z").state;
    const inside = buy(program, one, "2025-03-09T09:59:59Z");
    expect(inside.outbound.map((e) => e.type)).toContain("Challenge Completed");
    expect(inside.state.rewards.unlocked).toEqual([{ rewardId: "free-coffee", count: 1 }]);
    const after = buy(program, one, "2025-03-09T10:00:00Z");
    expect(after.outbound.map((e) => e.type)).not.toContain("Challenge Completed");
  });

  it("refuses a second opt-in, an unknown challenge, and one that needs none; the opt-in window is honoured", () => {
    const closing = withChallenges(
      { ...rollingCoffee, window: { kind: "rolling", days: 7, optInUntil: "2025-03-10T00:00:00Z" } },
      marchVisits,
    );
    const state = interact(
      closing,
      member(closing),
      "2025-03-02T10:00:00Z",
      CHALLENGE_OPT_IN,
      "coffee-week",
    ).state;
    expect(optInRefusal(state, closing, "coffee-week", "2025-03-03T00:00:00Z")).toBe("already-joined");
    expect(optInRefusal(state, closing, "nope", "2025-03-03T00:00:00Z")).toBe("unknown-challenge");
    expect(optInRefusal(state, closing, "march-visits", "2025-03-03T00:00:00Z")).toBe("no-opt-in");
    const fresh = member(closing);
    expect(optInRefusal(fresh, closing, "coffee-week", "2025-03-09T23:59:59Z")).toBeUndefined();
    expect(optInRefusal(fresh, closing, "coffee-week", "2025-03-10T00:00:00Z")).toBe("not-open");
    // A refused opt-in has no effect, so the interaction writes nothing.
    expect(interact(closing, fresh, "2025-03-10T00:00:00Z", CHALLENGE_OPT_IN, "coffee-week").entries).toEqual(
      [],
    );
  });
});

describe("audience", () => {
  it("joins only members of the audience's tiers and stages, checked when they join", () => {
    const program = withChallenges({
      ...marchVisits,
      audience: { tiers: ["gold"], lifecycleStages: ["active"] },
    });
    const silver = buy(program, member(program), "2025-03-02T10:00:00Z").state;
    expect(silver.challenges?.active ?? []).toEqual([]);
    const gold: MemberState = { ...member(program), tier: { ...member(program).tier, tierId: "gold" } };
    gold.retention = { ...gold.retention, stage: "active" };
    expect(buy(program, gold, "2025-03-02T10:00:00Z").state.challenges?.active).toHaveLength(1);
    const goldButNew = { ...gold, retention: { ...gold.retention, stage: "new" as const } };
    expect(buy(program, goldButNew, "2025-03-02T10:00:00Z").state.challenges?.active ?? []).toEqual([]);
  });

  it("checks the RFM segment from the member's scores; unscored members are outside a segment audience", () => {
    const program = withChallenges({ ...rollingCoffee, audience: { segments: ["at risk"] } });
    const unscored = member(program);
    expect(optInRefusal(unscored, program, "coffee-week", "2025-03-02T00:00:00Z")).toBe("not-in-audience");
    const scores = {
      segment: "at risk",
      recency: 1,
      frequency: 4,
      monetary: 3,
      probabilityAlive: 0.4,
      expectedOrderValueMinor: 2000,
      clvMinor: 9000,
      scoredOn: "2025-03-01",
      modelVersion: "test",
    };
    expect(
      optInRefusal({ ...unscored, scores }, program, "coffee-week", "2025-03-02T00:00:00Z"),
    ).toBeUndefined();
  });
});

describe("other goals", () => {
  it("interactionCount: a profile-completed interaction completes the badge challenge once", () => {
    const program = withChallenges(profile);
    const first = interact(program, member(program), "2025-02-01T10:00:00Z", "profile-completed");
    expect(first.entries.map((e) => e.entryId)).toContain(challengeEntryId("complete-profile", "m-1"));
    expect(first.state.challenges?.badges).toEqual([{ badgeId: "profile-star", awardedOn: "2025-02-01" }]);
    expect(spendableBalance(first.state)).toBe(50);
    const again = interact(program, first.state, "2025-02-02T10:00:00Z", "profile-completed");
    expect(again.entries).toEqual([]);
  });

  it("spend and distinctCategories count paid lines in the goal's categories", () => {
    const spend: ChallengeInput = {
      ...marchVisits,
      challengeId: "spend-fashion",
      goal: { metric: "spend", target: 10000, categories: ["apparel", "shoes"] },
    };
    const explorer: ChallengeInput = {
      ...marchVisits,
      challengeId: "explorer",
      reward: { points: 100 },
      goal: { metric: "distinctCategories", target: 3 },
    };
    const program = withChallenges(spend, explorer);
    let state = member(program);
    state = buy(program, state, "2025-03-02T10:00:00Z", [
      line("TEE", "apparel", 6000),
      line("BREAD", "bakery", 400),
    ]).state;
    expect(state.challenges?.active).toEqual([
      expect.objectContaining({ challengeId: "spend-fashion", progress: 6000 }),
      expect.objectContaining({ challengeId: "explorer", progress: 2, categories: ["apparel", "bakery"] }),
    ]);
    const done = buy(program, state, "2025-03-03T10:00:00Z", [line("SNEAKER", "shoes", 4000)]);
    expect(done.entries.filter((e) => e.details?.type === "challenge").map((e) => e.ruleIds[0])).toEqual([
      "spend-fashion",
      "explorer",
    ]);
  });
});

describe("program consistency", () => {
  const errors = (challenge: ChallengeInput) => {
    const input: ProgramInput = structuredClone(exampleProgramInput);
    input.challenges = [challenge];
    const result = parseProgram(input);
    return result.ok ? "" : result.errors.map((e) => `${e.path}: ${e.message}`).join("\n");
  };

  it("names unknown rewards, categories and tiers, empty rewards, inverted windows and a rolling window without opt-in", () => {
    const bad: ChallengeInput = {
      challengeId: "bad-one",
      name: "Bad",
      window: { kind: "absolute", startsAt: "2025-03-01T00:00:00Z", endsAt: "2025-03-01T00:00:00Z" },
      goal: { metric: "purchaseCount", target: 1, categories: ["gadgets"] },
      reward: { points: 0, rewardId: "yacht" },
      audience: { tiers: ["diamond"] },
    };
    const found = errors(bad);
    expect(found).toContain("challenges[0].window.endsAt");
    expect(found).toContain('unknown category "gadgets"');
    expect(found).toContain('reward "yacht" is not in the rewards catalogue');
    expect(found).toContain('unknown tier "diamond"');
    expect(errors({ ...rollingCoffee, optIn: false })).toContain("optIn must be true");
    expect(errors({ ...profile, reward: { points: 0 } })).toContain(
      "must give points, a rewardId or a badge",
    );
    expect(errors({ ...marchVisits, challengeId: "base-earn" })).toContain('duplicate rule id "base-earn"');
  });

  it("accepts the example program's challenges", () => {
    const challenges: Challenge[] = programWith().challenges;
    expect(challenges.length).toBeGreaterThan(0);
  });
});

describe("what-if outlook", () => {
  it("counts audience, joined and completed, and replays the window's events under the draft", () => {
    const current = withChallenges(marchVisits);
    let state = member(current);
    const results = ["02", "09"].map((d) => {
      const r = buy(current, state, `2025-03-${d}T10:00:00Z`);
      state = r.state;
      return r;
    });
    const events = countedEvents(results.flatMap((r) => r.entries));
    // The draft lowers the target to 2: the two March purchases would complete it; the opt-in one needs joining.
    const draft = withChallenges(
      { ...marchVisits, goal: { metric: "purchaseCount", target: 2, minSpendMinor: 500 } },
      rollingCoffee,
    );
    expect(challengeOutlook(state, draft, events)).toEqual([
      { challengeId: "march-visits", inAudience: true, joined: true, completed: false, wouldComplete: true },
      { challengeId: "coffee-week", inAudience: true, joined: false, completed: false, wouldComplete: false },
    ]);
    expect(challengeOutlook(state, current, events)[0]?.wouldComplete).toBe(false);
  });
});
