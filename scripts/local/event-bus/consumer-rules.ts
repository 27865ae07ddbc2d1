import type { ConsumerRule } from "../../../events/rules";
import type { BusTarget } from "./delivery-queue";
import type { LocalBusRule } from "./event-bus-core";

/**
 * Binds the rule patterns from events/rules.ts (the same data CDK deploys) to local targets by consumer name.
 * Fails loudly on a consumer without a target or a target without a consumer, so local and deployed routing
 * cannot drift apart silently.
 */
export function bindConsumerRules(
  consumerRules: ReadonlyArray<ConsumerRule>,
  targets: Readonly<Record<string, BusTarget>>,
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
    return { id: rule.id, eventPattern: rule.eventPattern, target };
  });
}
