import type { ConsumerRule } from "../../../events/rules";
import type { RuleTarget } from "./delivery-queue";
import type { LocalBusRule } from "./event-bus-core";

/**
 * Binds the rule patterns from events/rules.ts (the same data CDK deploys) to local targets by consumer name.
 * Fails loudly on a consumer without a target or a target without a consumer, and on a target that is not fed as
 * the rule says (in batches of its `batchSize`, or one event at a time), so local and deployed routing cannot
 * drift apart silently.
 */
export function bindConsumerRules(
  consumerRules: ReadonlyArray<ConsumerRule>,
  targets: Readonly<Record<string, RuleTarget>>,
): LocalBusRule[] {
  const consumers = new Set(consumerRules.map((rule) => rule.consumer));
  const unused = Object.keys(targets).filter((name) => !consumers.has(name));
  if (unused.length > 0) {
    throw new Error(`Local targets match no consumer in events/rules.ts: ${unused.join(", ")}`);
  }
  return consumerRules.map((rule) => {
    const target = targets[rule.consumer];
    if (target === undefined) {
      throw new Error(`No local target for consumer "${rule.consumer}" (rule "${rule.id}")`);
    }
    const batchSize = typeof target === "function" ? undefined : target.batchSize;
    if (batchSize !== rule.batchSize) {
      throw new Error(
        `Rule "${rule.id}" delivers ${rule.batchSize ? `batches of ${rule.batchSize}` : "one event at a time"}, its local target takes ${batchSize ? `batches of ${batchSize}` : "one event"}`,
      );
    }
    return { id: rule.id, eventPattern: rule.eventPattern, target };
  });
}
