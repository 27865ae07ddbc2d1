import type { Path } from "./program-consistency";
import type { Program } from "./program-schema";

interface Checks {
  checkCategory(category: string, path: Path): void;
  checkReward(rewardId: string | undefined, path: Path): void;
  add(path: Path, message: string): void;
}

/** Cross-field checks of `challenges`: windows, catalogue references, categories, audience tiers. */
export function findChallengeInconsistencies(program: Program, { checkCategory, checkReward, add }: Checks) {
  const tiers = new Set(program.tiers.map((t) => t.id));
  program.challenges.forEach((challenge, i) => {
    const at = (...path: Path): Path => ["challenges", i, ...path];
    const { window, goal, reward } = challenge;
    if (window.kind === "absolute" && Date.parse(window.endsAt) <= Date.parse(window.startsAt))
      add(at("window", "endsAt"), `ends (${window.endsAt}) before or when it starts (${window.startsAt})`);
    if (window.kind === "rolling") {
      if (!challenge.optIn)
        add(at("optIn"), "a rolling window counts from the member's opt-in, so optIn must be true");
      if (
        window.optInFrom &&
        window.optInUntil &&
        Date.parse(window.optInUntil) <= Date.parse(window.optInFrom)
      )
        add(at("window", "optInUntil"), "must be after optInFrom");
    }
    if (goal.metric !== "interactionCount") {
      goal.categories?.forEach((c, j) => {
        checkCategory(c, at("goal", "categories", j));
      });
      const available = goal.categories?.length ?? program.categories.length;
      if (goal.metric === "distinctCategories" && goal.target > available)
        add(at("goal", "target"), `needs ${goal.target} categories but only ${available} can count`);
    } else if (goal.kind === "challenge-opt-in") {
      add(at("goal", "kind"), "challenge-opt-in is how members join a challenge, not a goal");
    }
    checkReward(reward.rewardId, at("reward", "rewardId"));
    if (reward.points === 0 && reward.rewardId === undefined && reward.badge === undefined)
      add(at("reward"), "a challenge must give points, a rewardId or a badge");
    challenge.audience.tiers?.forEach((tierId, j) => {
      if (!tiers.has(tierId)) add(at("audience", "tiers", j), `unknown tier "${tierId}"`);
    });
  });
  // One badge, one name: GET /me lists a member's badges by id.
  const badgeNames = new Map<string, string>();
  program.challenges.forEach((challenge, i) => {
    const badge = challenge.reward.badge;
    if (!badge) return;
    const name = badgeNames.get(badge.badgeId);
    if (name !== undefined && name !== badge.name)
      add(
        ["challenges", i, "reward", "badge", "name"],
        `badge "${badge.badgeId}" is already named "${name}"; one badge id has one name`,
      );
    else badgeNames.set(badge.badgeId, badge.name);
  });
}
