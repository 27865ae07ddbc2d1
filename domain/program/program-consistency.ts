import { findChallengeInconsistencies } from "./challenge-consistency";
import { PARTNER_SOURCE_PREFIX } from "./partner-schema";
import type { Program } from "./program-schema";

export type Path = (string | number)[];
export interface Inconsistency {
  path: Path;
  message: string;
}

/** Cross-field mistakes a field-by-field schema cannot see. Each names the offending field and why. */
export function findProgramInconsistencies(program: Program): Inconsistency[] {
  const issues: Inconsistency[] = [];
  const add = (path: Path, message: string) => issues.push({ path, message });

  checkUnique(program.categories, (c) => c, ["categories"], "category", add);
  checkUnique(program.tiers, (t) => t.id, ["tiers"], "tier id", add, "id");
  checkUnique(program.rewards, (r) => r.rewardId, ["rewards"], "reward id", add, "rewardId");
  checkUnique(program.interactions, (r) => r.kind, ["interactions"], "interaction kind", add, "kind");
  checkUnique(
    program.earning.categoryMultipliers,
    (m) => m.category,
    ["earning", "categoryMultipliers"],
    "category",
    add,
    "category",
  );
  checkUnique(program.earning.skuMultipliers, (m) => m.sku, ["earning", "skuMultipliers"], "sku", add, "sku");

  const seenRules = new Map<string, string>();
  for (const { path, ruleId } of ruleIdOccurrences(program)) {
    const first = seenRules.get(ruleId);
    if (first) add(path, `duplicate rule id "${ruleId}" (already used at ${first}); rule ids must be unique`);
    else seenRules.set(ruleId, formatPath(path));
  }

  program.tiers.forEach((tier, i) => {
    const previous = program.tiers[i - 1];
    if (i === 0 && tier.threshold !== 0)
      add(
        ["tiers", 0, "threshold"],
        "the first tier is where every member starts, so its threshold must be 0",
      );
    if (previous && tier.threshold <= previous.threshold)
      add(
        ["tiers", i, "threshold"],
        `overlaps the tier below: ${tier.threshold} must be greater than tiers[${i - 1}].threshold (${previous.threshold}); list tiers from lowest to highest`,
      );
  });

  const categories = new Set(program.categories);
  const checkCategory = (category: string, path: Path) => {
    if (!categories.has(category))
      add(
        path,
        `unknown category "${category}"; declare it in categories (${program.categories.join(", ")})`,
      );
  };
  program.earning.categoryMultipliers.forEach((m, i) => {
    checkCategory(m.category, ["earning", "categoryMultipliers", i, "category"]);
  });
  program.earning.promotions.forEach((promotion, i) => {
    promotion.categories?.forEach((c, j) => {
      checkCategory(c, ["earning", "promotions", i, "categories", j]);
    });
    if (Date.parse(promotion.endsAt) <= Date.parse(promotion.startsAt))
      add(
        ["earning", "promotions", i, "endsAt"],
        `promotion ends (${promotion.endsAt}) before or when it starts (${promotion.startsAt})`,
      );
  });
  program.punchCards.forEach((card, i) => {
    card.categories?.forEach((c, j) => {
      checkCategory(c, ["punchCards", i, "categories", j]);
    });
  });

  const rewards = new Set(program.rewards.map((r) => r.rewardId));
  const checkReward = (rewardId: string | undefined, path: Path) => {
    if (rewardId !== undefined && !rewards.has(rewardId))
      add(path, `reward "${rewardId}" is not in the rewards catalogue`);
  };
  program.punchCards.forEach((card, i) => {
    checkReward(card.rewardId, ["punchCards", i, "rewardId"]);
  });
  program.milestones.forEach((m, i) => {
    checkReward(m.rewardId, ["milestones", i, "rewardId"]);
    if (m.bonusPoints === 0 && m.rewardId === undefined)
      add(["milestones", i], "a milestone must give bonusPoints or a rewardId");
  });
  for (const side of ["referrerReward", "refereeReward"] as const) {
    const reward = program.referrals?.[side];
    if (reward && "rewardId" in reward) checkReward(reward.rewardId, ["referrals", side, "rewardId"]);
  }
  program.retention.offers.catalogue.forEach((offer, i) => {
    checkReward(offer.rewardId, ["retention", "offers", "catalogue", i, "rewardId"]);
  });
  program.rewards.forEach((reward, i) => {
    if (
      reward.availableFrom &&
      reward.availableUntil &&
      Date.parse(reward.availableUntil) <= Date.parse(reward.availableFrom)
    )
      add(["rewards", i, "availableUntil"], "must be after availableFrom");
  });

  checkPartners(program, add);

  program.interactions.forEach((rule, i) => {
    rule.caps.forEach((cap, j) => {
      if (cap.maxCount === undefined && cap.maxPoints === undefined)
        add(["interactions", i, "caps", j], "a cap needs maxCount, maxPoints or both");
    });
    checkUnique(rule.caps, (c) => c.period, ["interactions", i, "caps"], "period", add, "period");
  });

  findChallengeInconsistencies(program, { checkCategory, checkReward, add });

  // Points must become spendable before they can expire, or a member could never use them.
  if (program.expiry.validityMonths * 28 <= program.earning.pendingDays)
    add(
      ["expiry", "validityMonths"],
      `points would expire (${program.expiry.validityMonths} months) before the ${program.earning.pendingDays}-day pending period ends`,
    );
  return issues;
}

function ruleIdOccurrences(p: Program): { path: Path; ruleId: string }[] {
  const list = <T extends { ruleId: string }>(items: T[], ...at: string[]) =>
    items.map((item, i) => ({ path: [...at, i, "ruleId"], ruleId: item.ruleId }));
  return [
    { path: ["earning", "baseRuleId"], ruleId: p.earning.baseRuleId },
    ...list(p.earning.categoryMultipliers, "earning", "categoryMultipliers"),
    ...list(p.earning.skuMultipliers, "earning", "skuMultipliers"),
    ...list(p.earning.promotions, "earning", "promotions"),
    ...(p.earning.firstPurchaseBonus
      ? [{ path: ["earning", "firstPurchaseBonus", "ruleId"], ruleId: p.earning.firstPurchaseBonus.ruleId }]
      : []),
    { path: ["tierQualification", "ruleId"], ruleId: p.tierQualification.ruleId },
    ...list(p.punchCards, "punchCards"),
    ...list(p.streaks, "streaks"),
    ...list(p.milestones, "milestones"),
    ...list(p.interactions, "interactions"),
    { path: ["expiry", "ruleId"], ruleId: p.expiry.ruleId },
    { path: ["refunds", "ruleId"], ruleId: p.refunds.ruleId },
    ...p.challenges.map((c, i) => ({ path: ["challenges", i, "challengeId"], ruleId: c.challengeId })),
    ...p.partners.map((partner, i) => ({
      path: ["partners", i, "earn", "ruleId"],
      ruleId: partner.earn.ruleId,
    })),
    ...(p.referrals ? [{ path: ["referrals", "ruleId"], ruleId: p.referrals.ruleId }] : []),
  ];
}

/** Partner ids are unique, each partner's sources are its own, and a funded reward names a listed partner. */
function checkPartners(program: Program, add: (path: Path, message: string) => void) {
  checkUnique(program.partners, (p) => p.id, ["partners"], "partner id", add, "id");
  program.partners.forEach((partner, i) => {
    partner.sources.forEach((source, j) => {
      if (!source.startsWith(`${PARTNER_SOURCE_PREFIX}${partner.id}.`))
        add(
          ["partners", i, "sources", j],
          `"${source}" must start with "${PARTNER_SOURCE_PREFIX}${partner.id}." (a partner publishes only as itself)`,
        );
    });
  });
  const partners = new Set(program.partners.map((p) => p.id));
  program.rewards.forEach((reward, i) => {
    if (reward.fundedBy !== undefined && !partners.has(reward.fundedBy))
      add(
        ["rewards", i, "fundedBy"],
        `unknown partner "${reward.fundedBy}"; list it in partners (${[...partners].join(", ") || "none yet"})`,
      );
  });
}

function checkUnique<T>(
  items: readonly T[],
  key: (item: T) => string,
  at: Path,
  what: string,
  add: (path: Path, message: string) => void,
  field?: string,
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const value = key(item);
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else
      add(
        field ? [...at, i, field] : [...at, i],
        `duplicate ${what} "${value}" (also at ${formatPath([...at, first])})`,
      );
  });
}

/** ["tiers", 1, "threshold"] → "tiers[1].threshold" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}
