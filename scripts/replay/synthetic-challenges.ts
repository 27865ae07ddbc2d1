import type { InteractionRecorded } from "../../events/inbound/interaction-recorded";
import type { PurchaseCompleted } from "../../events/inbound/purchase-completed";
import type { ReplayEvent } from "./replay-events";
import { seededRandom } from "./synthetic-log";

// Challenges for the synthetic replay: a share of members opt in to each of the program's opt-in challenges
// (the app's `challenge-opt-in`, naming the challenge) the day before one of their purchases, and the same
// share complete their profile (`profile-completed`, which the example's badge challenge counts) the day after
// their first purchase. The opt-in comes on an earlier day because the replay settles the bus between days,
// not within one. Deterministic by seed, on a PRNG stream of its own.

export interface ChallengeReplayOptions {
  seed: number;
  /** Share of members who opt in to each opt-in challenge, and who complete their profile (default 0.1). */
  rate?: number;
  /** Ids of the program's challenges that need an opt-in. */
  optInChallenges: readonly string[];
  /** The log's last instant; later contacts are left out. */
  endAt: Date;
}

export const DEFAULT_CHALLENGE_RATE = 0.1;

const APP_SOURCE = "retail.app.mobile";
const STREAM = 0x0c4a11e6;
const DAY_MS = 86_400_000;

function contact(
  memberId: string,
  at: Date,
  kind: "challenge-opt-in" | "profile-completed",
  id: string,
  challengeId?: string,
): ReplayEvent {
  const detail: InteractionRecorded = {
    schemaVersion: "1",
    interactionId: id,
    memberId,
    kind,
    occurredAt: at.toISOString(),
    channel: "app",
    ...(challengeId && { attributes: { challengeId } }),
  };
  return {
    at,
    entry: { Source: APP_SOURCE, DetailType: "Interaction Recorded", Detail: JSON.stringify(detail) },
  };
}

/** A morning instant `days` days from `at`'s day. */
const morning = (at: Date, days: number) =>
  new Date(Date.parse(`${at.toISOString().slice(0, 10)}T08:00:00Z`) + days * DAY_MS);

/** The opt-ins and profile completions that go with the purchases among `events`, in time order. */
export function challengeEvents(
  events: readonly ReplayEvent[],
  options: ChallengeReplayOptions,
): ReplayEvent[] {
  const rate = options.rate ?? DEFAULT_CHALLENGE_RATE;
  if (!(rate >= 0 && rate <= 1)) throw new Error(`challenge rate must be from 0 to 1, got ${rate}`);
  const random = seededRandom((options.seed ^ STREAM) >>> 0);
  const purchases = new Map<string, Date[]>();
  for (const event of events) {
    if (event.entry.DetailType !== "Purchase Completed") continue;
    const { memberId } = JSON.parse(event.entry.Detail ?? "{}") as PurchaseCompleted;
    purchases.set(memberId, [...(purchases.get(memberId) ?? []), event.at]);
  }
  const out: ReplayEvent[] = [];
  for (const [memberId, times] of purchases) {
    for (const challengeId of options.optInChallenges) {
      const joins = random() < rate;
      // A later purchase when there is one: the member has enrolled by then.
      const pick = times.length > 1 ? 1 + Math.floor(random() * (times.length - 1)) : 0;
      const before = times[pick] as Date;
      if (joins)
        out.push(
          contact(
            memberId,
            morning(before, -1),
            "challenge-opt-in",
            `opt-in-${challengeId}-${memberId}`,
            challengeId,
          ),
        );
    }
    const completes = random() < rate;
    const first = times[0] as Date;
    if (completes) out.push(contact(memberId, morning(first, 1), "profile-completed", `profile-${memberId}`));
  }
  return out.filter((e) => e.at <= options.endAt).sort((a, b) => a.at.getTime() - b.at.getTime());
}
