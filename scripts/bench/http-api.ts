import { CreateTableCommand, waitUntilTableExists } from "@aws-sdk/client-dynamodb";
import type { LedgerEntry } from "../../domain/ledger/ledger-entry";
import { adjustPoints } from "../../domain/member/adjust-points";
import { enrolMember } from "../../domain/member/lifecycle";
import type { MemberState } from "../../domain/member/member-state";
import { exampleProgram } from "../../domain/program/example-program";
import {
  attachCapacityCounter,
  type OperationCounter,
} from "../../functions/adapters/dynamo/capacity-counter";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import type { MemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { createTableInput } from "../../infra/table-definition";
import { startDynamoLocal } from "../local/dynamo-local";
import { signLocalToken } from "../local/http-api/local-jwt";
import { startPatronHttpApi } from "../local/http-api/patron-http-api";
import type { BenchResult } from "./types";

// Reads per GET /me for a member with 10 and with 10,000 ledger entries, over HTTP through the real
// handler, counted by the capacity counter on the handler's DynamoDB client. The program cache is warmed
// first, as in any warm Lambda; the figure is what one request then costs.

const TABLE = "patron-bench-http";
// A transaction holds 100 items: STATE, the business-key record and 98 ledger entries.
const MAX_ENTRIES_PER_COMMIT = 98;

/** A member with `count` ledger entries, written in transactions of up to 98 entries. */
async function seedMember(
  members: MemberRepository,
  memberId: string,
  count: number,
  now: Date,
): Promise<void> {
  let state: MemberState = enrolMember(memberId, now, exampleProgram).state;
  let entries: LedgerEntry[] = [];
  let chunk = 0;
  const flush = async () => {
    const previous = await members.getMember<MemberState & Record<string, unknown>>(memberId);
    const result = await members.commit({
      memberId,
      previous,
      nextState: state as MemberState & Record<string, unknown>,
      entries,
      sourceKey: `bench-seed:${memberId}:${chunk}`,
      payload: "same",
    });
    if (result.outcome !== "committed") throw new Error(`seeding ${memberId} failed: ${result.outcome}`);
    chunk += 1;
    entries = [];
  };
  for (let i = 0; i < count; i += 1) {
    const key = `bench:${memberId}:${i}`;
    const result = adjustPoints(
      state,
      exampleProgram,
      { amount: 1, reason: "bench", actor: "bench", adjustmentKey: key },
      now,
    );
    state = result.state;
    entries.push(...result.entries);
    if (entries.length >= MAX_ENTRIES_PER_COMMIT) await flush();
  }
  if (entries.length > 0) await flush();
}

function describeReads(counters: Record<string, OperationCounter>): string {
  return Object.entries(counters)
    .map(([operation, c]) => `${operation} ×${c.requests} (${c.readUnits} RCU)`)
    .join(", ");
}

export async function runHttpApiBench(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: 0 });
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  try {
    await client.send(new CreateTableCommand(createTableInput(TABLE)));
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: TABLE });
    const counter = attachCapacityCounter(client);
    const api = await startPatronHttpApi({ port: 0, client, tableName: TABLE });
    try {
      await api.deps.programs.publish(exampleProgram, "bench");
      const now = new Date();
      const results: BenchResult[] = [];
      const perSize: Record<number, number> = {};
      for (const size of [10, 10_000]) {
        const memberId = `bench-member-${size}`;
        await seedMember(api.deps.members, memberId, size, now);
        const token = await signLocalToken({ member: memberId });
        const get = () => fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } });
        await (await get()).text(); // warms the program cache, like a warm Lambda
        counter.reset();
        const response = await get();
        const body = (await response.json()) as { points?: { spendable?: number } };
        if (response.status !== 200 || body.points?.spendable !== size) {
          throw new Error(`GET /me for ${memberId} answered ${response.status} ${JSON.stringify(body)}`);
        }
        const counters = counter.counters();
        const total = counter.total();
        const onlyOneGetItem = total.requests === 1 && counters.GetItem?.requests === 1;
        perSize[size] = total.requests;
        results.push({
          name: `GET /me reads, member with ${size.toLocaleString("en-US")} ledger entries`,
          value: total.requests,
          unit: "requests",
          target: "1 GetItem",
          meetsTarget: onlyOneGetItem,
          note: describeReads(counters),
        });
      }
      results.push({
        name: "GET /me reads: 10,000 vs 10 ledger entries",
        value: (perSize[10_000] ?? 0) - (perSize[10] ?? 0),
        unit: "extra requests",
        target: "0",
        meetsTarget: perSize[10_000] === perSize[10],
        note: "Member state is one bounded item; the ledger is never read by GET /me",
      });
      return results;
    } finally {
      await api.close();
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}
