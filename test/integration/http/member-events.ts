import { exampleProgram } from "../../../domain/program/example-program";
import {
  memoryRejectedEventSink,
  tableRejectedEventSink,
} from "../../../functions/adapters/bus/rejected-events";
import { createMemberEnrolledHandler } from "../../../functions/handlers/member-enrolled";
import { createMemberUpdatedHandler } from "../../../functions/handlers/member-updated";
import { createPurchaseCompletedHandler } from "../../../functions/handlers/purchase-completed";
import { staticProgramSource } from "../../../functions/pipeline/ports";
import type { ConsumerResult } from "../../../functions/shared/event-consumer";
import { createLogger } from "../../../functions/shared/logger";
import { createMetrics } from "../../../functions/shared/metrics";
import { lambdaContext } from "../pipeline/harness";
import type { TestApi } from "./http-fixture";

// The Member Enrolled, Member Updated and Purchase Completed consumers on the test API's own table, so writes
// from the pipeline and from the HTTP API meet on the same items, as in production.

process.env.POWERTOOLS_METRICS_DISABLED = "true";

export interface MemberEvents {
  deliver(event: unknown): Promise<ConsumerResult>;
}

/** `parkIn: "table"` parks rejected events in the test table, as deployed (default: in memory). */
export function memberEventsOn(t: TestApi, options: { parkIn?: "memory" | "table" } = {}): MemberEvents {
  const deps = {
    members: t.api.deps.members,
    programs: staticProgramSource([exampleProgram]),
    clock: () => new Date(),
    logger: createLogger({ logLevel: "SILENT" }),
    metrics: createMetrics(),
    rejected: options.parkIn === "table" ? tableRejectedEventSink(t.api.table) : memoryRejectedEventSink(),
    refundLookbackDays: 400,
  };
  const handlers: Record<string, (event: unknown, context: typeof lambdaContext) => Promise<ConsumerResult>> =
    {
      "Member Enrolled": createMemberEnrolledHandler(deps),
      "Member Updated": createMemberUpdatedHandler(deps),
      "Purchase Completed": createPurchaseCompletedHandler(deps),
    };
  return {
    deliver(event) {
      const type = (event as { "detail-type"?: string })["detail-type"] ?? "";
      const handler = handlers[type];
      if (!handler) throw new Error(`no consumer here for "${type}"`);
      return handler(event, lambdaContext);
    },
  };
}
