import type { Reward } from "./frequency-schema";
import type { Program } from "./program-schema";
import { upcomingVersions } from "./program-timeline";

export interface RebasedVersion {
  /** The successor to publish: the rebased version with the reward set. */
  program: Program;
  /** The version it rebases, which it supersedes. */
  rebases: number;
}

export type RewardChangePlan =
  | { ok: true; versions: RebasedVersion[] }
  /** A scheduled version defines the reward differently from the version before it. */
  | { ok: false; conflict: { version: number; effectiveFrom: string } };

/** JSON with sorted keys, so two equal rewards compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function withReward(program: Program, reward: Reward): Program {
  const exists = program.rewards.some((r) => r.rewardId === reward.rewardId);
  const rewards = exists
    ? program.rewards.map((r) => (r.rewardId === reward.rewardId ? reward : r))
    : [...program.rewards, reward];
  return { ...program, rewards };
}

/**
 * Sets one catalogue reward from `from` on (`PUT /rewards/{id}`) without undoing a scheduled version.
 * Every version in effect from `from` on gets a successor with the reward set: the current one from
 * `from`, each scheduled one from its own effectiveFrom. As the highest version in effect wins, each
 * successor supersedes the version it rebases, and every scheduled change still happens when planned.
 * Refused when those versions disagree about this reward (a scheduled version changes it): one request
 * cannot say whether the marketer's price should replace the scheduled one.
 */
export function planRewardChange(options: {
  versions: readonly Program[];
  reward: Reward;
  /** When the change starts: now + the cache lead time. */
  from: string;
}): RewardChangePlan {
  const { versions, reward, from } = options;
  const chain = upcomingVersions(versions, from);
  const defined = (p: Program) => canonical(p.rewards.find((r) => r.rewardId === reward.rewardId) ?? null);
  const first = chain[0];
  const disagreeing = first && chain.find((p) => defined(p) !== defined(first));
  if (disagreeing) {
    return {
      ok: false,
      conflict: { version: disagreeing.version, effectiveFrom: disagreeing.effectiveFrom },
    };
  }
  const latest = Math.max(0, ...versions.map((p) => p.version));
  const start = Date.parse(from);
  return {
    ok: true,
    versions: chain.map((base, i) => ({
      program: {
        ...withReward(base, reward),
        version: latest + 1 + i,
        effectiveFrom: Date.parse(base.effectiveFrom) > start ? base.effectiveFrom : from,
      },
      rebases: base.version,
    })),
  };
}
