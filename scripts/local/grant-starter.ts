import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { matchesPattern } from "../../events/pattern-matcher";
import { createGrantStore } from "../../functions/adapters/dynamo/grant-store";
import { createMemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { createProgramRepository } from "../../functions/adapters/dynamo/program-repository";
import { approvedGrantRecordPattern, grantIdOfRecord } from "../../functions/grants/grant-start-filter";
import { runGrant } from "../../functions/grants/run-grant";
import type { BusLogger } from "./event-bus/delivery-queue";

// The local stand-in for the deployed Pipe (infra/grant-runs.ts): an approved grant's stream record starts its
// run in this process, in the background, with the same pattern. A run that stops short is logged; `npm run
// grant -- <id>` resumes it, as starting the state machine again does in AWS.

export interface LocalGrantStarterOptions {
  client: DynamoDBClient;
  tableName: string;
  clock: () => Date;
  log: BusLogger;
}

export interface LocalGrantStarter {
  /** Starts a run for every approved grant among the records (never waits for it). */
  onRecords(event: DynamoDBStreamEvent): void;
  /** Resolves when no run is going. */
  idle(): Promise<void>;
}

export function createLocalGrantStarter(options: LocalGrantStarterOptions): LocalGrantStarter {
  const { client, tableName, log } = options;
  const deps = {
    client,
    tableName,
    members: createMemberRepository({ client, tableName, clock: options.clock }),
    programs: createProgramRepository({ client, tableName }),
    grants: createGrantStore({ client, tableName }),
    clock: options.clock,
  };
  const running = new Set<Promise<void>>();
  const start = (grantId: string) => {
    const run = runGrant(deps, grantId)
      .then((report) => {
        const outcome = report.status === "done" ? "info" : "warn";
        log[outcome]("grant run finished", { grantId, status: report.status, granted: report.granted });
      })
      .catch((error: unknown) => log.warn("grant run failed", { grantId, error: String(error) }))
      .finally(() => running.delete(run));
    running.add(run);
  };
  return {
    onRecords(event) {
      for (const record of event.Records) {
        const grantId = matchesPattern(approvedGrantRecordPattern, record)
          ? grantIdOfRecord(record)
          : undefined;
        if (grantId !== undefined) start(grantId);
      }
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
