import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  CreateTableCommand,
  type DynamoDBClient,
  type WriteRequest,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { marshall } from "@aws-sdk/util-dynamodb";
import { applyPurchase, enrolMember, type MemberState } from "../../domain";
import { exampleProgram } from "../../domain/program/example-program";
import { addDays } from "../../domain/time";
import { tableEventParking } from "../../functions/adapters/bus/parked-events";
import { attachCapacityCounter } from "../../functions/adapters/dynamo/capacity-counter";
import { createDynamoClient } from "../../functions/adapters/dynamo/client";
import { dueIndexKeys, memberPk, profileKey, STATE_SK } from "../../functions/adapters/dynamo/keys";
import { createMemberRepository } from "../../functions/adapters/dynamo/member-repository";
import { STATE_ATTRIBUTE, stateAttribute } from "../../functions/adapters/dynamo/state-codec";
import { createSesMailer } from "../../functions/adapters/ses/mailer";
import { createTokenSigner } from "../../functions/http/signed-token";
import { createMessageStore } from "../../functions/retention/message-store";
import { type RetentionJobDeps, runRetentionJob } from "../../functions/retention/run-retention-job";
import { createLogger } from "../../functions/shared/logger";
import { createTableInput } from "../../infra/table-definition";
import { startDynamoLocal } from "../local/dynamo-local";
import { startSesLocal } from "../local/ses-local";
import type { BenchResult } from "./types";

// The daily retention job on 100,000 members of whom 1% are due today: the full job (lifecycle, triggers,
// claim, SES local send) against DynamoDB Local. Items read are counted by the capacity counter on the job's
// client: due-index entries, STATE items and the PROFILE items of members with a message due. Members are
// written straight as STATE items (BatchWriteItem) from one real member state, with their due day spread
// over the next year; the due ones bought 45 days ago, so the at-risk nudge is due for each of them.

const MEMBERS = 100_000;
const DUE_SHARE = 0.01;
const TABLE = "patron-bench-retention";
const TODAY = "2025-06-01";
const BATCH = 25;

function memberStates(): { id: string; state: MemberState }[] {
  const bought = addDays(TODAY, -45);
  const template = enrolMember("template", `${addDays(bought, -1)}T09:00:00.000Z`, exampleProgram).state;
  const purchase = applyPurchase(
    template,
    exampleProgram,
    {
      sourceKey: "bench#1",
      orderId: "1",
      channel: "pos",
      occurredAt: `${bought}T12:00:00.000Z`,
      currency: "EUR",
      minorUnitsPerMajor: 100,
      lines: [{ sku: "SKU-1", category: "grocery", quantity: 1, unitPriceMinor: 4200 }],
      discountMinor: 0,
      totalMinor: 4200,
    },
    { now: `${bought}T12:00:00.000Z` },
  ).state;
  const dueCount = Math.round(MEMBERS * DUE_SHARE);
  return Array.from({ length: MEMBERS }, (_, i) => {
    const id = `bench-${String(i).padStart(6, "0")}`;
    const dueOn = i < dueCount ? TODAY : addDays(TODAY, 1 + (i % 364));
    return { id, state: { ...purchase, memberId: id, retention: { ...purchase.retention, dueOn } } };
  });
}

async function seed(
  client: DynamoDBClient,
  members: { id: string; state: MemberState }[],
  dueIds: Set<string>,
) {
  const shards = exampleProgram.retention.dueBuckets.shards;
  const requests: WriteRequest[] = [];
  for (const { id, state } of members) {
    requests.push({
      PutRequest: {
        Item: {
          PK: { S: memberPk(id) },
          SK: { S: STATE_SK },
          [STATE_ATTRIBUTE]: stateAttribute(state),
          version: { N: "1" },
          recentKeys: { L: [] },
          GSI1PK: { S: dueIndexKeys(id, state.retention.dueOn, shards).GSI1PK },
          GSI1SK: { S: id },
        },
      },
    });
    if (dueIds.has(id)) {
      requests.push({
        PutRequest: {
          Item: {
            ...profileKey(id),
            profile: {
              M: marshall({
                email: `${id}@bench.example`,
                locale: "en",
                timeZone: "Europe/Paris",
                consent: { email: true, sms: false, push: false },
              }),
            },
          },
        },
      });
    }
  }
  for (let i = 0; i < requests.length; i += BATCH * 8) {
    await Promise.all(
      Array.from({ length: 8 }, async (_, k) => {
        let batch: WriteRequest[] | undefined = requests.slice(i + k * BATCH, i + (k + 1) * BATCH);
        while (batch && batch.length > 0) {
          const result: BatchWriteItemCommandOutput = await client.send(
            new BatchWriteItemCommand({ RequestItems: { [TABLE]: batch } }),
          );
          batch = result.UnprocessedItems?.[TABLE];
        }
      }),
    );
  }
}

export async function runRetentionBench(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal({ port: 0 });
  const ses = await startSesLocal({ port: 0 });
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  const sesClient = new SESv2Client({
    endpoint: ses.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await client.send(new CreateTableCommand(createTableInput(TABLE)));
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: TABLE });
    const members = memberStates();
    const dueIds = new Set(members.filter((m) => m.state.retention.dueOn === TODAY).map((m) => m.id));
    await seed(client, members, dueIds);

    const jobDeps = (jobClient: DynamoDBClient): RetentionJobDeps => ({
      members: createMemberRepository({ client: jobClient, tableName: TABLE }),
      messages: createMessageStore({ client: jobClient, tableName: TABLE }),
      programs: { inEffectAt: async () => exampleProgram },
      mailer: createSesMailer({ client: sesClient, senderAddress: "rewards@bench.example" }),
      publisher: { publish: async (events) => ({ published: events.length, failed: [] }) },
      parking: tableEventParking({ client: jobClient, tableName: TABLE }),
      signer: createTokenSigner("bench-signing-secret-0123456789abcdef"),
      publicApiUrl: "https://patron.example",
      logger: createLogger({ logLevel: "ERROR" }),
    });
    const jobClient = createDynamoClient({ endpoint: dynamo.endpoint });
    const counter = attachCapacityCounter(jobClient);
    const started = performance.now();
    const report = await runRetentionJob(jobDeps(jobClient), new Date(`${TODAY}T09:00:00.000Z`));
    const ms = performance.now() - started;
    const counters = counter.counters();
    const read = ["Query", "BatchGetItem", "GetItem"].reduce(
      (sum, op) => sum + (counters[op]?.items ?? 0),
      0,
    );
    const readUnits = ["Query", "BatchGetItem", "GetItem"].reduce(
      (sum, op) => sum + (counters[op]?.readUnits ?? 0),
      0,
    );
    jobClient.destroy();
    const due = dueIds.size;
    // The next hour's run: the day's due members are done, so it only looks for owed e-mails.
    const idleClient = createDynamoClient({ endpoint: dynamo.endpoint });
    const idleCounter = attachCapacityCounter(idleClient);
    const idleReport = await runRetentionJob(jobDeps(idleClient), new Date(`${TODAY}T10:00:00.000Z`));
    const idle = Object.values(idleCounter.counters());
    idleClient.destroy();
    return [
      {
        name: "Items read by the daily job / members due",
        value: Math.round((read / due) * 100) / 100,
        unit: "items per due member",
        target: "≤ 3",
        meetsTarget: read <= 3 * due,
        note:
          `${MEMBERS.toLocaleString("en")} members, ${due} due: ${read} items read (${report.indexEntriesRead} index ` +
          `entries, ${report.statesRead} STATE, ${report.profilesRead} PROFILE of members with an e-mail due); ` +
          `${report.sent} e-mails sent, ${report.control} withheld (control)`,
      },
      {
        name: "Read units of the daily job",
        value: Math.round(readUnits * 10) / 10,
        unit: "RCU",
        note: "capacity counter (eventually consistent index/batch reads at ½ unit per 4 KB)",
      },
      {
        name: "Requests of an hourly retention run with nothing due",
        value: idle.reduce((sum, c) => sum + c.requests, 0),
        unit: "requests",
        note:
          `${Math.round(idle.reduce((sum, c) => sum + c.readUnits, 0) * 10) / 10} RCU, ` +
          `${idle.reduce((sum, c) => sum + c.writeUnits, 0)} WCU; ${idleReport.retried} owed e-mails found ` +
          "(program read from memory here; the deployed job adds its program lookup)",
      },
      {
        name: "Daily job time (1,000 due members, full run with SES local)",
        value: Math.round(ms),
        unit: "ms",
        note: "DynamoDB Local + aws-ses-v2-local on this machine; 4 shards in parallel",
      },
    ];
  } finally {
    sesClient.destroy();
    client.destroy();
    await ses.stop();
    await dynamo.stop();
  }
}
