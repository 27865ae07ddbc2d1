import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyInteraction,
  applyPurchase,
  type LedgerEntry,
  type MemberState,
  type Program,
  type UseCaseResult,
} from "../../../domain";
import { CHALLENGE_OPT_IN } from "../../../domain/challenges/challenge-progress";
import { dayStart } from "../../../domain/time";
import { oldestOpenDay } from "../../../domain/time-policy";
import { line, member, plainProgram, purchase } from "./fixtures";

// Completion is exactly once whatever the delivery: events arrive shuffled and redelivered, the store applies
// each business key once (its key record) and refuses a second entry with an existing id. The properties
// check the domain never produces an entry id twice (which the store would refuse, dropping the event) and
// completes iff the qualifying events in the window reach the target.

const WINDOW_START = Date.parse("2025-03-01T00:00:00Z");
const WINDOW_END = Date.parse("2025-04-01T00:00:00Z");
const NOW = "2025-04-05T00:00:00Z";

const program: Program = plainProgram((i) => {
  i.challenges = [
    {
      challengeId: "march-visits",
      name: "Visits in March",
      window: { kind: "absolute", startsAt: "2025-03-01T00:00:00Z", endsAt: "2025-04-01T00:00:00Z" },
      goal: { metric: "purchaseCount", target: 3, minSpendMinor: 500 },
      reward: { points: 300, badge: { badgeId: "regular", name: "Regular" } },
    },
    {
      challengeId: "reviewer",
      name: "Two reviews in March",
      window: { kind: "absolute", startsAt: "2025-03-01T00:00:00Z", endsAt: "2025-04-01T00:00:00Z" },
      goal: { metric: "interactionCount", kind: "review-written", target: 2 },
      reward: { points: 0, rewardId: "free-coffee" },
    },
    {
      challengeId: "sprint",
      name: "Three purchases in 5 days",
      window: { kind: "rolling", days: 5 },
      optIn: true,
      goal: { metric: "purchaseCount", target: 3 },
      reward: { points: 100 },
    },
  ];
});
/** The first instant an event may still change the member at NOW (the program's late window). */
const LATE_WINDOW_OPENS = Date.parse(dayStart(oldestOpenDay(program, NOW)));

type Event =
  | { type: "purchase"; id: number; at: number; paidMinor: number }
  | { type: "review"; id: number; at: number }
  | { type: "opt-in"; id: number; at: number };

const eventArb = (id: number) =>
  fc.oneof(
    fc.record({
      type: fc.constant("purchase" as const),
      id: fc.constant(id),
      at: fc.integer({ min: WINDOW_START - 3 * 86_400_000, max: WINDOW_END + 3 * 86_400_000 }),
      paidMinor: fc.constantFrom(300, 500, 1200),
    }),
    fc.record({
      type: fc.constant("review" as const),
      id: fc.constant(id),
      at: fc.integer({ min: WINDOW_START - 86_400_000, max: WINDOW_END + 86_400_000 }),
    }),
  );

/** Distinct events, then a delivery: a shuffle with some of them delivered twice or three times. */
const deliveryArb = fc
  .integer({ min: 1, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => eventArb(i))))
  .chain((events) =>
    fc
      .array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 8 })
      .chain((repeats) =>
        fc.shuffledSubarray([...events, ...repeats.map((i) => events[i] as Event)], {
          minLength: events.length + repeats.length,
        }),
      )
      .map((delivery) => ({ events, delivery })),
  );

const iso = (ms: number) => new Date(ms).toISOString();

function apply(state: MemberState, event: Event): UseCaseResult {
  if (event.type === "purchase")
    return applyPurchase(
      state,
      program,
      purchase(`O-${event.id}`, iso(event.at), [line("TEE", "apparel", event.paidMinor)]),
      {
        now: NOW,
      },
    );
  const optIn = event.type === "opt-in";
  return applyInteraction(
    state,
    program,
    {
      sourceKey: `interaction:retail.app:I-${event.id}`,
      interactionId: `I-${event.id}`,
      kind: optIn ? CHALLENGE_OPT_IN : "review-written",
      occurredAt: iso(event.at),
      ...(optIn && { attributes: { challengeId: "sprint" } }),
    },
    { now: NOW },
  );
}

/** Delivers like the pipeline: a business key applies once; a second entry with an existing id fails the test. */
function deliver(delivery: Event[]) {
  let state = member(program, "2025-02-01T00:00:00Z");
  const applied = new Set<string>();
  const entries = new Map<string, LedgerEntry>();
  for (const event of delivery) {
    const key = `${event.type}:${event.id}`;
    if (applied.has(key)) continue;
    applied.add(key);
    const result = apply(state, event);
    for (const entry of result.entries) {
      expect(entries.has(entry.entryId), `entry ${entry.entryId} produced twice`).toBe(false);
      entries.set(entry.entryId, entry);
    }
    state = result.state;
  }
  const completions = [...entries.values()].filter((e) => e.details?.type === "challenge");
  return { state, completions };
}

const inMarch = (at: number) => at >= WINDOW_START && at < WINDOW_END;

describe("challenge completion under redelivery and reordering", () => {
  it("absolute windows complete exactly once, iff the qualifying events in the window reach the target", () => {
    fc.assert(
      fc.property(deliveryArb, ({ events, delivery }) => {
        const { state, completions } = deliver(delivery);
        const purchases = events.filter((e) => e.type === "purchase" && inMarch(e.at) && e.paidMinor >= 500);
        const reviews = events.filter((e) => e.type === "review" && inMarch(e.at));
        const byChallenge = (id: string) => completions.filter((e) => e.ruleIds[0] === id).length;
        expect(byChallenge("march-visits")).toBe(purchases.length >= 3 ? 1 : 0);
        expect(byChallenge("reviewer")).toBe(reviews.length >= 2 ? 1 : 0);
        expect(state.challenges?.badges.length ?? 0).toBe(byChallenge("march-visits"));
        const unlocked = state.rewards.unlocked.find((r) => r.rewardId === "free-coffee")?.count ?? 0;
        expect(unlocked).toBe(byChallenge("reviewer"));
      }),
      { numRuns: 150 },
    );
  });

  it("a rolling window completes exactly once, iff enough purchases fall within its days after the opt-in", () => {
    fc.assert(
      fc.property(
        deliveryArb,
        fc.integer({ min: WINDOW_START, max: WINDOW_END }),
        fc.integer({ min: 1, max: 3 }),
        ({ events, delivery }, optInAt, optIns) => {
          // The opt-in comes first (a purchase before it does not count), redelivered `optIns` times.
          const optIn: Event = { type: "opt-in", id: 99, at: optInAt };
          const { completions } = deliver([...Array.from({ length: optIns }, () => optIn), ...delivery]);
          const endsAt = optInAt + 5 * 86_400_000;
          const inside = events.filter((e) => e.type === "purchase" && e.at >= optInAt && e.at < endsAt);
          // Time policy: a joined window that ends before the late window opens is dropped (no event can count
          // for it any more), so it completes only while it can still receive events at NOW.
          const stillOpen = endsAt > LATE_WINDOW_OPENS;
          expect(completions.filter((e) => e.ruleIds[0] === "sprint")).toHaveLength(
            inside.length >= 3 && stillOpen ? 1 : 0,
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
